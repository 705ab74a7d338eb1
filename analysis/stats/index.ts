/**
 * Statistics layer: pure functions, no I/O, so the same code serves the web reports, the CLI and
 * the tests. Each module names its formula source; tests/fixtures/stats/make_fixtures.py checks
 * them against SciPy / statsmodels.
 */

export { binomialHalfCdf, type McNemarResult, mcnemarExact } from "./mcnemar.js";
export {
  assertPairedTable,
  newcombePairedDifference,
  newcombePhi,
  type PairedDifferenceInterval,
  type PairedTable,
} from "./newcombe.js";
export { erfc, normalCdf, normalSf, normalTwoSidedP } from "./normal.js";
export {
  EXACT_MAX_N,
  type WilcoxonMethod,
  type WilcoxonOptions,
  type WilcoxonResult,
  wilcoxonSignedRank,
  wilcoxonSignedRankPaired,
} from "./wilcoxon.js";
export { assertCount, type ProportionInterval, wilsonInterval, Z_95 } from "./wilson.js";
