/**
 * A whole response as the "published responses" page shows it (issue 11, as Citizen Space does):
 * published only when the respondent consented, and only once an officer has decided on each of
 * its comments. Closed answers appear as their labels; a comment appears in its approved redacted
 * form, or as withheld. Pure: the answers come in as plain rows.
 */
import {
  allQuestions,
  type ConsultationDefinition,
  optionsOf,
  type Question,
  statementsOf,
} from "./definition.js";

/** One stored answer of a response, with its comment's moderation where it has one. */
export interface AnswerFact {
  questionId: string;
  /** The grid or paired statement ("" for a question with one item). */
  statement: string;
  code: string | null;
  number: number | null;
  text: string | null;
  decision: string | null;
  redacted: string | null;
}

export interface PublishedAnswer {
  question: string;
  lines: string[];
}

export const WITHHELD = "Not published: withheld by the moderator.";

const published = (f: AnswerFact) => (f.decision === "approved" ? (f.redacted ?? "") : WITHHELD);

function linesOf(def: ConsultationDefinition, q: Question, facts: readonly AnswerFact[]): string[] {
  const label = (code: string | null) => optionsOf(def, q).find((o) => o.code === code)?.label ?? code ?? "";
  switch (q.kind) {
    case "text":
      return facts.filter((f) => f.text !== null && f.text !== "").map(published);
    case "number":
      return facts.map((f) => `${f.number ?? ""}${q.suffix ? ` ${q.suffix}` : ""}`);
    case "multiple":
      return facts.map((f) =>
        q.other && f.code === q.other.code && f.text ? `${label(f.code)}: ${published(f)}` : label(f.code),
      );
    case "grid":
    case "paired":
      return statementsOf(def, q).flatMap((s) => {
        const f = facts.find((x) => x.statement === s.id);
        return f ? [`${s.text}: ${label(f.code)}`] : [];
      });
    default:
      return facts.map((f) => label(f.code));
  }
}

/** The response's answers, question by question in the definition's order; unanswered ones left out. */
export function publishedResponse(
  def: ConsultationDefinition,
  facts: readonly AnswerFact[],
): PublishedAnswer[] {
  const byQuestion = new Map<string, AnswerFact[]>();
  for (const f of facts) byQuestion.set(f.questionId, [...(byQuestion.get(f.questionId) ?? []), f]);
  return allQuestions(def).flatMap((q) => {
    const lines = linesOf(def, q, byQuestion.get(q.id) ?? []).filter((l) => l !== "");
    return lines.length > 0 ? [{ question: q.text, lines }] : [];
  });
}
