import { describe, expect, it } from "vitest";
import {
  agreement,
  agreementByLength,
  agreementWithIntervals,
  type CodedPair,
  lengthBand,
} from "../../analysis/themes/agreement.js";

/** tp true positives, fp false positives, fn misses, tn agreed negatives. */
function pairs(tp: number, fp: number, fn: number, tn: number): CodedPair[] {
  return [
    ...Array.from({ length: tp }, () => ({ said: true, truth: true })),
    ...Array.from({ length: fp }, () => ({ said: true, truth: false })),
    ...Array.from({ length: fn }, () => ({ said: false, truth: true })),
    ...Array.from({ length: tn }, () => ({ said: false, truth: false })),
  ];
}

describe("agreement between two coders on one theme", () => {
  it("gives precision, recall, F1, Cohen's kappa and the support", () => {
    // 20 tp, 5 fp, 10 fn, 65 tn of 100: observed agreement 0.85; chance (25/100)(30/100) +
    // (75/100)(70/100) = 0.6; kappa (0.85 - 0.6) / 0.4 = 0.625.
    const a = agreement(pairs(20, 5, 10, 65));
    expect(a.precision).toBeCloseTo(0.8);
    expect(a.recall).toBeCloseTo(2 / 3);
    expect(a.f1).toBeCloseTo(40 / 55);
    expect(a.kappa).toBeCloseTo(0.625);
    expect(a.support).toBe(30);
    expect(a.compared).toBe(100);
  });

  it("scores chance-level tagging near kappa 0 and perfect agreement at 1", () => {
    // Tagging 10% at random against a reference of 10%: tp 1, fp 9, fn 9, tn 81 -> kappa 0.
    expect(agreement(pairs(1, 9, 9, 81)).kappa).toBeCloseTo(0);
    expect(agreement(pairs(7, 0, 0, 13)).kappa).toBe(1);
    expect(agreement(pairs(0, 0, 0, 5))).toMatchObject({ f1: 0, kappa: 1, support: 0 });
  });

  it("puts a bootstrap 95% interval around each figure, narrower with more comments", () => {
    const small = agreementWithIntervals(pairs(8, 2, 4, 26), 500, 3);
    const large = agreementWithIntervals(pairs(80, 20, 40, 260), 500, 3);
    for (const a of [small, large]) {
      expect(a.f1.lower).toBeLessThanOrEqual(a.f1.value);
      expect(a.f1.upper).toBeGreaterThanOrEqual(a.f1.value);
      expect(a.kappa.lower).toBeLessThan(a.kappa.upper);
    }
    expect(large.f1.upper - large.f1.lower).toBeLessThan(small.f1.upper - small.f1.lower);
    expect(agreementWithIntervals(pairs(8, 2, 4, 26), 500, 3)).toEqual(small);
  });

  it("splits the agreement by comment length", () => {
    expect(lengthBand("Too far")).toBe("short");
    expect(lengthBand(" one two three four five six seven eight nine ten eleven ")).toBe("medium");
    expect(lengthBand("word ".repeat(41))).toBe("long");
    const p = [...pairs(3, 0, 0, 3), ...pairs(0, 3, 3, 0)];
    const bands = [...Array(6).fill("long"), ...Array(6).fill("short")];
    const split = agreementByLength(p, bands);
    expect(split.long.f1).toBe(1);
    expect(split.short.f1).toBe(0);
    expect(split.medium.compared).toBe(0);
  });
});
