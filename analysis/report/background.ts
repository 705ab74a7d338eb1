/**
 * The report's framing sections: background and method (dates, audience, promotion, the
 * questionnaire, how many responded and how) and "about these figures" (bases, "don't know", the
 * tests used). Sentences from the definition and the results only.
 */

import { ukDateTime } from "../dates.js";
import { type ConsultationDefinition, momentsOf } from "../definition.js";
import { LOW_BASE } from "../results/likert.js";
import type { ConsultationResults } from "../results/model.js";
import { type Scale, scaleWording } from "../scales.js";
import { part, questionsOf, type ReportSection, section } from "./types.js";
import { CHANNEL_WORDS, count, duration, inSentence, listJoin, longDate, plural, quote } from "./words.js";

/** "43 people responded, all online." / "259 people responded: 244 online, 10 on paper and 5 by email." */
export function respondentsSentence(
  respondents: number,
  channels: readonly { channel: string; n: number }[],
): string {
  if (respondents === 0) return "Nobody responded.";
  const used = channels
    .filter((c) => c.n > 0)
    .map((c, i) => ({ ...c, i }))
    .sort((a, b) => b.n - a.n || a.i - b.i);
  const how = (channel: string) => CHANNEL_WORDS[channel] ?? `by ${channel}`;
  const people = respondents === 1 ? "1 person responded" : `${count(respondents)} people responded`;
  const only = used[0];
  if (used.length === 0 || !only) return `${people}.`;
  if (used.length === 1 && only.n === respondents)
    return respondents === 1 ? `${people} ${how(only.channel)}.` : `${people}, all ${how(only.channel)}.`;
  return `${people}: ${listJoin(used.map((c) => `${count(c.n)} ${how(c.channel)}`))}.`;
}

/** How the two askings of a paired set are described: the definition's moments (see momentsOf). */
export function pairedPhrases(definition: ConsultationDefinition, setId: string) {
  return momentsOf(definition, setId);
}

function questionnaireSentences(definition: ConsultationDefinition): string[] {
  const questions = questionsOf(definition);
  const kinds = (list: string[]) => questions.filter((q) => list.includes(q.kind)).length;
  const parts = [
    [kinds(["single", "multiple"]), "multiple-choice question"],
    [
      kinds(["likert", "grid", "paired"]),
      "question asking for ratings on a scale",
      "questions asking for ratings on a scale",
    ],
    [kinds(["number"]), "question asking for a number"],
    [
      kinds(["text"]),
      "question inviting comments in respondents’ own words",
      "questions inviting comments in respondents’ own words",
    ],
  ] as const;
  const described = parts
    .filter(([n]) => n > 0)
    .map(([n, singular, pluralForm]) => plural(n, singular, pluralForm));
  const sentences = [
    `The questionnaire had ${plural(questions.length, "question")}: ${listJoin(described)}.`,
  ];
  for (const set of definition.pairedSets) {
    const phrases = pairedPhrases(definition, set.id);
    sentences.push(
      `Respondents rated the same ${plural(set.statements.length, "statement")} ${phrases.before} and again ${phrases.after}, so that any change in their views could be measured.`,
    );
  }
  const conditional = definition.pages.filter((p) => p.showIf && p.questions.length > 0);
  if (conditional.length > 0)
    sentences.push(
      `Some questions were asked only of some respondents: ${listJoin(conditional.map((p) => quote(p.title)))}.`,
    );
  return sentences;
}

export function buildBackground(
  definition: ConsultationDefinition,
  results: ConsultationResults,
  respondents: string,
): ReportSection {
  const documents =
    definition.documents.length > 0
      ? [`The consultation documents were ${listJoin(definition.documents.map((d) => quote(d.title)))}.`]
      : [];
  const promoted = definition.promotion.length > 0 ? ["It was promoted through:"] : [];
  return {
    ...section("background", "Background and method", {
      paragraphs: [
        `The consultation ran for ${duration(definition.opens, definition.closes)}, from ${longDate(definition.opens)} to ${ukDateTime(definition.closes)}. It was aimed at ${inSentence(definition.audience)}.`,
      ],
      parts: [
        // The definition's own words, addressed to respondents: headed so that "we would like to
        // know ..." reads as what the consultation said.
        part("introduction", "How the consultation was introduced", { paragraphs: definition.summary }),
        part("promotion", "Documents and promotion", {
          paragraphs: [...documents, ...promoted],
          list: definition.promotion,
        }),
        part("questionnaire", "The questionnaire", { paragraphs: questionnaireSentences(definition) }),
        part("responses", "Responses", {
          paragraphs: [
            respondents,
            ...(results.respondents > 0
              ? ["The chart shows when responses arrived, by how they were sent."]
              : []),
          ],
          blocks: results.respondents > 0 ? [{ kind: "timeline" }] : [],
        }),
      ].filter((p) => p.paragraphs.length > 0),
    }),
    kind: "text",
  };
}

/** What the totals columns of a scale's tables add, in the words that head them; null when nothing to say. */
function scaleNote(scale: Scale): string | null {
  const labels = (group: string) => scale.options.filter((o) => o.group === group).map((o) => quote(o.label));
  const words = scaleWording(scale);
  const excluded = labels("excluded");
  const parts = words.hasTotals
    ? [
        `the ${quote(`${words.positive} (total)`)} column adds ${listJoin(labels("positive"))}`,
        `the ${quote(`${words.negative} (total)`)} column adds ${listJoin(labels("negative"))}`,
      ]
    : [];
  if (excluded.length > 0) parts.push(`${listJoin(excluded, "and")} answers are counted apart`);
  if (parts.length === 0) return null;
  return `On the scale ${quote(scale.name)}, ${parts.join("; ")}.`;
}

/** "About these figures": bases, rounding, "don't know", multiple answers, the tests, redaction. */
export function buildAbout(definition: ConsultationDefinition, results: ConsultationResults): ReportSection {
  const scales = new Map<string, Scale>();
  for (const q of results.questions) if ("scale" in q) scales.set(q.scale.id, q.scale);
  const paragraphs = [
    "Each percentage is of the respondents who answered that question (its base, given with every table). Percentages are rounded to whole numbers, so those of one question may not add up to exactly 100%.",
    "‘Don’t know’ answers and questions left blank are not in the base of any percentage; the tables give their numbers. Where respondents could tick more than one answer, percentages are of respondents, not of ticks, and can add up to more than 100%.",
    ...[...scales.values()].map(scaleNote).filter((note): note is string => note !== null),
    `Results with a base below ${LOW_BASE} are marked as indicative: with so few answers, a percentage can move a long way on a handful of people.`,
  ];
  paragraphs.push(
    "Percentages carry 95% intervals by Wilson’s score method in the summary CSV. Mean scores, where a scale gives its points a score, carry a 95% interval from the normal approximation (the mean plus or minus 1.96 standard errors).",
  );
  if (definition.pairedSets.length > 0)
    paragraphs.push(
      "Before and after: only respondents who rated a statement on the scale both times count for it (complete pairs). The shift is the change in the percentage in the scale’s positive group (for example agreeing), in percentage points, shown as the difference of the two rounded percentages; its 95% interval is for the difference of paired proportions by Newcombe’s method 10.",
      "Two tests answer two different questions. The Wilcoxon signed-rank test asks whether ratings moved along the whole scale: two-sided, on the differences in scores, with unchanged ratings ranked and then set aside as Pratt (1959) proposed, using the normal approximation with a correction for ties and no continuity correction (the exact distribution when there are at most 50 pairs, none unchanged and no ties). McNemar’s exact test (two-sided, binomial) asks whether the share in the positive group changed, from the respondents who moved into or out of it. A result with p below 0.05 is described as more than chance would explain; a change in the share is described so only when its interval also excludes no change.",
    );
  paragraphs.push(
    "The respondents chose to take part, so the results describe their views and are not a survey of a representative sample of the population.",
    "Comments are reproduced as written, except that email addresses, phone numbers, postcodes and long numbers have been removed to protect respondents’ privacy.",
  );
  return { ...section("about-these-figures", "About these figures", { paragraphs }), kind: "text" };
}
