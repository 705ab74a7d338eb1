/**
 * The consultation summary report as plain data: sections of headings, generated sentences, lists
 * and references to result blocks (the chart and table of a question, a paired set or the
 * responses over time), in the order councils publish them (the model is Leicestershire's
 * "Consultation feedback summary", ../shared/seeds/002, Appendix 1):
 *
 *   main findings · background and method · who responded · results question by question (with
 *   before/after shifts and agreement with each principle or outcome) · [themes] · comments ·
 *   we asked, you said, we did · about these figures
 *
 * Pure: every number and every ranking comes from `results` (analysis/results), every percentage
 * is formatted by analysis/results/format.ts, and every published free text goes through
 * analysis/redaction.ts. The view (views/report/report.ejs) resolves block references to the
 * dashboard's chart and table specifications and only lays the report out.
 */

import type { ConsultationDefinition } from "../definition.js";
import { QUICK, redact } from "../redaction.js";
import { percent } from "../results/format.js";
import type { ConsultationResults } from "../results/model.js";
import { buildAbout, buildBackground, respondentsSentence } from "./background.js";
import { buildResults } from "./questions.js";
import {
  type CommentGroup,
  type CommentInput,
  type ReportMeta,
  type ReportModel,
  type ReportSection,
  type ReportTheme,
  section,
  type WeDidEntry,
} from "./types.js";
import { buildWhoResponded } from "./who-responded.js";
import { listJoin, longDate, plural } from "./words.js";

export type * from "./types.js";

function commentsSection(comments: readonly CommentInput[]): ReportSection {
  const groups: CommentGroup[] = comments.map((c) => {
    const texts = c.texts.map((t) => redact(t, QUICK).trim()).filter((t) => t !== "");
    const total = Math.max(c.total ?? c.texts.length, texts.length);
    return {
      questionId: c.questionId,
      questionText: c.questionText,
      total,
      texts,
      notShown: total - texts.length,
      ...(c.moderated ? { approved: c.moderated.approved } : {}),
    };
  });
  const moderated = comments.some((c) => c.moderated);
  const all = groups.reduce((sum, g) => sum + g.total, 0);
  const paragraphs =
    all === 0
      ? ["Nobody wrote a comment."]
      : [
          `Respondents wrote ${plural(all, "comment")} in answer to ${plural(groups.filter((g) => g.total > 0).length, "question")}. ` +
            (moderated
              ? "Only comments an officer has checked and approved are shown, grouped by question, with names, street addresses, email addresses, phone numbers, postcodes and long numbers removed."
              : "They are shown as written, grouped by question, except that email addresses, phone numbers, postcodes and long numbers have been removed."),
        ];
  if (groups.some((g) => g.notShown > 0))
    paragraphs.push("Where a question had more comments than are shown, the number not shown is given.");
  return { ...section("comments", "What people said"), paragraphs, kind: "comments", groups };
}

/** How many comments are still without a confirmed theme, once per question, when known. */
function uncodedSentence(themes: readonly ReportTheme[]): string[] {
  const byQuestion = new Map<string, number>();
  for (const t of themes) if (t.uncoded !== undefined) byQuestion.set(t.questionIds?.join() ?? "", t.uncoded);
  const uncoded = [...byQuestion.values()].reduce((a, b) => a + b, 0);
  return uncoded > 0
    ? [`${plural(uncoded, "comment")} had not been given a confirmed theme when this report was made.`]
    : [];
}

/** How the comments were coded: who made the counted tags, and how far the model agreed. */
function codingSentences(themes: readonly ReportTheme[]): string[] {
  const coded = themes.filter((t) => t.coding !== undefined);
  if (coded.length === 0) return [];
  const sum = (k: "officer" | "rule" | "model") => coded.reduce((a, t) => a + (t.coding?.[k] ?? 0), 0);
  const [officer, rule, model] = [sum("officer"), sum("rule"), sum("model")];
  const total = officer + rule + model;
  const made = [
    `${plural(officer, "was", "were")} applied by officers as they read the comments`,
    ...(rule > 0 ? [`${rule.toLocaleString("en-GB")} first suggested by keyword rules`] : []),
    ...(model > 0
      ? [
          `${model.toLocaleString("en-GB")} first suggested by a model that learned from the officers’ own coding`,
        ]
      : []),
  ];
  const sentences = [
    `Officers coded the comments against a codebook of themes, and only tags an officer confirmed are counted. Of the ${plural(total, "counted tag")}, ${listJoin(made)}${rule + model > 0 ? ", each confirmed by an officer" : ""}.`,
  ];
  const f1 = coded.flatMap((t) => (t.coding?.modelF1 !== undefined ? [t.coding.modelF1] : []));
  if (model > 0 && f1.length > 0)
    sentences.push(
      `Measured on comments it had not learned from, the model agreed with the officers with an F1 score between ${Math.min(...f1).toFixed(2)} and ${Math.max(...f1).toFixed(2)} across themes (1 is full agreement, 0 none); its suggestions were a first reading, not a count.`,
    );
  sentences.push(...officersSentence(coded));
  return sentences;
}

/** The middle value (the mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * How far two officers agreed with each other on a blind double-coded sample: the baseline the
 * model's F1 is read against (a model cannot be expected to agree with officers more than they agree
 * with each other). A theme used on more than one question is listed per question with the same
 * figure: it is taken once.
 */
function officersSentence(coded: readonly ReportTheme[]): string[] {
  const byTheme = new Map<number, { f1: number; kappa: number; sample: number }>();
  for (const t of coded) if (t.coding?.officers) byTheme.set(t.coding.officers.themeId, t.coding.officers);
  const measured = [...byTheme.values()];
  if (measured.length === 0) return [];
  const f1 = measured.map((o) => o.f1);
  const kappa = measured.map((o) => o.kappa);
  const sample = Math.max(...measured.map((o) => o.sample));
  return [
    `To see how far officers agree with each other, a second officer coded a random sample of ${plural(sample, "comment")} blind, without seeing the first coding. Across ${plural(measured.length, "theme")}, the two officers agreed with a median F1 score of ${median(f1).toFixed(2)} (from ${Math.min(...f1).toFixed(2)} to ${Math.max(...f1).toFixed(2)}) and a median kappa of ${median(kappa).toFixed(2)} (agreement beyond chance: 1 is full agreement, 0 no more than chance).`,
  ];
}

function themesSection(themes: readonly ReportTheme[]): ReportSection {
  const sorted = [...themes].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return {
    ...section("themes", "Themes in the comments", {
      paragraphs: [
        `Comments were grouped into ${plural(themes.length, "theme")}. A comment can raise more than one theme, so the counts can add up to more than the number of comments.`,
        ...uncodedSentence(themes),
        ...codingSentences(themes),
        ...[...new Set(themes.flatMap((t) => (t.campaigns ? [t.campaigns] : [])))],
        ...(themes.some((t) => t.stance)
          ? [
              "Where shown, the stance of each comment (supporting, mixed or opposing the proposal) was estimated from its words, not judged by an officer.",
            ]
          : []),
      ],
      list: sorted.map(
        (t) =>
          `${t.label}: ${plural(t.count, "comment")}${t.base ? ` (${percent(t.count / t.base)} of the ${t.base.toLocaleString("en-GB")} who commented)` : ""}${t.stance ? `; ${t.stance.supports.toLocaleString("en-GB")} supporting, ${t.stance.mixed.toLocaleString("en-GB")} mixed, ${t.stance.opposes.toLocaleString("en-GB")} opposing` : ""}`,
      ),
    }),
    kind: "themes",
    themes: sorted.map((t) => ({ ...t, quotes: t.quotes?.map((q) => redact(q, QUICK)) })),
  };
}

function weDidSection(entries: readonly WeDidEntry[]): ReportSection {
  const sorted = [...entries].sort((a, b) => a.position - b.position || a.id - b.id);
  return {
    ...section("we-did", "We asked, you said, we did", {
      paragraphs:
        sorted.length === 0
          ? ["The council’s response to the points raised will be published here."]
          : [
              `For each of the ${plural(sorted.length, "main point")} raised, what we asked, what respondents said and what the council has done in response.`,
            ],
    }),
    kind: "we-did",
    entries: sorted,
  };
}

/**
 * The report of one consultation.
 * - `definition`: the consultation as published; `results`: ResultsService.compute for all
 *   respondents (results.filter must be null: a report is of everyone).
 * - `comments`: every text question's answers, at most a page each (they are redacted here).
 * - `weDid`: the council's "we asked, you said, we did" entries, in any order.
 * - `meta.channels`: responses per channel; `meta.generatedAt`: when the report is produced.
 * - `themes` (optional): comment themes; the themes section is left out when there are none.
 */
export function buildReport(
  definition: ConsultationDefinition,
  results: ConsultationResults,
  comments: readonly CommentInput[],
  weDid: readonly WeDidEntry[],
  meta: ReportMeta,
  themes?: readonly ReportTheme[],
): ReportModel {
  if (results.filter !== null) throw new RangeError("A summary report is of all respondents, not a group");
  const respondents = respondentsSentence(results.respondents, meta.channels);
  const background = buildBackground(definition, results, respondents);
  const who = buildWhoResponded(definition, results);
  const byQuestion = buildResults(definition, results);
  const commentSection = commentsSection(comments);

  const findings = [respondents, ...byQuestion.findings];
  const commentCount = comments.reduce((sum, c) => sum + Math.max(c.total ?? 0, c.texts.length), 0);
  if (commentCount > 0) findings.push(`Respondents wrote ${plural(commentCount, "comment")}.`);

  const sections: ReportSection[] = [
    { ...section("main-findings", "Main findings", { list: findings }), kind: "text" },
    background,
    who,
    byQuestion.section,
  ];
  if (themes && themes.length > 0) sections.push(themesSection(themes));
  sections.push(commentSection, weDidSection(weDid), buildAbout(definition, results));

  return {
    slug: definition.slug,
    title: `${definition.title}: consultation summary report`,
    consultationTitle: definition.title,
    council: definition.council,
    opens: definition.opens,
    closes: definition.closes,
    respondents: results.respondents,
    generatedAt: meta.generatedAt.toISOString(),
    produced: `Produced on ${longDate(meta.generatedAt)} from the ${plural(results.respondents, "response")} received.`,
    sections,
  };
}
