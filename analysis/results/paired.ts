/**
 * Before/after shift for one statement of a paired set, from a transition count table
 * (transitions[beforeCode][afterCode] = respondents), as one SQL GROUP BY before, after returns it.
 *
 * Measures, all over COMPLETE pairs (both halves answered with a scored option):
 * - % agreeing (the scale's positive group) before and after, Wilson 95% intervals;
 * - the shift after - before with Newcombe's (1998) paired interval, method 10
 *   (analysis/stats/newcombe.ts), and the exact McNemar (1947) test (analysis/stats/mcnemar.ts),
 *   both on the 2x2 agree / not-agree table;
 * - mean score before and after, and the Wilcoxon signed-rank test (Pratt zeros) on the score
 *   differences, computed from a histogram of differences (below) so that 500,000 pairs cost
 *   O(distinct differences), not O(n log n) and an object per respondent.
 * Every share, shift and mean is UNROUNDED: shares and the shift are fractions of 1 (a shift of
 * 0.12 is +12 percentage points); format.ts rounds for display.
 */

import type { Statement } from "../definition.js";
import type { Scale, ScaleGroup } from "../scales.js";
import { type McNemarResult, mcnemarExact } from "../stats/mcnemar.js";
import { newcombePairedDifference, type PairedTable } from "../stats/newcombe.js";
import { normalTwoSidedP } from "../stats/normal.js";
import {
  EXACT_MAX_N,
  type WilcoxonOptions,
  type WilcoxonResult,
  wilcoxonSignedRank,
} from "../stats/wilcoxon.js";
import { assertCount } from "../stats/wilson.js";
import { countsByCode, LOW_BASE, type ShareWithInterval, shareOf } from "./likert.js";

/**
 * wilcoxonSignedRank (analysis/stats/wilcoxon.ts) from counts of each difference value instead of
 * one entry per pair; returns exactly what it would return on the expanded vector.
 *
 * Why this works: Likert score differences take a handful of values (-4..+4 on a 5-point scale).
 * All pairs with the same |d| are tied, so they share one mid-rank: with `below` pairs of smaller
 * |d| (zeros included, as Pratt ranks them) and t pairs at this |d|, the mid-rank is
 * below + (t + 1)/2. R+ and R- are count x mid-rank sums, and Cureton's (1967) mean, variance and
 * tie correction need only the tie sizes, so everything is O(distinct values). The sums are
 * multiples of 1/2 below 2^53, so they are exact, and the variance repeats the same operations in
 * the same order as the vector code: results agree to the last bit (tests/unit/results.test.ts).
 * The exact distribution applies only when the vector code would use it (n <= 50, no zero, no tied
 * |d|); then the histogram is expanded (at most 50 values) and handed to wilcoxonSignedRank.
 */
export function wilcoxonSignedRankFromCounts(
  histogram: Iterable<readonly [difference: number, count: number]>,
  options: WilcoxonOptions = {},
): WilcoxonResult {
  const byAbs = new Map<number, { plus: number; minus: number; zero: number }>();
  let n = 0;
  for (const [d, count] of histogram) {
    if (!Number.isFinite(d)) throw new RangeError(`differences must be finite numbers, got ${d}`);
    assertCount(count, `count of difference ${d}`);
    if (count === 0) continue;
    const entry = byAbs.get(Math.abs(d)) ?? { plus: 0, minus: 0, zero: 0 };
    if (d > 0) entry.plus += count;
    else if (d < 0) entry.minus += count;
    else entry.zero += count;
    byAbs.set(Math.abs(d), entry);
    n += count;
  }
  const nZero = byAbs.get(0)?.zero ?? 0;
  if (nZero === n) return { statistic: 0, rPlus: 0, rMinus: 0, z: null, p: 1, n, nZero, method: "none" };

  const levels = [...byAbs.entries()].sort(([x], [y]) => x - y);
  const exactAllowed =
    n <= EXACT_MAX_N && nZero === 0 && levels.every(([, e]) => e.plus + e.minus + e.zero === 1);
  const requested = options.method ?? "auto";
  if (requested === "exact" && !exactAllowed) {
    throw new RangeError("exact Wilcoxon p needs n <= 50 with no zero and no tied differences");
  }
  if (requested !== "approx" && exactAllowed) {
    return wilcoxonSignedRank(
      levels.map(([abs, e]) => (e.plus > 0 ? abs : -abs)),
      options,
    );
  }

  let below = 0;
  let rPlus = 0;
  let rMinus = 0;
  const nonZeroTieSizes: number[] = [];
  for (const [abs, e] of levels) {
    const t = e.plus + e.minus + e.zero;
    const midRank = below + (t + 1) / 2;
    rPlus += e.plus * midRank;
    rMinus += e.minus * midRank;
    if (abs !== 0 && t > 1) nonZeroTieSizes.push(t);
    below += t;
  }
  const statistic = Math.min(rPlus, rMinus);
  // Cureton (1967), exactly as in wilcoxonSignedRank.
  const mean = (n * (n + 1) - nZero * (nZero + 1)) / 4;
  const tieAdjustment = nonZeroTieSizes.reduce((sum, t) => sum + t * (t * t - 1), 0) / 48;
  const variance = (n * (n + 1) * (2 * n + 1) - nZero * (nZero + 1) * (2 * nZero + 1)) / 24 - tieAdjustment;
  const shift = options.correction ? 0.5 * Math.sign(statistic - mean) : 0;
  const z = (statistic - mean - shift) / Math.sqrt(variance);
  return { statistic, rPlus, rMinus, z, p: normalTwoSidedP(z), n, nZero, method: "approx" };
}

export interface TransitionTable {
  /** Every scale option, in scale order: both the rows (before) and the columns (after). */
  options: { code: string; label: string; group: ScaleGroup }[];
  /** counts[i][j] = respondents who answered options[i] before and options[j] after. */
  counts: number[][];
}

export interface PairedShiftResult {
  statement: Statement;
  /** Complete pairs: both halves answered with a scored option. The base of everything below. */
  pairs: number;
  lowBase: boolean;
  /** Pairs left out: either half excluded ("don't know") or blank. */
  excludedPairs: number;
  excludedBreakdown: { excludedOption: number; blank: number };
  agreeBefore: ShareWithInterval;
  agreeAfter: ShareWithInterval;
  /** after - before share agreeing, a fraction of 1 (0.12 = +12 points); null when pairs = 0. */
  shift: number | null;
  /** Newcombe (1998) method 10 paired 95% interval for the shift; phi is its correlation term. */
  shiftInterval: { lower: number; upper: number; phi: number };
  /** a: agree both times, b: agree before only, c: agree after only, d: agree neither time. */
  agreeTable: PairedTable;
  mcnemar: McNemarResult;
  meanBefore: number | null;
  meanAfter: number | null;
  meanDifference: number | null;
  /** On after - before score differences, Pratt zeros, no continuity correction (scipy default). */
  wilcoxon: WilcoxonResult;
  transitions: TransitionTable;
}

/**
 * `blankPairs`: respondents who left one half or both halves blank. The database layer
 * supplies what it can; they have no cell in `transitions` and only count in excludedPairs.
 * Unknown codes, as rows or columns, throw.
 */
export function pairedShift(
  scale: Scale,
  statement: Statement,
  transitions: Readonly<Record<string, Readonly<Record<string, number>>>>,
  blankPairs = 0,
): PairedShiftResult {
  assertCount(blankPairs, "blankPairs");
  const known = new Set(scale.options.map((o) => o.code));
  for (const code of Object.keys(transitions)) {
    if (!known.has(code))
      throw new RangeError(`Unknown option code "${code}" in transitions for scale "${scale.id}"`);
  }
  const counts = scale.options.map((before) => {
    const row = countsByCode(scale, transitions[before.code] ?? {}, `transitions["${before.code}"]`);
    return scale.options.map((after) => row.get(after.code) ?? 0);
  });

  const agreeTable = { a: 0, b: 0, c: 0, d: 0 };
  const differences = new Map<number, number>();
  let pairs = 0;
  let excludedOption = 0;
  let sumBefore = 0;
  let sumAfter = 0;
  scale.options.forEach((before, i) => {
    scale.options.forEach((after, j) => {
      const count = counts[i]?.[j] ?? 0;
      if (count === 0) return;
      if (
        before.score === null ||
        after.score === null ||
        before.group === "excluded" ||
        after.group === "excluded"
      ) {
        excludedOption += count;
        return;
      }
      pairs += count;
      sumBefore += count * before.score;
      sumAfter += count * after.score;
      const diff = after.score - before.score;
      differences.set(diff, (differences.get(diff) ?? 0) + count);
      const agreedBefore = before.group === "positive";
      const agreedAfter = after.group === "positive";
      if (agreedBefore && agreedAfter) agreeTable.a += count;
      else if (agreedBefore) agreeTable.b += count;
      else if (agreedAfter) agreeTable.c += count;
      else agreeTable.d += count;
    });
  });

  const newcombe = newcombePairedDifference(agreeTable);
  const meanBefore = pairs === 0 ? null : sumBefore / pairs;
  const meanAfter = pairs === 0 ? null : sumAfter / pairs;
  return {
    statement: { id: statement.id, text: statement.text },
    pairs,
    lowBase: pairs < LOW_BASE,
    excludedPairs: excludedOption + blankPairs,
    excludedBreakdown: { excludedOption, blank: blankPairs },
    agreeBefore: shareOf(agreeTable.a + agreeTable.b, pairs),
    agreeAfter: shareOf(agreeTable.a + agreeTable.c, pairs),
    shift: newcombe.difference,
    shiftInterval: { lower: newcombe.lower, upper: newcombe.upper, phi: newcombe.phi },
    agreeTable,
    mcnemar: mcnemarExact(agreeTable),
    meanBefore,
    meanAfter,
    meanDifference: pairs === 0 ? null : (sumAfter - sumBefore) / pairs,
    wilcoxon: wilcoxonSignedRankFromCounts(differences),
    transitions: {
      options: scale.options.map((o) => ({ code: o.code, label: o.label, group: o.group })),
      counts,
    },
  };
}

/**
 * Statements ordered by shift, largest (most positive) first, for "where views moved most".
 * Statements with no pairs (shift null) go last; ties keep the order the results were given in
 * (the set's statement order).
 */
export function rankShifts(results: readonly PairedShiftResult[]): PairedShiftResult[] {
  return results
    .map((result, index) => ({ result, index }))
    .sort((x, y) => {
      const sx = x.result.shift;
      const sy = y.result.shift;
      if (sx === null || sy === null) {
        if (sx !== sy) return sx === null ? 1 : -1;
      } else if (sx !== sy) return sy - sx;
      return x.index - y.index;
    })
    .map(({ result }) => result);
}
