/**
 * Confidence interval for the change in a proportion measured twice on the same respondents
 * (e.g. % agreeing before vs after a consultation event).
 *
 * Source: R. G. Newcombe (1998), "Improved confidence intervals for the difference between binomial
 * proportions based on paired data", Statistics in Medicine 17, 2635-2650, method 10: a
 * "square-and-add" (MOVER) interval built from the Wilson score intervals of the two marginal
 * proportions, with a correction for the correlation between them. The same formula, with the same
 * continuity-corrected phi, is Fagerland, Lydersen & Laake (2017), "Statistical Analysis of
 * Contingency Tables", chapter 8 ("Newcombe square-and-add"), and R's
 * contingencytables::Newcombe_square_and_add_CI_paired_2x2.
 *
 * Why not simply compare two Wilson intervals: the same people answer twice, so the two proportions
 * are positively correlated and the difference is far more precise than independent samples
 * would suggest. Why not the Wald interval (b - c)/n +/- z*se: it is degenerate when b = c = 0 and
 * overshoots [-1, 1] for small samples; Newcombe's study found method 10 close to nominal coverage.
 */

import { assertCount, wilsonInterval, Z_95 } from "./wilson.js";

/**
 * Paired agree / not-agree counts, one respondent per cell:
 *
 *                  after: agree   after: not
 *   before: agree       a              b
 *   before: not         c              d
 *
 * so b = "agreed before only" and c = "agreed after only".
 */
export interface PairedTable {
  a: number;
  b: number;
  c: number;
  d: number;
}

export interface PairedDifferenceInterval {
  n: number;
  /** (a + b) / n, or null when n = 0. */
  before: number | null;
  /** (a + c) / n, or null when n = 0. */
  after: number | null;
  /** after - before = (c - b) / n: positive means more respondents agree afterwards. Null when n = 0. */
  difference: number | null;
  lower: number;
  upper: number;
  /** The continuity-corrected correlation estimate used (0 when a margin is empty). */
  phi: number;
}

/** Validates the four cells; all four are needed because phi depends on a and d, not just b and c. */
export function assertPairedTable(table: PairedTable): void {
  assertCount(table.a, "a");
  assertCount(table.b, "b");
  assertCount(table.c, "c");
  assertCount(table.d, "d");
}

/**
 * Newcombe's corrected phi. Plain phi is (ad - bc) / sqrt(product of the four margins). Newcombe
 * replaces the numerator ad - bc by
 *   ad - bc - n/2   if ad - bc > n/2,
 *   0               if 0 <= ad - bc <= n/2,
 *   ad - bc         if ad - bc < 0,
 * i.e. a continuity correction that only ever shrinks a positive correlation, making the interval
 * slightly wider (conservative). If any margin is zero phi is undefined and taken as 0.
 */
export function newcombePhi({ a, b, c, d }: PairedTable): number {
  const n = a + b + c + d;
  const marginProduct = (a + b) * (c + d) * (a + c) * (b + d);
  if (marginProduct === 0) return 0;
  const cross = a * d - b * c;
  let numerator: number;
  if (cross > n / 2) numerator = cross - n / 2;
  else if (cross >= 0) numerator = 0;
  else numerator = cross;
  return numerator / Math.sqrt(marginProduct);
}

/**
 * Newcombe (1998) method 10 interval for after - before. With p1 = after = (a + c)/n having Wilson
 * limits (l1, u1), p2 = before = (a + b)/n having Wilson limits (l2, u2), and theta = p1 - p2:
 *
 *   lower = theta - sqrt((p1 - l1)^2 - 2 phi (p1 - l1)(u2 - p2) + (u2 - p2)^2)
 *   upper = theta + sqrt((u1 - p1)^2 - 2 phi (u1 - p1)(p2 - l2) + (p2 - l2)^2)
 *
 * Newcombe writes the difference as before - after ((b - c)/n); swapping the two occasions
 * transposes the table, which leaves phi unchanged, so putting "after" in the p1 slot gives exactly
 * the mirror image of his interval.
 */
export function newcombePairedDifference(table: PairedTable, z: number = Z_95): PairedDifferenceInterval {
  assertPairedTable(table);
  const { a, b, c, d } = table;
  const n = a + b + c + d;
  if (n === 0) {
    // No respondents: no estimate, and the only honest interval is everything that is possible.
    return { n, before: null, after: null, difference: null, lower: -1, upper: 1, phi: 0 };
  }

  const after = wilsonInterval(a + c, n, z);
  const before = wilsonInterval(a + b, n, z);
  const p1 = (a + c) / n;
  const p2 = (a + b) / n;
  const theta = p1 - p2;
  const phi = newcombePhi(table);

  const dl1 = p1 - after.lower;
  const du1 = after.upper - p1;
  const dl2 = p2 - before.lower;
  const du2 = before.upper - p2;
  // The radicands are >= 0 because |phi| <= 1; max(0, ...) only guards against rounding.
  const lowerReach = Math.sqrt(Math.max(0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2));
  const upperReach = Math.sqrt(Math.max(0, du1 * du1 - 2 * phi * du1 * dl2 + dl2 * dl2));

  return {
    n,
    before: p2,
    after: p1,
    difference: theta,
    // In exact arithmetic the limits cannot leave [-1, 1] (each reach is at most the sum of the two
    // Wilson margins); the clamp only stops rounding from printing "-100.0000001%".
    lower: Math.max(-1, theta - lowerReach),
    upper: Math.min(1, theta + upperReach),
    phi,
  };
}
