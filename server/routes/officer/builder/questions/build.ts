import type { ConsultationDefinition, Question } from "../../../../../analysis/definition.js";
import { extraLibraryScales, scaleLibrary } from "../../../../../analysis/scale-library.js";
import type { ConditionSource } from "../condition-fields.js";
import { readCondition } from "../condition-fields.js";
import { allQuestionIds, freshId } from "../edits.js";
import type { FieldError } from "../save.js";
import {
  optionLines,
  type QuestionForm,
  readCodedLines,
  readNumber,
  statementLines,
  toStatements,
} from "./schema.js";

/** The scales a rating question may use: the library's, then the consultation's own. */
export function scaleChoices(def: ConsultationDefinition) {
  const own = def.scales.filter((s) => !scaleLibrary.some((l) => l.id === s.id));
  return [...scaleLibrary, ...own].map((s) => ({
    id: s.id,
    name: s.name,
    labels: s.options.map((o) => o.label),
  }));
}

/** A library scale the definition does not carry yet is copied into it, so the JSON stands alone. */
export function adoptScale(def: ConsultationDefinition, scaleId: string): void {
  const extra = extraLibraryScales.find((s) => s.id === scaleId);
  if (extra && !def.scales.some((s) => s.id === scaleId)) def.scales.push(structuredClone(extra));
}

/**
 * The question a form describes, or the errors to show. `existing` is the question being edited
 * (its id is kept unless another is typed; a paired half keeps its set and phase).
 */
export function questionFromForm(
  def: ConsultationDefinition,
  kind: Question["kind"],
  form: QuestionForm,
  sources: ConditionSource[],
  existing?: Question,
): { question?: Question; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const text = form.text.trim();
  if (!text) errors.push({ field: "text", text: "Enter the question" });
  const others = allQuestionIds(def).filter((id) => id !== existing?.id);
  const id = form.id.trim() || existing?.id || freshId(text, others, "question");
  const { condition, error } = readCondition(form, sources);
  if (error) errors.push(error);
  const base = {
    id,
    text,
    ...(form.hint.trim() ? { hint: form.hint.trim() } : {}),
    required: form.required !== "no",
    ...(condition ? { showIf: condition } : {}),
  };
  let question: Question | undefined;
  switch (kind) {
    case "single":
      question = { ...base, kind, options: readCodedLines(form.options, "option") };
      break;
    case "multiple": {
      const [other] = readCodedLines(form.other, "other");
      question = {
        ...base,
        kind,
        options: readCodedLines(form.options, "option"),
        ...(other ? { other } : {}),
      };
      break;
    }
    case "likert":
      if (!form.scale) errors.push({ field: "scale", text: "Select the scale respondents answer on" });
      question = { ...base, kind, scale: form.scale };
      break;
    case "grid":
      if (!form.scale) errors.push({ field: "scale", text: "Select the scale respondents answer on" });
      question = { ...base, kind, scale: form.scale, statements: toStatements(form.statements) };
      break;
    case "paired":
      if (existing?.kind !== "paired")
        return {
          errors: [{ field: "text", text: "Add before and after questions from the consultation's page" }],
        };
      question = { ...base, kind, set: existing.set, phase: existing.phase };
      break;
    case "text": {
      const maxLength = readNumber(form.maxLength, "maxLength", "the most characters", errors) ?? 2000;
      const rows = readNumber(form.rows, "rows", "the box's height in lines", errors) ?? 5;
      question = { ...base, kind, maxLength, rows };
      break;
    }
    case "number": {
      const min = readNumber(form.min, "min", "the lowest number", errors);
      const max = readNumber(form.max, "max", "the highest number", errors);
      question = {
        ...base,
        kind,
        ...(min !== undefined ? { min } : {}),
        ...(max !== undefined ? { max } : {}),
        integer: form.integer !== "no",
        ...(form.suffix.trim() ? { suffix: form.suffix.trim() } : {}),
      };
      break;
    }
  }
  return errors.length > 0 ? { errors } : { question, errors };
}

/** A question as its form shows it. */
export function questionValues(q: Question): Record<string, string> {
  const common = {
    kind: q.kind,
    text: q.text,
    id: q.id,
    hint: q.hint ?? "",
    required: q.required ? "yes" : "no",
  };
  switch (q.kind) {
    case "single":
      return { ...common, options: optionLines(q.options) };
    case "multiple":
      return { ...common, options: optionLines(q.options), other: q.other ? optionLines([q.other]) : "" };
    case "likert":
      return { ...common, scale: q.scale };
    case "grid":
      return { ...common, scale: q.scale, statements: statementLines(q.statements) };
    case "text":
      return { ...common, maxLength: String(q.maxLength), rows: String(q.rows) };
    case "number":
      return {
        ...common,
        min: q.min === undefined ? "" : String(q.min),
        max: q.max === undefined ? "" : String(q.max),
        integer: q.integer ? "yes" : "no",
        suffix: q.suffix ?? "",
      };
    default:
      return common;
  }
}

/** Where each schema error about the question at `at` ("$.pages[1].questions[2]") goes on its form. */
export function questionFields(at: string): Record<string, string> {
  const map: Record<string, string> = { "$.scales": "scale" };
  for (const f of [
    "text",
    "id",
    "hint",
    "options",
    "other",
    "scale",
    "statements",
    "maxLength",
    "rows",
    "min",
    "max",
    "suffix",
    "showIf",
  ])
    map[`${at}.${f}`] = f;
  map[at] = "text";
  return map;
}
