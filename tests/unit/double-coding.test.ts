import { describe, expect, it } from "vitest";
import { agreement } from "../../analysis/themes/agreement.js";
import { drawSample, officerAgreement } from "../../analysis/themes/double-coding.js";

describe("double-coded samples", () => {
  it("draws without replacement, repeatably for a seed, at most what there is", () => {
    const a = drawSample(100, 30, 7);
    expect(a).toHaveLength(30);
    expect(new Set(a).size).toBe(30);
    expect(a.every((k) => k >= 0 && k < 100)).toBe(true);
    expect(drawSample(100, 30, 7)).toEqual(a);
    expect(drawSample(100, 30, 8)).not.toEqual(a);
    expect(drawSample(5, 30, 7).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("scores the blind second officer against the first coding, per theme, on the questions it applies to", () => {
    const comments = [
      { question: "q1", first: [1], second: [1] },
      { question: "q1", first: [1, 2], second: [2] },
      { question: "q1", first: [], second: [1] },
      { question: "q1", first: [2], second: [2] },
      { question: "q2", first: [1], second: [] },
    ];
    const themes = [
      { id: 1, questions: [] },
      { id: 2, questions: ["q1"] },
      { id: 3, questions: ["q3"] },
    ];
    const got = officerAgreement(comments, themes, 200);
    expect(got.map((g) => g.themeId)).toEqual([1, 2]); // theme 3 has no comment to compare
    const one = agreement(comments.map((c) => ({ said: c.second.includes(1), truth: c.first.includes(1) })));
    expect(got[0]?.agreement.f1.value).toBeCloseTo(one.f1, 12);
    expect(got[0]?.agreement.precision.value).toBeCloseTo(1 / 2, 12); // second gave 1 twice, once agreed
    expect(got[0]?.agreement.recall.value).toBeCloseTo(1 / 3, 12); // first gave 1 three times
    expect(got[1]?.agreement.compared).toBe(4); // q2's comment is not compared for theme 2
    expect(got[1]?.agreement.kappa.value).toBe(1);
    expect(got[0]?.agreement.f1.lower).toBeLessThanOrEqual(got[0]?.agreement.f1.value ?? 0);
  });
});
