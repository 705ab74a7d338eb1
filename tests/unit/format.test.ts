import { describe, expect, it } from "vitest";
import { decimal, pValue, shownShift } from "../../analysis/results/format.js";
import { formatP } from "../../analysis/report/words.js";

describe("one number formatter for every page", () => {
  it("computes the shift shown from the rounded shares shown beside it", () => {
    // 14 of 43 to 22 of 43: 33% to 51%; the unrounded shift is 18.6 points, shown as +18.
    expect(shownShift(14 / 43, 22 / 43)).toBe("+18 points");
    expect(shownShift(0.5, 0.425)).toBe("\u22127 points");
    expect(shownShift(0.4, 0.4)).toBe("0 points");
    expect(shownShift(null, 0.4)).toBe("\u2013");
  });

  it("writes p values the same way on the dashboard and in the report", () => {
    expect(pValue(0.0004)).toBe("< 0.001");
    expect(pValue(0.0425)).toBe("0.043");
    expect(pValue(1)).toBe("1.000");
    expect(pValue(Number.NaN)).toBe("\u2013");
    expect(formatP(0.0004)).toBe("p < 0.001");
    expect(formatP(0.0425)).toBe("p = 0.043");
  });

  it("writes means to one decimal place", () => {
    expect(decimal(3.85)).toBe("3.9");
    expect(decimal(null)).toBe("\u2013");
  });
});
