/**
 * Wilson score interval for a single binomial proportion.
 *
 * Source: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
 * inference", JASA 22, 209-212; method 3 in R. G. Newcombe (1998), "Two-sided confidence intervals
 * for the single proportion: comparison of seven methods", Statistics in Medicine 17, 857-872.
 * Matches statsmodels.stats.proportion.proportion_confint(method="wilson").
 *
 * Why Wilson rather than the textbook Wald interval p +/- z*sqrt(p(1-p)/n): consultation results are
 * often small subgroups and lopsided answers (0 of 12, 11 of 12). Wald collapses to zero width at
 * 0% and 100% and overshoots [0, 1]; Wilson stays inside [0, 1] with close to nominal coverage.
 */

/** Two-sided 95% standard normal quantile, norm.isf(0.025), to full double precision. */
export const Z_95 = 1.959963984540054;

export interface ProportionInterval {
  successes: number;
  n: number;
  /** successes / n, or null when n = 0 (no respondents, so no estimate). */
  proportion: number | null;
  lower: number;
  upper: number;
}

/** Throws unless value is a non-negative integer count; the formulas below assume counts. */
export function assertCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * Wilson score interval for successes out of n at normal quantile z (default 95%).
 *
 *   centre    = (x + z^2/2) / (n + z^2)
 *   halfWidth = z * sqrt(x(n - x)/n + z^2/4) / (n + z^2)
 *
 * This is the same interval as statsmodels' algebraically rearranged form
 * (p + z^2/2n) / (1 + z^2/n) +/- z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n); the count form avoids
 * dividing by n, so n = 0 has a natural limit: centre 1/2, half-width 1/2, i.e. [0, 1] -- "we know
 * nothing" -- rather than NaN. statsmodels returns NaN there; we deliberately return [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): ProportionInterval {
  assertCount(successes, "successes");
  assertCount(n, "n");
  if (successes > n) throw new RangeError(`successes (${successes}) cannot exceed n (${n})`);
  if (!(z > 0) || !Number.isFinite(z)) throw new RangeError(`z must be a positive number, got ${z}`);

  const z2 = z * z;
  const denominator = n + z2;
  const centre = (successes + z2 / 2) / denominator;
  const spread = n === 0 ? 0 : (successes * (n - successes)) / n;
  const halfWidth = (z * Math.sqrt(spread + z2 / 4)) / denominator;

  return {
    successes,
    n,
    proportion: n === 0 ? null : successes / n,
    // At x = 0 (or x = n) the lower (upper) limit is exactly 0 (1) in exact arithmetic; rounding
    // can leave -1e-17, so clamp rather than report a negative percentage.
    lower: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: successes === n ? 1 : Math.min(1, centre + halfWidth),
  };
}
