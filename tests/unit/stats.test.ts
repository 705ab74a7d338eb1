import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  binomialHalfCdf,
  erfc,
  mcnemarExact,
  newcombePairedDifference,
  normalCdf,
  normalSf,
  wilcoxonSignedRank,
  wilcoxonSignedRankPaired,
  wilsonInterval,
  Z_95,
} from "../../analysis/stats/index.js";

/** Reference values from SciPy / statsmodels: see tests/fixtures/stats/make_fixtures.py. */
interface Reference {
  versions: Record<string, string>;
  z95: number;
  wilson: { successes: number; n: number; lower: number; upper: number }[];
  newcombe: {
    a: number;
    b: number;
    c: number;
    d: number;
    difference: number;
    lower: number;
    upper: number;
    phi: number;
  }[];
  mcnemar: { b: number; c: number; statistic: number; p: number }[];
  wilcoxon: {
    label: string;
    d: number[];
    correction: boolean;
    method: "exact" | "approx" | "none";
    forced?: boolean;
    n: number;
    nZero: number;
    statistic: number;
    p: number;
    z: number | null;
  }[];
  normal: { z: number; sf: number; cdf: number; erfc: number }[];
}

const reference = JSON.parse(
  readFileSync(new URL("../fixtures/stats/reference.json", import.meta.url), "utf8"),
) as Reference;

// Absolute tolerance for p-values, intervals and z, as agreed for the statistics layer.
const TOL = 1e-6;

/** Asserts |actual - expected| <= tol with a message naming the case. */
function close(actual: number | null, expected: number | null, label: string, tol = TOL): void {
  if (expected === null || actual === null) {
    expect(actual, label).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected), `${label}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(
    tol,
  );
}

/** Relative closeness, for tail probabilities far below the absolute tolerance. */
function relClose(actual: number, expected: number, label: string, rel: number): void {
  const scale = Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect(
    Math.abs(actual - expected) / scale,
    `${label}: got ${actual}, expected ${expected}`,
  ).toBeLessThanOrEqual(rel);
}

describe("stats fixtures", () => {
  it("were generated with the z used here", () => {
    expect(reference.z95).toBe(Z_95);
    expect(reference.wilson.length + reference.mcnemar.length + reference.wilcoxon.length).toBeGreaterThan(
      300,
    );
  });
});

describe("normal tails (Cody erfc) vs scipy", () => {
  it.each(reference.normal)("z = $z", ({ z, sf, cdf, erfc: expectedErfc }) => {
    relClose(normalSf(z), sf, `sf(${z})`, 1e-13);
    relClose(normalCdf(z), cdf, `cdf(${z})`, 1e-13);
    relClose(erfc(z), expectedErfc, `erfc(${z})`, 1e-13);
  });
});

describe("Wilson interval vs statsmodels proportion_confint(method='wilson')", () => {
  it.each(reference.wilson)("$successes / $n", ({ successes, n, lower, upper }) => {
    const ci = wilsonInterval(successes, n);
    close(ci.lower, lower, "lower");
    close(ci.upper, upper, "upper");
    expect(ci.proportion).toBe(successes / n);
  });

  it("matches hand-computable limits at 0/10 and 10/10: z^2/(n + z^2) and n/(n + z^2)", () => {
    const z2 = Z_95 * Z_95;
    expect(wilsonInterval(0, 10)).toMatchObject({ lower: 0, proportion: 0 });
    close(wilsonInterval(0, 10).upper, z2 / (10 + z2), "0/10 upper", 1e-15);
    close(wilsonInterval(10, 10).lower, 10 / (10 + z2), "10/10 lower", 1e-15);
    expect(wilsonInterval(10, 10).upper).toBe(1);
  });

  it("reproduces the worked examples in Newcombe (1998), Stat Med 17:857-872 (4 d.p.)", () => {
    const published: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [x, n, lower, upper] of published) {
      close(wilsonInterval(x, n).lower, lower, `${x}/${n} lower`, 5e-5);
      close(wilsonInterval(x, n).upper, upper, `${x}/${n} upper`, 5e-5);
    }
  });

  it("returns [0, 1] with no estimate when n = 0, and rejects impossible counts", () => {
    expect(wilsonInterval(0, 0)).toEqual({ successes: 0, n: 0, proportion: null, lower: 0, upper: 1 });
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
  });
});

describe("Newcombe (1998) method 10 paired difference", () => {
  it.each(reference.newcombe)("a=$a b=$b c=$c d=$d", ({ a, b, c, d, difference, lower, upper, phi }) => {
    const ci = newcombePairedDifference({ a, b, c, d });
    close(ci.difference, difference, "difference");
    close(ci.lower, lower, "lower");
    close(ci.upper, upper, "upper");
    close(ci.phi, phi, "phi");
  });

  it("reproduces Cavo et al. (2012) as worked by Fagerland, Lydersen & Laake (2017), 4 d.p.", () => {
    // Published as before - after: -0.0621 (-0.1186 to -0.0046); ours is after - before.
    const ci = newcombePairedDifference({ a: 59, b: 6, c: 16, d: 80 });
    close(ci.difference, 0.0621, "difference", 5e-5);
    close(ci.lower, 0.0046, "lower", 5e-5);
    close(ci.upper, 0.1186, "upper", 5e-5);
  });

  it("mirrors when before and after swap, and covers everything when n = 0", () => {
    const forward = newcombePairedDifference({ a: 12, b: 3, c: 9, d: 20 });
    const backward = newcombePairedDifference({ a: 12, b: 9, c: 3, d: 20 });
    close(forward.lower, -backward.upper, "lower", 1e-15);
    close(forward.upper, -backward.lower, "upper", 1e-15);
    expect(newcombePairedDifference({ a: 0, b: 0, c: 0, d: 0 })).toMatchObject({
      difference: null,
      lower: -1,
      upper: 1,
    });
  });
});

describe("exact McNemar vs statsmodels mcnemar(exact=True)", () => {
  it.each(reference.mcnemar)("b=$b c=$c", ({ b, c, statistic, p }) => {
    const result = mcnemarExact({ b, c });
    expect(result.statistic).toBe(statistic);
    close(result.p, p, "p");
    if (p > 0) relClose(result.p, p, "p (relative)", 1e-9);
  });

  it("gives hand-checkable values", () => {
    expect(mcnemarExact({ b: 0, c: 0 }).p).toBe(1);
    // b = 0, c = 5: 2 * (1/2)^5.
    expect(mcnemarExact({ b: 0, c: 5 }).p).toBe(2 / 32);
    // b = 1, c = 4: 2 * P(X <= 1), X ~ Bin(5, 1/2) = 2 * (1 + 5) / 32.
    close(mcnemarExact({ b: 1, c: 4 }).p, 12 / 32, "b=1 c=4", 1e-15);
    close(binomialHalfCdf(2, 4), 11 / 16, "P(X <= 2), X ~ Bin(4, 1/2)", 1e-15);
  });
});

describe("Wilcoxon signed-rank (Pratt) vs scipy.stats.wilcoxon", () => {
  it.each(reference.wilcoxon)("$label (correction=$correction, $method)", (ref) => {
    const method = ref.forced ? "approx" : "auto";
    const result = wilcoxonSignedRank(ref.d, { correction: ref.correction, method });
    expect(result.method).toBe(ref.method);
    expect(result.n).toBe(ref.n);
    expect(result.nZero).toBe(ref.nZero);
    close(result.statistic, ref.statistic, "statistic", 1e-9);
    close(result.p, ref.p, "p");
    close(result.z, ref.z, "z");
    if (ref.p > 1e-300) relClose(result.p, ref.p, "p (relative)", 1e-9);
  });

  it("uses the exact distribution for small untied samples: all 12 positive gives 2/2^12", () => {
    const result = wilcoxonSignedRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(result).toMatchObject({ method: "exact", statistic: 0, rPlus: 78, rMinus: 0, z: null });
    expect(result.p).toBe(2 / 4096);
  });

  it("ranks zeros then drops them (Pratt): d = [0, 0, 1] has R+ = 3 and z = -1", () => {
    // Ranks of |d| are 1.5, 1.5, 3; mean (12 - 6)/4 = 1.5; variance (84 - 30)/24 = 2.25.
    const result = wilcoxonSignedRank([0, 0, 1]);
    expect(result).toMatchObject({ method: "approx", rPlus: 3, rMinus: 0, statistic: 0, nZero: 2 });
    close(result.z, -1, "z", 1e-15);
  });

  it("pairs before/after arrays and rejects bad input", () => {
    const before = [3, 4, 2, 5, 1, 3, 4];
    const after = [4, 4, 3, 3, 2, 5, 4];
    expect(wilcoxonSignedRankPaired(before, after)).toEqual(
      wilcoxonSignedRank(after.map((value, i) => value - (before[i] ?? 0))),
    );
    expect(() => wilcoxonSignedRankPaired([1, 2], [1])).toThrow(RangeError);
    expect(() => wilcoxonSignedRank([1, Number.NaN])).toThrow(RangeError);
    expect(() => wilcoxonSignedRank([1, 1, 2], { method: "exact" })).toThrow(RangeError);
  });
});
