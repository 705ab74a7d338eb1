/**
 * Distribution of answers to one Likert question (or one statement of a grid), from a count table.
 *
 * Input is counts per option code, as the database layer's GROUP BY returns them, so the cost is
 * O(options) whatever the number of responses. Every share and mean here is UNROUNDED (a fraction
 * of 1, e.g. 0.7907 for 79.07%); rounding for display is format.ts's job, and CSV exports keep the
 * unrounded values.
 *
 * Base: the respondents who chose a scored option. "Don't know" and other excluded options are
 * answers, but not a position on the scale, so (as scales.ts defines them) they stay out of the
 * base of every percentage and every mean and are reported apart, with their counts; so are blanks.
 * Otherwise a question with many "don't know"s would look less agreed-with than it is.
 *
 * Intervals: Wilson 95% score intervals (analysis/stats/wilson.ts, Wilson 1927) on each share and
 * each group share.
 */

import type { Scale, ScaleGroup } from "../scales.js";
import { assertCount, wilsonInterval, Z_95 } from "../stats/wilson.js";

/** Below this base, results are flagged as indicative only (a common rule of thumb in survey reporting). */
export const LOW_BASE = 30;

/** A count with its share of a base and the Wilson 95% interval of that share. */
export interface ShareWithInterval {
  count: number;
  /** count / base, unrounded; null when the base is 0. */
  share: number | null;
  /** Wilson 95% limits as fractions of 1; [0, 1] when the base is 0. */
  lower: number;
  upper: number;
}

export interface LikertOptionResult extends ShareWithInterval {
  code: string;
  label: string;
  score: number;
  group: Exclude<ScaleGroup, "excluded">;
}

export interface ExcludedOptionResult {
  code: string;
  label: string;
  count: number;
  /** count / totalAnswered, unrounded; null when nobody answered. Not part of any base. */
  shareOfAnswered: number | null;
}

export interface LikertGroupResult extends ShareWithInterval {
  /** The scale's options in this group; empty when the scale has none (e.g. no neutral point). */
  optionCodes: string[];
}

export interface LikertDistribution {
  /** Scored options in scale order, shares of `base`. */
  options: LikertOptionResult[];
  /** Excluded options ("don't know"), in scale order, with their counts; not in the base. */
  excluded: ExcludedOptionResult[];
  groups: { positive: LikertGroupResult; neutral: LikertGroupResult; negative: LikertGroupResult };
  /** positive share - negative share, in [-1, 1]; null when the base is 0. */
  netAgreement: number | null;
  /** Mean score over the base (scored answers only); null when the base is 0. */
  meanScore: number | null;
  /**
   * 95% interval of the mean score: mean ± 1.96 × s / √base, s the sample standard deviation
   * (normal approximation); null when the base is below 2.
   */
  meanInterval: { lower: number; upper: number } | null;
  /** Respondents who chose a scored option. */
  base: number;
  /** base < LOW_BASE. */
  lowBase: boolean;
  /** base + excluded answers: everyone who chose any option. */
  totalAnswered: number;
  /** Blanks, as supplied by the caller. */
  notAnswered: number;
}

/** The normal-approximation 95% interval of a mean from n, Σx and Σx² (null below n = 2). */
export function meanInterval(
  n: number,
  sum: number,
  squares: number,
): { lower: number; upper: number } | null {
  if (n < 2) return null;
  const mean = sum / n;
  // Sum of squared deviations, never below 0 however the rounding falls.
  const deviations = Math.max(0, squares - n * mean * mean);
  const half = (Z_95 * Math.sqrt(deviations / (n - 1))) / Math.sqrt(n);
  return { lower: mean - half, upper: mean + half };
}

/** count out of base with its Wilson interval. */
export function shareOf(count: number, base: number): ShareWithInterval {
  const interval = wilsonInterval(count, base);
  return { count, share: interval.proportion, lower: interval.lower, upper: interval.upper };
}

/**
 * Checks a count table against the scale's codes and returns the count per code (0 when missing).
 * Unknown codes throw: they mean the scale and the stored answers disagree, and silently dropping
 * them would shrink the base without anyone noticing.
 */
export function countsByCode(
  scale: Scale,
  counts: Readonly<Record<string, number>>,
  what = "counts",
): Map<string, number> {
  const result = new Map<string, number>(scale.options.map((o) => [o.code, 0]));
  for (const [code, count] of Object.entries(counts)) {
    if (!result.has(code))
      throw new RangeError(`Unknown option code "${code}" in ${what} for scale "${scale.id}"`);
    assertCount(count, `${what}["${code}"]`);
    result.set(code, count);
  }
  return result;
}

export function likertDistribution(
  scale: Scale,
  counts: Readonly<Record<string, number>>,
  notAnswered: number,
): LikertDistribution {
  assertCount(notAnswered, "notAnswered");
  const byCode = countsByCode(scale, counts);

  let base = 0;
  let scoreSum = 0;
  let squareSum = 0;
  let excludedTotal = 0;
  for (const option of scale.options) {
    const count = byCode.get(option.code) ?? 0;
    if (option.group === "excluded" || option.score === null) excludedTotal += count;
    else {
      base += count;
      scoreSum += count * option.score;
      squareSum += count * option.score * option.score;
    }
  }
  const totalAnswered = base + excludedTotal;

  const options: LikertOptionResult[] = [];
  const excluded: ExcludedOptionResult[] = [];
  for (const option of scale.options) {
    const count = byCode.get(option.code) ?? 0;
    if (option.group === "excluded" || option.score === null) {
      excluded.push({
        code: option.code,
        label: option.label,
        count,
        shareOfAnswered: totalAnswered === 0 ? null : count / totalAnswered,
      });
    } else {
      options.push({
        code: option.code,
        label: option.label,
        score: option.score,
        group: option.group,
        ...shareOf(count, base),
      });
    }
  }

  const group = (name: LikertOptionResult["group"]): LikertGroupResult => {
    const members = options.filter((o) => o.group === name);
    const count = members.reduce((sum, o) => sum + o.count, 0);
    return { ...shareOf(count, base), optionCodes: members.map((o) => o.code) };
  };
  const groups = { positive: group("positive"), neutral: group("neutral"), negative: group("negative") };

  return {
    options,
    excluded,
    groups,
    // Net agreement ("% agree minus % disagree") is computed from the unrounded shares, so it can
    // differ by a point from the difference of the rounded percentages shown beside it.
    netAgreement: base === 0 ? null : (groups.positive.count - groups.negative.count) / base,
    meanScore: base === 0 ? null : scoreSum / base,
    meanInterval: meanInterval(base, scoreSum, squareSum),
    base,
    lowBase: base < LOW_BASE,
    totalAnswered,
    notAnswered,
  };
}
