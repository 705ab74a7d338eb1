/**
 * Wilcoxon signed-rank test for paired scores (e.g. each respondent's Likert score before and after),
 * two-sided, reproducing scipy.stats.wilcoxon(d, zero_method="pratt") from SciPy 1.10.
 *
 * Sources: F. Wilcoxon (1945), "Individual comparisons by ranking methods", Biometrics Bulletin 1,
 * 80-83; zeros by J. W. Pratt (1959), "Remarks on zeros and ties in the Wilcoxon signed rank
 * procedures", JASA 54, 655-667; the normal approximation with zeros and ties by E. E. Cureton
 * (1967), "The normal approximation to the signed-rank sampling distribution when zero differences
 * are present", JASA 62, 1068-1069 (the formulas scipy cites).
 *
 * Why Pratt: Likert change scores are mostly zeros (people who did not move). scipy's default
 * "wilcox" drops them before ranking, so the people who did not move have no say in the ranks;
 * Pratt (1959) showed that this can behave paradoxically (making some differences larger can make
 * the result less significant). Pratt ranks the zeros with everyone else and then drops their ranks.
 *
 * Method choice ("auto"): the exact null distribution when n <= 50 with no zero and no tied |d|,
 * otherwise the tie-corrected normal approximation. SciPy 1.10's own "auto" agrees except in one
 * case, where we deliberately differ: tied |d| without zeros. SciPy 1.10 then still takes the exact
 * path, truncating the mid-rank sum R+ to an integer (int(r_plus)) and using the no-ties
 * distribution, which is not a valid test; we use the tie-corrected approximation (what
 * scipy.stats.wilcoxon(..., method="approx") gives). With zeros SciPy 1.10 also falls back to the
 * approximation, with a warning. (Later SciPy releases reworked "auto" again, gh-21567, to run a
 * permutation test for small samples with ties or zeros; we do not.)
 */

import { normalTwoSidedP } from "./normal.js";

export type WilcoxonMethod = "exact" | "approx";

export interface WilcoxonOptions {
  /** Continuity correction in the normal approximation; default false, as scipy's correction=False. */
  correction?: boolean;
  /** "auto" (default) as described above; "exact" throws if zeros, ties or n > 50 make it invalid. */
  method?: "auto" | WilcoxonMethod;
}

export interface WilcoxonResult {
  /** min(R+, R-): scipy's two-sided statistic. Zero ranks are in neither sum (Pratt). */
  statistic: number;
  rPlus: number;
  rMinus: number;
  /**
   * Normal-approximation z; null for the exact method and for "none". It is <= 0 because the
   * statistic is the smaller sum, except that, as in scipy, the continuity correction can push it
   * just above 0 when R+ and R- differ by less than 1.
   */
  z: number | null;
  p: number;
  /** Pairs ranked, including zero differences (Pratt ranks them). */
  n: number;
  nZero: number;
  /**
   * "none": no pairs, or every difference is zero, so there is nothing to test; we report p = 1
   * (scipy returns NaN for no pairs and raises ValueError for all zeros with zero_method="pratt").
   */
  method: WilcoxonMethod | "none";
}

/** Largest n for the exact distribution, as scipy; 2^50 also keeps every count exact in a double. */
export const EXACT_MAX_N = 50;

/** Mid-ranks of |d| (ties share the mean of their positions), plus the sizes of tied groups among non-zeros. */
function rankAbsolute(d: readonly number[]): { ranks: number[]; nonZeroTieSizes: number[] } {
  const order = d.map((value, index) => ({ abs: Math.abs(value), index })).sort((x, y) => x.abs - y.abs);
  const ranks = new Array<number>(d.length).fill(0);
  const nonZeroTieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    const abs = order[start]?.abs;
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.abs === abs) end++;
    const midRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) {
      const item = order[i];
      if (item) ranks[item.index] = midRank;
    }
    if (abs !== 0 && end > start) nonZeroTieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { ranks, nonZeroTieSizes };
}

/**
 * Two-sided exact p for R+ with n untied non-zero differences: under H0 each rank's sign is a fair
 * coin, so the number of sign patterns giving each sum s is the number of subsets of {1..n} summing
 * to s (a subset-sum count, built one rank at a time). Counts are integers below 2^50, exact in a
 * double, so the p-value is exact up to its final rounding.
 */
function exactTwoSidedP(rPlus: number, n: number): number {
  const maxSum = (n * (n + 1)) / 2;
  const counts = new Float64Array(maxSum + 1);
  counts[0] = 1;
  for (let rank = 1, reach = 0; rank <= n; rank++) {
    for (let s = reach; s >= 0; s--) counts[s + rank] = (counts[s + rank] ?? 0) + (counts[s] ?? 0);
    reach += rank;
  }
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (let s = 0; s <= maxSum; s++) {
    const count = counts[s] ?? 0;
    if (s <= rPlus) atOrBelow += count;
    if (s >= rPlus) atOrAbove += count;
  }
  return Math.min(1, (2 * Math.min(atOrBelow, atOrAbove)) / 2 ** n);
}

/** Wilcoxon signed-rank test on paired differences d (after - before, or the reverse: two-sided). */
export function wilcoxonSignedRank(
  differences: readonly number[],
  options: WilcoxonOptions = {},
): WilcoxonResult {
  for (const value of differences) {
    if (!Number.isFinite(value)) throw new RangeError(`differences must be finite numbers, got ${value}`);
  }
  const n = differences.length;
  const nZero = differences.filter((value) => value === 0).length;
  if (nZero === n) return { statistic: 0, rPlus: 0, rMinus: 0, z: null, p: 1, n, nZero, method: "none" };

  const { ranks, nonZeroTieSizes } = rankAbsolute(differences);
  let rPlus = 0;
  let rMinus = 0;
  differences.forEach((value, i) => {
    if (value > 0) rPlus += ranks[i] ?? 0;
    else if (value < 0) rMinus += ranks[i] ?? 0;
  });
  const statistic = Math.min(rPlus, rMinus);

  const exactAllowed = n <= EXACT_MAX_N && nZero === 0 && nonZeroTieSizes.length === 0;
  const requested = options.method ?? "auto";
  if (requested === "exact" && !exactAllowed) {
    throw new RangeError("exact Wilcoxon p needs n <= 50 with no zero and no tied differences");
  }
  if (requested !== "approx" && exactAllowed) {
    return { statistic, rPlus, rMinus, z: null, p: exactTwoSidedP(rPlus, n), n, nZero, method: "exact" };
  }

  // Cureton (1967): under H0 with Pratt's zeros, mean and variance of R+ are those of all n ranks
  // minus the n0 smallest; each tied group of size t among non-zero ranks lowers the variance by
  // (t^3 - t)/48.
  const mean = (n * (n + 1) - nZero * (nZero + 1)) / 4;
  const tieAdjustment = nonZeroTieSizes.reduce((sum, t) => sum + t * (t * t - 1), 0) / 48;
  const variance = (n * (n + 1) * (2 * n + 1) - nZero * (nZero + 1) * (2 * nZero + 1)) / 24 - tieAdjustment;
  const shift = options.correction ? 0.5 * Math.sign(statistic - mean) : 0;
  const z = (statistic - mean - shift) / Math.sqrt(variance);
  return { statistic, rPlus, rMinus, z, p: normalTwoSidedP(z), n, nZero, method: "approx" };
}

/** Convenience: the test on after[i] - before[i]. Arrays must be the same length (one entry per respondent). */
export function wilcoxonSignedRankPaired(
  before: readonly number[],
  after: readonly number[],
  options: WilcoxonOptions = {},
): WilcoxonResult {
  if (before.length !== after.length) {
    throw new RangeError(`paired samples differ in length: ${before.length} vs ${after.length}`);
  }
  return wilcoxonSignedRank(
    after.map((value, i) => value - (before[i] ?? Number.NaN)),
    options,
  );
}
