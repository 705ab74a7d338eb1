import {
  type AnswerSet,
  isMultipleAnswer,
  questionApplies,
  visiblePages,
} from "../../../../analysis/answers.js";
import {
  type ConsultationDefinition,
  optionsOf,
  type Question,
  statementsOf,
} from "../../../../analysis/definition.js";
import { statementField } from "../questionnaire/schema.js";

interface Row {
  key: { text: string };
  value: { text: string };
  actions: { items: { href: string; text: string; visuallyHiddenText: string }[] };
}

/**
 * A run of answers shown as one summary list: single questions in a list without a title, or the
 * statements of one grid or paired question in a summary card titled with the question, as GOV.UK's
 * summary list pattern groups related answers (https://design-system.service.gov.uk/components/summary-list/),
 * so the question is said once, not before every statement.
 */
interface Group {
  title?: string;
  rows: Row[];
}

/**
 * For each page the respondent saw, its answers in groups, each with a link to change it.
 * `removedText` is what a stored comment the retention job has emptied says (officers' view of a
 * response); without it, an empty answer reads "Not answered".
 */
export function summarySections(
  def: ConsultationDefinition,
  answers: AnswerSet,
  base: string,
  opts: { removedText?: string } = {},
) {
  return visiblePages(def, answers)
    .filter((page) => page.questions.length > 0)
    .map((page) => {
      const groups: Group[] = [];
      const plain = (): Row[] => {
        const last = groups.at(-1);
        if (last && last.title === undefined) return last.rows;
        const rows: Row[] = [];
        groups.push({ rows });
        return rows;
      };
      const change = (field: string, what: string) => ({
        items: [
          { href: `${base}/respond/${page.id}?change=1#${field}`, text: "Change", visuallyHiddenText: what },
        ],
      });
      for (const q of page.questions) {
        if (!questionApplies(page, q, answers)) continue;
        const statements = statementsOf(def, q);
        if (statements.length > 0) {
          const chosen = answers[q.id];
          const rows: Row[] = [];
          for (const s of statements) {
            const code = typeof chosen === "object" && !isMultipleAnswer(chosen) ? chosen[s.id] : undefined;
            rows.push({
              key: { text: s.text },
              value: { text: code ? labelOf(def, q, code) : "Not answered" },
              actions: change(statementField(q, s), s.text),
            });
          }
          groups.push({ title: q.text, rows });
        } else
          plain().push({
            key: { text: q.text },
            value: { text: describe(def, q, answers, opts.removedText) },
            actions: change(q.id, q.text),
          });
      }
      return { id: page.id, title: page.title, groups };
    });
}

function labelOf(def: ConsultationDefinition, q: Question, code: string): string {
  return optionsOf(def, q).find((o) => o.code === code)?.label ?? code;
}

function describe(
  def: ConsultationDefinition,
  q: Question,
  answers: AnswerSet,
  removedText?: string,
): string {
  const value = answers[q.id];
  if (value === "" && q.kind === "text" && removedText) return removedText;
  if (value === undefined || value === "") return "Not answered";
  if (typeof value === "number") return value.toLocaleString("en-GB");
  if (typeof value === "string") return q.kind === "text" ? value : labelOf(def, q, value);
  if (isMultipleAnswer(value)) {
    const labels = value.codes.map((c) => labelOf(def, q, c));
    return value.other ? `${labels.join(", ")} (${value.other})` : labels.join(", ");
  }
  return "";
}
