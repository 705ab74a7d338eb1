import { z } from "zod";
import {
  blankMessage,
  checkNumber,
  checkOtherText,
  checkText,
  otherBlankMessage,
  unknownOptionMessage,
} from "../../../../analysis/answer-checks.js";
import {
  type AnswerSet,
  type AnswerValue,
  isMultipleAnswer,
  questionApplies,
} from "../../../../analysis/answers.js";
import {
  type ConsultationDefinition,
  optionsOf,
  type Page,
  type Question,
  type Statement,
  scaleOf,
  statementsOf,
} from "../../../../analysis/definition.js";
import { scaleWording } from "../../../../analysis/scales.js";

/** Raw form values by field name, as posted or as rebuilt from stored answers for re-display. */
export type FormValues = Record<string, string | string[]>;

export interface FieldError {
  /** The id of the element the error summary links to. */
  field: string;
  text: string;
}

/** The "Save and come back later" button's name: the page is saved, then the save page shown. */
export const SAVE_LATER_FIELD = "save-later";
export const HONEYPOT_FIELD = "website";

export const statementField = (question: Question, statement: Statement) => `${question.id}--${statement.id}`;
export const otherField = (question: Question) => `${question.id}-other`;

function fieldNames(def: ConsultationDefinition, page: Page): string[] {
  return page.questions.flatMap((q) => {
    const statements = statementsOf(def, q);
    if (statements.length > 0) return statements.map((s) => statementField(q, s));
    return q.kind === "multiple" && q.other ? [q.id, otherField(q)] : [q.id];
  });
}

const formValue = z.union([z.string().max(20_000), z.array(z.string().max(200)).max(60)]).optional();

function buildPageFormSchema(def: ConsultationDefinition, page: Page) {
  const shape: Record<string, typeof formValue> = {};
  for (const name of fieldNames(def, page)) shape[name] = formValue;
  return z.strictObject({
    ...shape,
    _csrf: z.string().optional(),
    [HONEYPOT_FIELD]: z.string().max(500).optional(),
    [SAVE_LATER_FIELD]: z.literal("yes").optional(),
  });
}

// Building (and having zod compile) a schema per request showed as a sixth of the answer-posting
// profile; a stored definition's page objects are stable, so each page's schema is built once.
const schemas = new WeakMap<Page, ReturnType<typeof buildPageFormSchema>>();

/**
 * The schema of one questionnaire page's form: only this page's fields, the CSRF token and the
 * honeypot; anything else is refused, so a tampered or stale form changes nothing.
 */
export function pageFormSchema(def: ConsultationDefinition, page: Page) {
  let schema = schemas.get(page);
  if (!schema) {
    schema = buildPageFormSchema(def, page);
    schemas.set(page, schema);
  }
  return schema;
}

/** A posted field, as an own property only ("constructor" must not find Object.prototype's). */
const posted = (values: FormValues, name: string): string | string[] | undefined =>
  Object.hasOwn(values, name) ? values[name] : undefined;
const one = (v: string | string[] | undefined): string =>
  (Array.isArray(v) ? (v[0] ?? "") : (v ?? "")).trim();
const many = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === "" ? [] : [v]).map((s) => s.trim()).filter(Boolean);

function selectMessage(def: ConsultationDefinition, q: Question, subject?: string): string {
  const scale = scaleOf(def, q);
  return scale ? scaleWording(scale).select(subject) : "Select an answer";
}

/**
 * Check one page's posted values against its questions. Returns this page's answers (questions the
 * respondent does not see are left out) and one error per field that needs correcting.
 */
export function parsePageForm(
  def: ConsultationDefinition,
  page: Page,
  values: FormValues,
  answersSoFar: AnswerSet,
): { answers: AnswerSet; errors: FieldError[] } {
  const answers: AnswerSet = {};
  const errors: FieldError[] = [];
  const fail = (field: string, text: string) => errors.push({ field, text });

  for (const q of page.questions) {
    if (!questionApplies(page, q, answersSoFar)) continue;
    switch (q.kind) {
      case "single":
      case "likert": {
        const value = one(posted(values, q.id));
        const codes = optionsOf(def, q).map((o) => o.code);
        if (value === "") {
          if (q.required) fail(q.id, q.kind === "likert" ? selectMessage(def, q) : blankMessage(q));
        } else if (!codes.includes(value)) fail(q.id, unknownOptionMessage(q));
        else answers[q.id] = value;
        break;
      }
      case "multiple": {
        const ticked = [...new Set(many(posted(values, q.id)))];
        const allowed = optionsOf(def, q).map((o) => o.code);
        const otherTicked = q.other !== undefined && ticked.includes(q.other.code);
        const other = checkOtherText(q, one(posted(values, otherField(q))), otherTicked);
        if (ticked.some((c) => !allowed.includes(c))) fail(q.id, unknownOptionMessage(q));
        else if ("error" in other) fail(otherField(q), other.error);
        else if (ticked.length === 0) {
          if (q.required) fail(q.id, blankMessage(q));
        } else if (otherTicked && "blank" in other) fail(otherField(q), otherBlankMessage(q));
        else answers[q.id] = "value" in other ? { codes: ticked, other: other.value } : { codes: ticked };
        break;
      }
      case "grid":
      case "paired": {
        const codes = optionsOf(def, q).map((o) => o.code);
        const chosen: Record<string, string> = {};
        for (const s of statementsOf(def, q)) {
          const field = statementField(q, s);
          const value = one(posted(values, field));
          if (value === "") {
            if (q.required) fail(field, selectMessage(def, q, s.text));
          } else if (!codes.includes(value)) fail(field, unknownOptionMessage(q));
          else chosen[s.id] = value;
        }
        if (Object.keys(chosen).length > 0) answers[q.id] = chosen;
        break;
      }
      case "text":
      case "number": {
        // The same checks as the CSV import (analysis/answer-checks.ts).
        const checked =
          q.kind === "text"
            ? checkText(q, one(posted(values, q.id)))
            : checkNumber(q, one(posted(values, q.id)));
        if ("error" in checked) fail(q.id, checked.error);
        else if ("value" in checked) answers[q.id] = checked.value;
        else if (q.required) fail(q.id, blankMessage(q));
        break;
      }
    }
  }
  return { answers, errors };
}

/** Rebuild form values from stored answers, so a page shows what the respondent said before. */
export function answersToFormValues(def: ConsultationDefinition, page: Page, answers: AnswerSet): FormValues {
  const values: FormValues = {};
  for (const q of page.questions) {
    const value: AnswerValue | undefined = answers[q.id];
    if (value === undefined) continue;
    if (typeof value === "string" || typeof value === "number") values[q.id] = String(value);
    else if (isMultipleAnswer(value)) {
      values[q.id] = value.codes;
      if (value.other !== undefined) values[otherField(q)] = value.other;
    } else
      for (const s of statementsOf(def, q))
        if (value[s.id]) values[statementField(q, s)] = value[s.id] as string;
  }
  return values;
}
