import {
  type Condition,
  type ConsultationDefinition,
  findQuestion,
  optionsOf,
  type Question,
} from "../../../../analysis/definition.js";

/** "Shown when ‘In what role…?’ is ‘Supplier’ or ‘Business’". */
export function conditionText(def: ConsultationDefinition, condition: Condition): string {
  const q = findQuestion(def, condition.question);
  if (!q) return `Shown only after an answer to ${condition.question}`;
  const labels = optionsOf(def, q)
    .filter((o) => condition.anyOf.includes(o.code))
    .map((o) => `\u2018${o.label}\u2019`);
  return `Shown when \u2018${q.text}\u2019 is answered ${labels.join(" or ")}`;
}

/**
 * The questions a condition on page `pageIndex` may look at: the single and multiple choice and
 * rating questions of earlier pages, as the definition's check requires.
 */
export function conditionSources(
  def: ConsultationDefinition,
  pageIndex: number,
): { question: Question; options: { code: string; label: string }[] }[] {
  return def.pages
    .slice(0, pageIndex)
    .flatMap((p) => p.questions)
    .filter((q) => q.kind === "single" || q.kind === "multiple" || q.kind === "likert")
    .map((q) => ({ question: q, options: optionsOf(def, q) }));
}
