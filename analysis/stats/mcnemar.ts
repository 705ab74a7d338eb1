/**
 * Exact McNemar test for a change in a paired proportion (e.g. % agreeing before vs after).
 *
 * Source: Q. McNemar (1947), "Note on the sampling error of the difference between correlated
 * proportions or percentages", Psychometrika 12, 153-157; the exact (conditional binomial) form is
 * in Fagerland, Lydersen & Laake (2013), "The McNemar test for binary matched-pairs data: mid-p and
 * asymptotic are better than exact conditional", BMC Medical Research Methodology 13:91.
 * Matches statsmodels.stats.contingency_tables.mcnemar(table, exact=True):
 *   statistic = min(b, c),  p = min(1, 2 * P(X <= min(b, c))),  X ~ Binomial(b + c, 1/2).
 *
 * Why only b and c: respondents who gave the same answer both times (a, d) carry no information
 * about the direction of change. Under "no change", each of the b + c switchers is equally likely
 * to have switched either way. Why exact rather than the chi-square form: council subgroups often
 * have a handful of switchers, where the chi-square approximation is poor. (Fagerland et al. argue
 * the mid-p variant is less conservative; we keep the conventional exact test so results reproduce
 * in statsmodels and R's exact2x2::mcnemar.exact.)
 */

import type { PairedTable } from "./newcombe.js";
import { assertCount } from "./wilson.js";

export interface McNemarResult {
  /** Agreed before only. */
  b: number;
  /** Agreed after only. */
  c: number;
  /** min(b, c), as statsmodels reports it. */
  statistic: number;
  /** Two-sided exact p-value; 1 when there are no discordant pairs. */
  p: number;
}

/**
 * P(X <= m) for X ~ Binomial(N, 1/2) with m <= N/2.
 *
 * Computed as P(X = m) * sum_{k <= m} P(X = k)/P(X = m). P(X = m) = C(N, m) / 2^N is built as a
 * running product of (N - m + i)/i, halving whenever it exceeds 1 so that neither C(N, m) (which
 * overflows a double for N > 1029) nor 2^-N (which underflows) is ever formed on its own; each step
 * costs one rounding, so the relative error is about 2m ulps. The ratios P(X = k - 1)/P(X = k) =
 * k/(N - k + 1) are below 1 for k <= N/2, so the sum is of decreasing positive terms: no
 * cancellation. Costs O(N), fine for any survey.
 */
export function binomialHalfCdf(m: number, N: number): number {
  assertCount(m, "m");
  assertCount(N, "N");
  if (2 * m > N) throw new RangeError(`binomialHalfCdf needs m <= N/2, got m=${m}, N=${N}`);

  let pmfAtM = 1;
  let halvingsLeft = N;
  for (let i = 1; i <= m; i++) {
    pmfAtM *= (N - m + i) / i;
    while (pmfAtM > 1 && halvingsLeft > 0) {
      pmfAtM *= 0.5;
      halvingsLeft--;
    }
  }
  // Remaining factor 2^-halvingsLeft, applied in two halves so an intermediate 2^-k never
  // underflows while the product is still representable.
  const firstHalf = Math.floor(halvingsLeft / 2);
  pmfAtM *= 2 ** -firstHalf;
  pmfAtM *= 2 ** -(halvingsLeft - firstHalf);

  let ratio = 1;
  let ratioSum = 1;
  for (let k = m; k >= 1; k--) {
    ratio *= k / (N - k + 1);
    ratioSum += ratio;
  }
  return Math.min(1, pmfAtM * ratioSum);
}

/** Exact two-sided McNemar test from the discordant cells of a paired 2x2 table. */
export function mcnemarExact(table: Pick<PairedTable, "b" | "c">): McNemarResult {
  const { b, c } = table;
  assertCount(b, "b");
  assertCount(c, "c");
  const statistic = Math.min(b, c);
  // Doubling the smaller tail is the usual two-sided rule for a symmetric null distribution; when
  // b = c it exceeds 1 (the middle term counts twice), hence the cap, as in statsmodels.
  const p = Math.min(1, 2 * binomialHalfCdf(statistic, b + c));
  return { b, c, statistic, p };
}
