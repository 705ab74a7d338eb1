import { z } from "zod";
import type { Condition, ConsultationDefinition } from "../../../../analysis/definition.js";
import { conditionSources } from "./conditions.js";
import type { FieldError } from "./save.js";

export type ConditionSource = ReturnType<typeof conditionSources>[number];

/**
 * "Show this only after certain answers": one checkbox per answer of each earlier choice question,
 * valued "question:code". Ticking none means always. Plain checkboxes work without JavaScript and
 * need no revealing.
 */
export function conditionFields(_sources: ConditionSource[]) {
  return {
    showIf: z
      .union([z.string().max(200), z.array(z.string().max(200)).max(2000)])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== "")),
  };
}

export function conditionValues(condition: Condition | undefined): { showIf: string[] } {
  return { showIf: condition ? condition.anyOf.map((code) => `${condition.question}:${code}`) : [] };
}

/** The condition the ticks describe, or the error to show. */
export function readCondition(
  form: { showIf: string[] },
  sources: ConditionSource[],
): { condition?: Condition; error?: FieldError } {
  if (form.showIf.length === 0) return {};
  const picked = form.showIf.map((v) => {
    const at = v.lastIndexOf(":");
    return { question: v.slice(0, at), code: v.slice(at + 1) };
  });
  const questions = new Set(picked.map((p) => p.question));
  const [question] = [...questions];
  const source = sources.find((s) => s.question.id === question);
  if (questions.size > 1 || !question || !source)
    return { error: { field: "showIf", text: "Tick answers to one earlier question only" } };
  const anyOf = picked.map((p) => p.code).filter((c) => source.options.some((o) => o.code === c));
  return { condition: { question, anyOf } };
}

/** What the condition partial needs: the questions it may look at, as plain items. */
export function conditionChoices(def: ConsultationDefinition, pageIndex: number) {
  return conditionSources(def, pageIndex).map((s) => ({
    id: s.question.id,
    text: s.question.text,
    options: s.options.map((o) => ({ code: o.code, label: o.label })),
  }));
}
