/**
 * Before/after shifts told in words: which way the share in the scale's positive group moved, where
 * it moved most and least, and whether each change could be chance. Figures are the paired
 * analysis's (analysis/results/paired.ts): the shift in that share among complete pairs (shown as
 * the difference of the two rounded percentages, so "33% to 51%" reads "+18 points"), its Newcombe
 * 95% interval and McNemar's exact p (both about that share), and the Wilcoxon signed-rank p (about
 * ratings along the whole scale). A shift is called a rise or a fall as it is shown, so a sentence
 * never says "rose" beside "0 points", and a change is called clear only when every figure printed
 * about it agrees.
 */

import { formatInterval, pValue, shownShift } from "../results/format.js";
import type { PairedSetResult } from "../results/model.js";
import type { PairedShiftResult } from "../results/paired.js";
import { scaleWording } from "../scales.js";
import { count, formatP, listJoin, plural, quote, quoteInSentence, sentence } from "./words.js";

/** Significance level for "statistically significant" in the report. */
export const ALPHA = 0.05;
const TIE = 1e-12;

type Direction = "rise" | "fall" | "none";

const shown = (s: PairedShiftResult) => shownShift(s.agreeBefore.share, s.agreeAfter.share);

export function direction(s: PairedShiftResult): Direction {
  const text = shown(s);
  if (text.startsWith("+")) return "rise";
  if (text.startsWith("\u2212")) return "fall";
  return "none";
}

/** "‘the Council is doing ...’ (+19 points, 95% interval +4 to +32 points)": no test jargon here. */
export function describeShift(s: PairedShiftResult): string {
  return `${quoteInSentence(s.statement.text)} (${shown(s)}, 95% interval ${formatInterval(
    s.shiftInterval,
    0,
    "points",
  )})`;
}

/** The statements tied with the first of `ordered`. */
function tiedWithFirst(ordered: readonly PairedShiftResult[]): PairedShiftResult[] {
  const first = ordered[0];
  if (!first || first.shift === null) return [];
  const value = first.shift;
  return ordered.filter((s) => s.shift !== null && Math.abs(s.shift - value) <= TIE);
}

function describeAll(group: readonly PairedShiftResult[]): string {
  return listJoin(group.map(describeShift));
}

export interface ShiftWords {
  /** Which way agreement moved, and where most and least: the sentence for the main findings. */
  headline: string;
  /** The headline and the sentences that follow it (significance, low bases, exclusions). */
  paragraphs: string[];
}

/**
 * The sentences for one paired set. `afterPhrase` is how the second asking is described (the set's
 * "after" moment, see momentsOf in analysis/definition.ts).
 */
export function shiftSentences(set: PairedSetResult, afterPhrase: string): ShiftWords {
  const rated = set.ranked.filter((s) => s.shift !== null && s.pairs > 0);
  const lead = `${sentence(afterPhrase)}, `;
  if (rated.length === 0) {
    const text = "Nobody rated these statements both times, so there is no shift to report.";
    return { headline: text, paragraphs: [text] };
  }
  const words = scaleWording(set.scale);
  // "agreement", "importance", "the share choosing ‘Good’": what rose or fell.
  const what = words.measure.charAt(0).toLowerCase() + words.measure.slice(1);

  const rises = rated.filter((s) => direction(s) === "rise");
  const falls = rated.filter((s) => direction(s) === "fall");
  const flat = rated.filter((s) => direction(s) === "none");
  const n = rated.length;
  const sentences: string[] = [];

  if (n === 1) {
    const only = rated[0] as PairedShiftResult;
    const verb = { rise: "rose", fall: "fell", none: "did not change" }[direction(only)];
    sentences.push(`${lead}${what} for ${describeShift(only)} ${verb}.`);
  } else {
    if (rises.length === n) sentences.push(`${lead}${what} rose for every statement.`);
    else if (falls.length === n) sentences.push(`${lead}${what} fell for every statement.`);
    else if (flat.length === n)
      sentences.push(`${lead}${what} did not change for any statement, to the nearest point.`);
    else {
      const parts = [
        rises.length ? `rose for ${plural(rises.length, "statement")}` : "",
        falls.length ? `fell for ${plural(falls.length, "statement")}` : "",
        flat.length ? `did not change for ${plural(flat.length, "statement")}` : "",
      ].filter((p) => p !== "");
      sentences.push(`${lead}${what} ${listJoin(parts)}.`);
    }
    if (flat.length < n) sentences.push(extremes(rated, rises, falls, flat));
  }

  const headline = sentences.join(" ");
  const rest = significance(rated, words.positiveVerb);
  const low = rated.filter((s) => s.lowBase);
  if (low.length > 0)
    rest.push(
      `Fewer than 30 respondents rated ${low.length === n ? (n === 1 ? "the statement" : "each statement") : listJoin(low.map((s) => quoteInSentence(s.statement.text)))} both times, so treat ${n === 1 ? "this shift" : "these shifts"} as indicative.`,
    );
  const excluded = set.shifts.map((s) => s.excludedPairs);
  // The scale's own "don't know" options, by their labels ("No opinion"), if it has any.
  const outside = set.scale.options.filter((o) => o.group === "excluded").map((o) => quote(o.label));
  const excludedWords = outside.length > 0 ? `answered ${listJoin(outside, "or")} or ` : "";
  const most = Math.max(...excluded);
  const fewest = Math.min(...excluded);
  if (most > 0)
    rest.push(
      `Respondents who ${excludedWords}left a statement blank either time, or both times, are not counted for that statement: ${most === fewest ? plural(most, "respondent") : `from ${count(fewest)} to ${plural(most, "respondent")}`}${set.shifts.length > 1 ? ", depending on the statement" : ""}.`,
    );
  return { headline, paragraphs: [headline, ...rest] };
}

/** The greatest and smallest shift, worded for the directions present. */
function extremes(
  rated: readonly PairedShiftResult[],
  rises: readonly PairedShiftResult[],
  falls: readonly PairedShiftResult[],
  flat: readonly PairedShiftResult[],
): string {
  // `rated` is ranked by shift, largest (most positive) first.
  const top = tiedWithFirst(rated);
  const bottom = tiedWithFirst([...rated].reverse());
  if (top.length === rated.length && top[0]) {
    return `The shift was the same for every statement (${shown(top[0])}).`;
  }
  if (rises.length === rated.length) {
    return `The greatest shift was for ${describeAll(top)}, the smallest for ${describeAll(bottom)}.`;
  }
  if (falls.length === rated.length) {
    return `The greatest fall was for ${describeAll(bottom)}, the smallest for ${describeAll(top)}.`;
  }
  const parts: string[] = [];
  if (rises.length > 0) parts.push(`The greatest rise was for ${describeAll(top)}`);
  if (falls.length > 0) parts.push(`the greatest fall was for ${describeAll(bottom)}`);
  if (flat.length > 0 && flat.length <= 3) parts.push(`there was no change for ${describeAll(flat)}`);
  return `${sentence(parts.join("; "))}.`;
}

/** "p = 0.004" for one p value; "p at most 0.004" (or "p < 0.001") for the largest of several. */
function largestP(ps: readonly number[]): string {
  const largest = Math.max(...ps);
  if (ps.length === 1 || largest < 0.001) return formatP(largest);
  return `p at most ${pValue(largest)}`;
}

/** Whether a statement's change in the share is clear by every figure printed about it. */
function shareChangeClear(s: PairedShiftResult): boolean {
  const excludesZero = s.shiftInterval.lower > 0 || s.shiftInterval.upper < 0;
  return s.mcnemar.p < ALPHA && excludesZero;
}

/**
 * What the two tests say, each about its own question: the Wilcoxon test whether ratings moved
 * along the whole scale; McNemar's test, with the interval, whether the share who agreed (or chose
 * the scale's positive options) changed. A change in the share is called clear only when its
 * interval excludes no change and McNemar's p is below 0.05, so no sentence claims what a figure
 * beside it contradicts.
 */
function significance(rated: readonly PairedShiftResult[], positiveVerb: string): string[] {
  const n = rated.length;
  const of = (k: number) =>
    n === 1 ? "" : k === n ? ` for all ${n} statements` : ` for ${k} of the ${n} statements`;
  const moved = rated.filter((s) => s.wilcoxon.p < ALPHA);
  const clear = rated.filter(shareChangeClear);
  const scale =
    moved.length === 0
      ? `Ratings along the whole scale did not move by more than chance could explain${n === 1 ? "" : " for any statement"} (Wilcoxon signed-rank test, p of 0.05 or more).`
      : `Ratings along the whole scale moved by more than chance would explain${of(moved.length)} (Wilcoxon signed-rank test, ${largestP(moved.map((s) => s.wilcoxon.p))}).`;
  const share =
    clear.length === 0
      ? `The change in the share who ${positiveVerb} could be due to chance${n === 1 ? "" : " for every statement"}: ${n === 1 ? "its" : "each"} 95% interval includes no change or McNemar’s exact test gives p of 0.05 or more.`
      : clear.length === n
        ? `The change in the share who ${positiveVerb} was larger than chance would explain${of(n)} (95% interval excluding no change, McNemar’s exact test p below 0.05).`
        : `The change in the share who ${positiveVerb} was larger than chance would explain for ${listJoin(clear.map((s) => quoteInSentence(s.statement.text)))} (95% interval excluding no change, McNemar’s exact test p below 0.05); for the other ${plural(n - clear.length, "statement")} it could be due to chance.`;
  return [scale, share];
}
