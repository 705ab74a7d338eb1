/**
 * "Who responded": the choice questions, which in council questionnaires describe the respondent
 * (role, supplier details, capacity), each with its counts in words and its chart and table.
 */

import type { ConsultationDefinition, Page } from "../definition.js";
import { QUICK, redact } from "../redaction.js";
import type { ConsultationResults, QuestionResult } from "../results/model.js";
import { choiceSentence, multipleNote } from "./sentences.js";
import { part, type ReportPart, type ReportSection, resultOf, section } from "./types.js";
import { count, listJoin, plural, quote } from "./words.js";

/** "Other" texts listed in the report; the rest are counted. */
const OTHER_SHOWN = 10;

/** "Only respondents who ticked ‘Supplier to the council’ (9) were asked the questions under ‘About your organisation’." */
function conditionSentence(page: Page, results: ConsultationResults): string | null {
  const condition = page.showIf;
  if (!condition) return null;
  const asked = resultOf(results, condition.question);
  if (!asked || (asked.kind !== "single" && asked.kind !== "multiple")) return null;
  const chosen = asked.result.options.filter((o) => condition.anyOf.includes(o.code));
  const verb = asked.kind === "multiple" ? "ticked" : "chose";
  const howMany = chosen.length === 1 && chosen[0] ? ` (${count(chosen[0].count)})` : "";
  return `Only respondents who ${verb} ${listJoin(
    chosen.map((o) => quote(o.label)),
    "or",
  )}${howMany} were asked the questions under ${quote(page.title)}.`;
}

function choicePart(q: QuestionResult): ReportPart | null {
  if (q.kind !== "single" && q.kind !== "multiple") return null;
  const paragraphs = [choiceSentence(q.result)];
  if (q.kind === "multiple") {
    paragraphs.push(multipleNote(q.result, q.question.text));
    const other = q.result.options.find((o) => o.isOther);
    const texts = q.result.otherTexts.map((t) => redact(t, QUICK));
    if (other && texts.length > 0) {
      const shown = texts.slice(0, OTHER_SHOWN).map(quote);
      const more = texts.length - shown.length;
      paragraphs.push(
        `Those who ticked ${quote(other.label)} described themselves as: ${listJoin(
          more > 0 ? [...shown, `${plural(more, "other")}`] : shown,
        )}.`,
      );
    }
  }
  return part(`who-${q.question.id}`, q.question.text, {
    paragraphs,
    blocks: [{ kind: "question", questionId: q.question.id }],
  });
}

export function buildWhoResponded(
  definition: ConsultationDefinition,
  results: ConsultationResults,
): ReportSection {
  const parts: ReportPart[] = [];
  for (const page of definition.pages) {
    let condition = conditionSentence(page, results);
    for (const question of page.questions) {
      const result = resultOf(results, question.id);
      const built = result ? choicePart(result) : null;
      if (!built) continue;
      if (condition) {
        built.paragraphs.unshift(condition);
        condition = null;
      }
      parts.push(built);
    }
  }
  const paragraphs =
    parts.length === 0
      ? ["The questionnaire did not ask respondents about themselves."]
      : [`The ${plural(results.respondents, "respondent")} described themselves as follows.`];
  return { ...section("who-responded", "Who responded", { paragraphs, parts }), kind: "text" };
}
