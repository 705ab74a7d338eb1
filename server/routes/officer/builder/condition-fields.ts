import { z } from "zod";
import type { Condition, ConsultationDefinition } from "../../../../analysis/definition.js";
import { conditionSources } from "./conditions.js";
import type { FieldError } from "./save.js";

const many = z
  .union([z.string().max(100), z.array(z.string().max(100)).max(300)])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

export type ConditionSource = ReturnType<typeof conditionSources>[number];

/**
 * The "Show this only when…" fields: `showIf` names an earlier question (or "" for always), and
 * `showIf-<question id>` holds the answers to that question that show it.
 */
export function conditionFields(sources: ConditionSource[]) {
  return {
    showIf: z.string().max(100).default(""),
    ...Object.fromEntries(sources.map((s) => [`showIf-${s.question.id}`, many])),
  };
}

export function conditionValues(condition: Condition | undefined): Record<string, string | string[]> {
  return condition
    ? { showIf: condition.question, [`showIf-${condition.question}`]: condition.anyOf }
    : { showIf: "" };
}

/** The condition the fields describe, or the error to show. */
export function readCondition(
  form: Record<string, unknown>,
  sources: ConditionSource[],
): { condition?: Condition; error?: FieldError } {
  const question = String(form.showIf ?? "");
  if (question === "") return {};
  const source = sources.find((s) => s.question.id === question);
  if (!source) return { error: { field: "showIf", text: "Select a question on an earlier page, or always" } };
  const picked = form[`showIf-${question}`];
  const codes = (Array.isArray(picked) ? picked : []).filter((c): c is string => typeof c === "string");
  const valid = codes.filter((c) => source.options.some((o) => o.code === c));
  if (valid.length === 0)
    return {
      error: {
        field: `showIf-${question}`,
        text: `Select the answers to \u2018${source.question.text}\u2019 that show this`,
      },
    };
  return { condition: { question, anyOf: valid } };
}

/** What the condition partial needs: the questions it may look at, as plain items. */
export function conditionChoices(def: ConsultationDefinition, pageIndex: number) {
  return conditionSources(def, pageIndex).map((s) => ({
    id: s.question.id,
    text: s.question.text,
    options: s.options.map((o) => ({ code: o.code, label: o.label })),
  }));
}
