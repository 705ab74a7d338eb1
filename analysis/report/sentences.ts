/**
 * Sentences about one question's results, written from the analysis output and nothing else. Every
 * percentage goes through format.ts's percent() (whole numbers, rounded at display); rankings use the
 * unrounded shares, so two statements shown at the same rounded percentage can still be ordered.
 */

import type { ChoiceOptionResult, MultipleChoiceResult, SingleChoiceResult } from "../results/choice.js";
import { percent } from "../results/format.js";
import type { LikertDistribution, LikertOptionResult } from "../results/likert.js";
import type { Scale } from "../scales.js";
import { count, listJoin, plural, quote, quoteInSentence, type ScaleWords, scaleWords } from "./words.js";

/** Shares within this of each other count as tied (they come from integer counts over one base). */
const TIE = 1e-12;

function strongest(options: readonly LikertOptionResult[], group: "positive" | "negative") {
  const members = options.filter((o) => o.group === group);
  if (members.length < 2) return null;
  // The strongest positive is the first in scale order; the strongest negative the last.
  return group === "positive" ? members[0] : members[members.length - 1];
}

/** "79% agreed (39% strongly)". */
function groupPhrase(
  d: LikertDistribution,
  group: "positive" | "negative",
  words: ScaleWords,
  what = "",
): string {
  const share = d.groups[group].share;
  const verb = group === "positive" ? words.positive : words.negative;
  const strong = strongest(d.options, group);
  const adverb = group === "positive" ? words.strongPositive : words.strongNegative;
  const detail = strong && strong.count > 0 ? ` (${percent(strong.share)} ${adverb})` : "";
  return `${percent(share)} ${verb}${what}${detail}`;
}

/**
 * What was agreed with, when the question says: " with the vision statement" for "To what extent do
 * you agree or disagree with the vision statement?", " with the statement ‘Overall, I think ...’" for
 * a statement followed by "How far do you agree or disagree?"; else "".
 */
export function agreementObject(questionText: string): string {
  const text = questionText.trim();
  const statement = /^(.+?[.!])\s*(?:How far|To what extent|How much) do you agree or disagree\??$/i.exec(
    text,
  );
  if (statement?.[1]) return ` with the statement ${quote(statement[1])}`;
  const match = /\bagree(?: or disagree)? with (.+?)\s*\?/i.exec(text);
  const object = match?.[1]?.trim();
  if (!object || /^(each|these|this|the following)\b/i.test(object) || object.length > 90) return "";
  return ` with ${object}`;
}

/** What the headline says was agreed with ("" when the scale is not about agreeing or the text does not say). */
export function headlineObject(scale: Scale, questionText: string): string {
  return scaleWords(scale).positive === "agreed" ? agreementObject(questionText) : "";
}

/**
 * The headline of a Likert question: "79% of respondents agreed with the vision statement (39%
 * strongly), 11% neither agreed nor disagreed and 10% disagreed (3% strongly)."
 */
export function likertHeadline(scale: Scale, d: LikertDistribution, questionText: string): string {
  if (d.base === 0) return "Nobody chose a point on the scale for this question.";
  const words = scaleWords(scale);
  const what = headlineObject(scale, questionText);
  const parts = [`${groupPhrase(d, "positive", words, what)}`];
  if (words.neutral !== null && d.groups.neutral.optionCodes.length > 0)
    parts.push(`${percent(d.groups.neutral.share)} ${words.neutral}`);
  parts.push(groupPhrase(d, "negative", words));
  const [first = "", ...rest] = parts;
  const lead = first.replace(/^(\S+) /, "$1 of respondents ");
  return `${listJoin([lead, ...rest])}.`;
}

/** "42 respondents chose a point on the scale; 1 answered ‘Don’t know’ and is not counted in these percentages." */
export function likertBase(d: LikertDistribution): string {
  const excluded = d.excluded.filter((e) => e.count > 0);
  const base = `The base is the ${plural(d.base, "respondent")} who chose a point on the scale`;
  if (excluded.length === 0) return `${base}.`;
  const said = listJoin(excluded.map((e) => `${count(e.count)} answered ${quote(e.label)}`));
  const total = excluded.reduce((sum, e) => sum + e.count, 0);
  return `${base}; ${said} and ${total === 1 ? "is" : "are"} not counted in these percentages.`;
}

export interface RankedStatement {
  id: string;
  text: string;
  distribution: LikertDistribution;
}

/** Statements by the share in the scale's positive group, highest first; ties keep their order. */
export function rankByPositive(statements: readonly RankedStatement[]): RankedStatement[] {
  return statements
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.distribution.base > 0)
    .sort((a, b) => {
      const d = (b.s.distribution.groups.positive.share ?? 0) - (a.s.distribution.groups.positive.share ?? 0);
      return Math.abs(d) > TIE ? d : a.i - b.i;
    })
    .map(({ s }) => s);
}

const positiveShare = (s: RankedStatement) => s.distribution.groups.positive.share ?? 0;

/** The statements tied with the first of `ranked` (which is in the order wanted). */
function tiedWithFirst(ranked: readonly RankedStatement[]): RankedStatement[] {
  const first = ranked[0];
  if (!first) return [];
  return ranked.filter((s) => Math.abs(positiveShare(s) - positiveShare(first)) <= TIE);
}

function named(group: readonly RankedStatement[]): string {
  return listJoin(group.map((s) => quoteInSentence(s.text)));
}

/** "Agreement was highest for ‘A’ (88%) and lowest for ‘B’ (68%)." (null with fewer than 2 rated). */
export function gridRanking(scale: Scale, statements: readonly RankedStatement[]): string | null {
  const ranked = rankByPositive(statements);
  if (ranked.length < 2) return null;
  const words = scaleWords(scale);
  const top = tiedWithFirst(ranked);
  const bottom = tiedWithFirst([...ranked].reverse());
  if (top.length === ranked.length)
    return `${words.measure} was the same for every statement (${percent(top[0]?.distribution.groups.positive.share)}).`;
  const each = (group: readonly RankedStatement[]) =>
    `${percent(group[0]?.distribution.groups.positive.share)}${group.length > 1 ? " each" : ""}`;
  return `${words.measure} was highest for ${named(top)} (${each(top)}) and lowest for ${named(bottom)} (${each(bottom)}).`;
}

/**
 * The lowest-rated statement in detail, with each negative option: "The least popular principle was
 * ‘B’: 49% agreed (17% strongly), while 17% chose ‘Tend to disagree’ and 10% ‘Strongly disagree’."
 */
export function gridLowest(
  scale: Scale,
  statements: readonly RankedStatement[],
  questionText = "",
): string | null {
  const ranked = rankByPositive(statements);
  if (ranked.length < 2) return null;
  const bottom = tiedWithFirst([...ranked].reverse());
  const lowest = bottom[0];
  if (!lowest || bottom.length === ranked.length) return null;
  const words = scaleWords(scale);
  const d = lowest.distribution;
  const negatives = d.options.filter((o) => o.group === "negative" && o.count > 0);
  const against =
    negatives.length === 0
      ? `and nobody ${words.negative}`
      : `while ${listJoin(negatives.map((o, i) => `${percent(o.share)} ${i === 0 ? "chose " : ""}${quote(o.label)}`))}`;
  const noun = statementNoun(questionText);
  if (bottom.length > 1)
    return `The ${words.lowest(pluralNoun(noun))} were ${named(bottom)}, with ${percent(d.groups.positive.share)} each.`;
  return `The ${words.lowest(noun)} was ${named(bottom)}: ${groupPhrase(d, "positive", words)}, ${against}.`;
}

const pluralNoun = (noun: string) => (noun.endsWith("y") ? `${noun.slice(0, -1)}ies` : `${noun}s`);

/** What a grid's statements are ("principle", "outcome", "aim"), from its question; else "statement". */
export function statementNoun(questionText: string): string {
  const match =
    /\beach\b(?: of)?(?: the| these| our)?(?: [\w-]+){0,3}? (principle|outcome|aim|theme|priorit(?:y|ie)|proposal|area|option|service|objective)s?\b/i.exec(
      questionText,
    );
  const noun = match?.[1]?.toLowerCase();
  if (!noun) return "statement";
  return noun === "prioritie" ? "priority" : noun;
}

/** One line per statement, highest first: "‘Improving Opportunities’: 88% agreed (58% strongly), 5% disagreed." */
export function gridLines(scale: Scale, statements: readonly RankedStatement[]): string[] {
  const words = scaleWords(scale);
  return rankByPositive(statements).map(
    (s) =>
      `${quote(s.text)}: ${groupPhrase(s.distribution, "positive", words)}, ${groupPhrase(s.distribution, "negative", words)}.`,
  );
}

function byCountDesc(options: readonly ChoiceOptionResult[]): ChoiceOptionResult[] {
  return options
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => o.count > 0)
    .sort((a, b) => b.o.count - a.o.count || a.i - b.i)
    .map(({ o }) => o);
}

/**
 * "Of the 43 respondents who answered, 16 ticked ‘Council employee’ (37%), 14 ‘Member of the
 * public’ (33%) and 2 ‘Other’ (5%)." Largest first; options nobody chose are left out.
 */
export function choiceSentence(result: SingleChoiceResult | MultipleChoiceResult): string {
  if (result.base === 0) return "Nobody answered this question.";
  const verb = result.kind === "multiple" ? "ticked" : "chose";
  const parts = byCountDesc(result.options).map(
    (o, i) => `${count(o.count)} ${i === 0 ? `${verb} ` : ""}${quote(o.label)} (${percent(o.share)})`,
  );
  const who =
    result.base === 1
      ? "the 1 respondent who answered"
      : `the ${count(result.base)} respondents who answered`;
  return `Of ${who}, ${listJoin(parts)}.`;
}

/** The noun ticked in a multiple-choice question: "role" for "In what role...", else "answer". */
export function tickNoun(questionText: string): string {
  const match = /\b(role|service|area|interest|reason|option)s?\b/i.exec(questionText);
  return match?.[1]?.toLowerCase() ?? "answer";
}

/** "Respondents could tick more than one role, so the numbers add up to more than 43." */
export function multipleNote(result: MultipleChoiceResult, questionText: string): string {
  const noun = tickNoun(questionText);
  const sum = result.options.reduce((s, o) => s + o.count, 0);
  const tail = sum > result.base ? `, so the numbers add up to more than ${count(result.base)}` : "";
  return `Respondents could tick more than one ${noun}${tail}.`;
}
