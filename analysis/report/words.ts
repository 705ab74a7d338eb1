/**
 * Small pieces of English for the report's generated sentences: lists, quotes, counts, dates,
 * p values and the words each scale's groups take ("agreed", "said it was important"). Style
 * follows the GOV.UK style guide (https://www.gov.uk/guidance/style-guide/a-to-z-of-gov-uk-style):
 * numerals for numbers, "to" in ranges, no Oxford comma, single curly quotes for quoted words.
 */

import { ukDate } from "../dates.js";
import { pValue } from "../results/format.js";
import { type Scale, scaleWording } from "../scales.js";

/** "a", "a and b", "a, b and c". */
export function listJoin(items: readonly string[], conjunction = "and"): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}

/** A number with thousands separators: 1,234. */
export function count(n: number): string {
  return n.toLocaleString("en-GB");
}

/** "1 comment", "2 comments"; `plural` when the plural is not the singular plus "s". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count(n)} ${n === 1 ? singular : pluralForm}`;
}

/**
 * The text without the full stops and spaces it ends with. A loop, because `/[.\s]+$/` is tried
 * from each position of a long run of them and costs its square.
 */
export function withoutTrailingStops(text: string): string {
  let end = text.length;
  while (end > 0 && /[.\s]/.test(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}

/** Quoted as the reader sees it in a sentence: ‘text’ (no full stop at the end). */
export function quote(text: string): string {
  return `\u2018${withoutTrailingStops(text.trim())}\u2019`;
}

/**
 * First words that take a capital only because they start a sentence: determiners and the plain
 * nouns councils start an audience with ("Residents, service users ..."). Any other first word may be a
 * name ("Leicestershire", "Council", "Improving Opportunities") and keeps its capital.
 */
const COMMON_FIRST_WORDS = new Set(
  (
    "the a an this that these those our your their its my some any all every each " +
    "residents people anyone everyone staff businesses organisations partners suppliers members " +
    "parents families children local employees groups"
  ).split(" "),
);

/**
 * A statement quoted inside a sentence: ‘the Council is doing the best job it can’, keeping the
 * capital of a name (‘Leicestershire on track ...’, ‘Improving Opportunities’) or an instruction
 * (‘Make decisions based on evidence’), which reads correctly as written.
 */
export function quoteInSentence(text: string): string {
  return quote(lowerFirstWord(text.trim()));
}

function lowerFirstWord(text: string): string {
  const words = text.split(/\s+/);
  const first = words[0] ?? "";
  const longer = words.slice(1).filter((w) => /^[A-Za-z]{4,}/.test(w));
  const titleCase = longer.length > 0 && longer.filter((w) => /^[A-Z]/.test(w)).length * 2 >= longer.length;
  if (titleCase || !/^[A-Z][a-z]*$/.test(first.replace(/[,:;]$/, ""))) return text;
  if (!COMMON_FIRST_WORDS.has(first.replace(/[,:;]$/, "").toLowerCase())) return text;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Capitalise the first letter of a sentence. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A p value as reports print it: "p = 0.042", "p < 0.001". */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return "p not available";
  const shown = pValue(p);
  return shown.startsWith("<") ? `p ${shown}` : `p = ${shown}`;
}

/** "19 November 2014", in UK time (analysis/dates.ts). */
export const longDate = ukDate;

/** "8 weeks", "10 days": the length of a consultation period. */
export function duration(opens: string, closes: string): string {
  const days = (Date.parse(closes) - Date.parse(opens)) / 86_400_000;
  if (days >= 14) return plural(Math.round(days / 7), "week");
  return plural(Math.max(1, Math.round(days)), "day");
}

/** How each response channel reads in "43 people responded: 38 online, 3 by email and 2 on paper". */
export const CHANNEL_WORDS: Readonly<Record<string, string>> = {
  online: "online",
  email: "by email",
  paper: "on paper",
  event: "at events",
};

/**
 * The words a scale's groups take in a sentence, from the scale's own words in the definition
 * (analysis/scales.ts fills in option labels where a scale declares none).
 */
export interface ScaleWords {
  /** "agreed" in "79% agreed". */
  positive: string;
  /** "neither agreed nor disagreed"; null when the scale has no neutral point. */
  neutral: string | null;
  negative: string;
  /** "strongly" in "(39% strongly)", for the strongest option of a group of several. */
  strongPositive: string;
  strongNegative: string;
  /** "Agreement" in "Agreement was highest for ...". */
  measure: string;
  /** "least popular principle" in "The least popular principle was ...", for a noun. */
  lowest: (noun: string) => string;
}

export function scaleWords(scale: Scale): ScaleWords {
  const w = scaleWording(scale);
  return {
    positive: w.positiveVerb,
    neutral: w.neutralVerb,
    negative: w.negativeVerb,
    strongPositive: w.strongPositive,
    strongNegative: w.strongNegative,
    measure: w.measure,
    lowest: w.lowest,
  };
}

/** Text placed mid-sentence, unquoted: "residents, service users ..." (see quoteInSentence). */
export function inSentence(text: string): string {
  return withoutTrailingStops(lowerFirstWord(text.trim()));
}
