/**
 * Before/after shifts told in words: which way agreement moved, where it moved most and least, and
 * whether the change in ratings could be chance. Figures are the paired analysis's (analysis/results/
 * paired.ts): the shift in the share agreeing among complete pairs, its Newcombe 95% interval and
 * the Wilcoxon signed-rank p on the scores. A shift is called a rise or a fall by its value rounded
 * to whole points, as it is shown, so a sentence never says "rose" beside "0 points".
 */

import { formatInterval, pointShift } from "../results/format.js";
import type { PairedSetResult } from "../results/model.js";
import type { PairedShiftResult } from "../results/paired.js";
import { formatP, listJoin, plural, quoteInSentence, sentence } from "./words.js";

/** Significance level for "statistically significant" in the report. */
export const ALPHA = 0.05;
const TIE = 1e-12;

type Direction = "rise" | "fall" | "none";

export function direction(shift: number | null): Direction {
  const shown = pointShift(shift);
  if (shown.startsWith("+")) return "rise";
  if (shown.startsWith("\u2212")) return "fall";
  return "none";
}

/** "‘the Council is doing ...’ (+19 points, 95% interval +4 to +32 points; Wilcoxon p = 0.004)". */
export function describeShift(s: PairedShiftResult): string {
  return `${quoteInSentence(s.statement.text)} (${pointShift(s.shift)}, 95% interval ${formatInterval(
    s.shiftInterval,
    0,
    "points",
  )}; Wilcoxon ${formatP(s.wilcoxon.p)})`;
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

  const rises = rated.filter((s) => direction(s.shift) === "rise");
  const falls = rated.filter((s) => direction(s.shift) === "fall");
  const flat = rated.filter((s) => direction(s.shift) === "none");
  const n = rated.length;
  const sentences: string[] = [];

  if (n === 1) {
    const only = rated[0] as PairedShiftResult;
    const verb = { rise: "rose", fall: "fell", none: "did not change" }[direction(only.shift)];
    sentences.push(`${lead}agreement with ${describeShift(only)} ${verb}.`);
  } else {
    if (rises.length === n) sentences.push(`${lead}agreement rose for every statement.`);
    else if (falls.length === n) sentences.push(`${lead}agreement fell for every statement.`);
    else if (flat.length === n)
      sentences.push(`${lead}agreement did not change for any statement, to the nearest point.`);
    else {
      const parts = [
        rises.length ? `rose for ${plural(rises.length, "statement")}` : "",
        falls.length ? `fell for ${plural(falls.length, "statement")}` : "",
        flat.length ? `did not change for ${plural(flat.length, "statement")}` : "",
      ].filter((p) => p !== "");
      sentences.push(`${lead}agreement ${listJoin(parts)}.`);
    }
    if (flat.length < n) sentences.push(extremes(rated, rises, falls, flat));
  }

  const headline = sentences.join(" ");
  const rest = [significance(rated)];
  const low = rated.filter((s) => s.lowBase);
  if (low.length > 0)
    rest.push(
      `Fewer than 30 respondents rated ${low.length === n ? (n === 1 ? "the statement" : "each statement") : listJoin(low.map((s) => quoteInSentence(s.statement.text)))} both times, so treat ${n === 1 ? "this shift" : "these shifts"} as indicative.`,
    );
  const maxExcluded = Math.max(...set.shifts.map((s) => s.excludedPairs));
  if (maxExcluded > 0)
    rest.push(
      `Respondents who answered ‘Don’t know’ or left a statement blank either time are not counted for that statement (at most ${plural(maxExcluded, "respondent")} for any one statement).`,
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
  if (top.length === rated.length) {
    return `The shift was the same for every statement (${pointShift(top[0]?.shift)}).`;
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

function significance(rated: readonly PairedShiftResult[]): string {
  const n = rated.length;
  const significant = rated.filter((s) => s.wilcoxon.p < ALPHA);
  const test = "(Wilcoxon signed-rank test, p below 0.05)";
  if (n === 1)
    return significant.length === 1
      ? `This change in ratings was statistically significant ${test}.`
      : "This change in ratings was not statistically significant at the 5% level (Wilcoxon signed-rank test), so it could be due to chance.";
  if (significant.length === n)
    return `The change in ratings was statistically significant for all ${n} statements ${test}.`;
  if (significant.length === 0)
    return `None of the changes in ratings was statistically significant at the 5% level (Wilcoxon signed-rank test), so they could be due to chance.`;
  return `The change in ratings was statistically significant for ${significant.length} of the ${n} statements ${test}; for the other ${n - significant.length} it could be due to chance.`;
}
