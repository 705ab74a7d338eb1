/**
 * "Results question by question": each rating question with its sentences and a reference to its
 * chart and table, in questionnaire order. A paired set's shift part follows its "after" question.
 */

import type { ConsultationDefinition } from "../definition.js";
import type { ConsultationResults, QuestionResult } from "../results/model.js";
import { pairedPhrases } from "./background.js";
import {
  gridLines,
  gridLowest,
  gridRanking,
  headlineObject,
  likertBase,
  likertHeadline,
} from "./sentences.js";
import { shiftSentences } from "./shifts.js";
import { part, type ReportPart, type ReportSection, section } from "./types.js";
import { plural, quote, scaleWords, sentence } from "./words.js";

/**
 * A question's heading: its text, or "Page title: text" when another question has the same text
 * (the Strategic Plan asks "How important ... is each of these aims?" on five pages).
 */
function headingFor(q: QuestionResult, results: ConsultationResults): string {
  const same = results.questions.filter((other) => other.question.text === q.question.text).length;
  return same > 1 ? `${q.question.pageTitle}: ${q.question.text}` : q.question.text;
}

/** A finding prefixed with its page title when its question's text is not unique. */
function inContext(finding: string, q: QuestionResult, results: ConsultationResults): string {
  return headingFor(q, results) === q.question.text
    ? finding
    : `${q.question.pageTitle}: ${finding.charAt(0).toLowerCase()}${finding.slice(1)}`;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

interface ByQuestion {
  section: ReportSection;
  /** One or two sentences per rating question and paired set, for the main findings. */
  findings: string[];
}

function likertPart(q: Extract<QuestionResult, { kind: "likert" }>, findings: string[]): ReportPart {
  const headline = likertHeadline(q.scale, q.distribution, q.question.text);
  // A finding must say what it is about: the headline does when it names what was agreed with.
  findings.push(
    headlineObject(q.scale, q.question.text) !== "" ? headline : `${quote(q.question.text)}: ${headline}`,
  );
  return part(`result-${q.question.id}`, q.question.text, {
    paragraphs: [headline, likertBase(q.distribution)],
    blocks: [{ kind: "question", questionId: q.question.id }],
  });
}

function gridPart(
  q: Extract<QuestionResult, { kind: "grid" }>,
  results: ConsultationResults,
  findings: string[],
): ReportPart {
  const ranking = gridRanking(q.scale, q.statements);
  const lowest = gridLowest(q.scale, q.statements, q.question.text);
  // The main findings name the least popular statement of agreement grids (principles, outcomes);
  // for other scales the ranking sentence says enough, and the detail stays in the results.
  const agreement = scaleWords(q.scale).positive === "agreed";
  for (const s of agreement ? [ranking, lowest] : [ranking]) {
    if (!s) continue;
    // "Agreement was the same for every statement" names no statement: the finding says which question.
    const named = s.includes("\u2018");
    findings.push(named ? inContext(s, q, results) : `${quote(headingFor(q, results))}: ${lowerFirst(s)}`);
  }
  return part(`result-${q.question.id}`, headingFor(q, results), {
    paragraphs: [ranking, lowest].filter((s): s is string => s !== null),
    list: gridLines(q.scale, q.statements),
    blocks: [{ kind: "question", questionId: q.question.id }],
  });
}

function pairedPart(
  definition: ConsultationDefinition,
  q: Extract<QuestionResult, { kind: "paired" }>,
): ReportPart {
  const phrases = pairedPhrases(definition, q.set.id);
  const ranking = gridRanking(q.scale, q.statements);
  const lead = sentence(q.phase === "before" ? phrases.before : phrases.after);
  return part(`result-${q.question.id}`, q.question.text, {
    paragraphs: ranking ? [`${lead}, ${ranking.charAt(0).toLowerCase()}${ranking.slice(1)}`] : [],
    blocks: [{ kind: "question", questionId: q.question.id }],
  });
}

export function buildResults(definition: ConsultationDefinition, results: ConsultationResults): ByQuestion {
  const parts: ReportPart[] = [];
  const findings: string[] = [];
  for (const q of results.questions) {
    if (q.kind === "likert") parts.push(likertPart(q, findings));
    else if (q.kind === "grid") parts.push(gridPart(q, results, findings));
    else if (q.kind === "number")
      parts.push(
        part(`result-${q.question.id}`, q.question.text, {
          paragraphs: [
            q.count === 0
              ? "Nobody answered this question."
              : `${plural(q.count, "respondent")} answered; the mean was ${q.mean === null ? "not available" : q.mean.toFixed(1)}.`,
          ],
          blocks: [{ kind: "question", questionId: q.question.id }],
        }),
      );
    else if (q.kind === "paired") {
      parts.push(pairedPart(definition, q));
      const set = results.paired.find((p) => p.set.id === q.set.id);
      if (q.phase === "after" && set) {
        const phrases = pairedPhrases(definition, q.set.id);
        const words = shiftSentences(set, phrases.after);
        // "… rose for every statement" names no statement: the finding says which question.
        findings.push(`${quote(headingFor(q, results))}: ${lowerFirst(words.headline)}`);
        parts.push(
          part(`shift-${q.set.id}`, "How views changed", {
            paragraphs: words.paragraphs,
            blocks: [{ kind: "paired", setId: q.set.id }],
          }),
        );
      }
    }
  }
  const paragraphs =
    parts.length === 0
      ? ["The questionnaire had no rating questions."]
      : [
          "The results of each rating question, in the order they were asked, with a chart and the table of figures behind it.",
        ];
  return {
    section: { ...section("results", "Results question by question", { paragraphs, parts }), kind: "text" },
    findings,
  };
}
