import { z } from "zod";
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

const one = (v: string | string[] | undefined): string =>
  (Array.isArray(v) ? (v[0] ?? "") : (v ?? "")).trim();
const many = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === "" ? [] : [v]).map((s) => s.trim()).filter(Boolean);
/** Characters as a person counts them: a line break is one, whatever the browser sent. */
export const textLength = (s: string) => [...s.replace(/\r\n/g, "\n")].length;

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
        const value = one(values[q.id]);
        const codes = optionsOf(def, q).map((o) => o.code);
        if (value === "") {
          if (q.required) fail(q.id, q.kind === "likert" ? selectMessage(def, q) : "Select an option");
        } else if (!codes.includes(value)) fail(q.id, "Select one of the options shown");
        else answers[q.id] = value;
        break;
      }
      case "multiple": {
        const ticked = [...new Set(many(values[q.id]))];
        const allowed = [...q.options.map((o) => o.code), ...(q.other ? [q.other.code] : [])];
        const other = one(values[otherField(q)]);
        if (ticked.some((c) => !allowed.includes(c))) fail(q.id, "Select from the options shown");
        else if (ticked.length === 0) {
          if (q.required) fail(q.id, "Select all that apply");
        } else if (q.other && ticked.includes(q.other.code) && other === "") {
          fail(otherField(q), "Enter what you mean by other");
        } else if (textLength(other) > 200)
          fail(otherField(q), "Your answer must be 200 characters or fewer");
        else
          answers[q.id] =
            q.other && ticked.includes(q.other.code) ? { codes: ticked, other } : { codes: ticked };
        break;
      }
      case "grid":
      case "paired": {
        const codes = optionsOf(def, q).map((o) => o.code);
        const chosen: Record<string, string> = {};
        for (const s of statementsOf(def, q)) {
          const field = statementField(q, s);
          const value = one(values[field]);
          if (value === "") {
            if (q.required) fail(field, selectMessage(def, q, s.text));
          } else if (!codes.includes(value)) fail(field, "Select one of the options shown");
          else chosen[s.id] = value;
        }
        if (Object.keys(chosen).length > 0) answers[q.id] = chosen;
        break;
      }
      case "text": {
        const value = one(values[q.id]).replace(/\r\n/g, "\n");
        if (value === "") {
          if (q.required) fail(q.id, "Enter your answer");
        } else if (textLength(value) > q.maxLength) {
          fail(q.id, `Your answer must be ${q.maxLength.toLocaleString("en-GB")} characters or fewer`);
        } else answers[q.id] = value;
        break;
      }
      case "number": {
        const raw = one(values[q.id]).replace(/,/g, "");
        if (raw === "") {
          if (q.required) fail(q.id, "Enter a number");
          break;
        }
        const n = Number(raw);
        if (!/^-?\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n))
          fail(q.id, q.integer ? "Enter a whole number" : "Enter a number");
        else if (q.integer && !Number.isInteger(n)) fail(q.id, "Enter a whole number");
        else if ((q.min !== undefined && n < q.min) || (q.max !== undefined && n > q.max)) {
          fail(q.id, `Enter a number between ${q.min ?? "any"} and ${q.max ?? "any"}`);
        } else answers[q.id] = n;
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
