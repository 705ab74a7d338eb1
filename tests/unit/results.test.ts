import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findQuestion, parseDefinition, type Question } from "../../analysis/definition.js";
import {
  byGroup,
  canSplitBy,
  formatInterval,
  likertDistribution,
  multipleChoice,
  overlapNote,
  pairedShift,
  percent,
  pointShift,
  rankShifts,
  singleChoice,
  splitGroups,
  wilcoxonSignedRankFromCounts,
} from "../../analysis/results/index.js";
import { builtInScales, type Scale } from "../../analysis/scales.js";
import {
  mcnemarExact,
  newcombePairedDifference,
  type WilcoxonResult,
  wilcoxonSignedRank,
  wilsonInterval,
} from "../../analysis/stats/index.js";
import { mulberry32 } from "../../db/seed/responses/shared.js";

function scale(id: string): Scale {
  const found = builtInScales.find((s) => s.id === id);
  if (!found) throw new Error(`no built-in scale ${id}`);
  return found;
}
const agreement = scale("agreement-5");
const statement = { id: "s1", text: "The plan will make the town centre safer" };

type Transitions = Record<string, Record<string, number>>;

/** Independent reference: one difference per pair, straight from the transition cells. */
function expandDifferences(s: Scale, transitions: Transitions): number[] {
  const score = new Map(s.options.map((o) => [o.code, o.score]));
  const out: number[] = [];
  for (const [before, row] of Object.entries(transitions)) {
    for (const [after, count] of Object.entries(row)) {
      const b = score.get(before);
      const a = score.get(after);
      if (b === null || b === undefined || a === null || a === undefined) continue;
      for (let i = 0; i < count; i++) out.push(a - b);
    }
  }
  return out;
}

function expectSameWilcoxon(actual: WilcoxonResult, expected: WilcoxonResult, label: string): void {
  expect(actual.method, label).toBe(expected.method);
  expect(actual.n, label).toBe(expected.n);
  expect(actual.nZero, label).toBe(expected.nZero);
  for (const key of ["statistic", "rPlus", "rMinus", "p"] as const) {
    expect(Math.abs(actual[key] - expected[key]), `${label} ${key}`).toBeLessThanOrEqual(1e-12);
  }
  if (expected.z === null) expect(actual.z, label).toBeNull();
  else expect(Math.abs((actual.z ?? Number.NaN) - expected.z), `${label} z`).toBeLessThanOrEqual(1e-12);
}

describe("likertDistribution", () => {
  const counts = {
    "strongly-agree": 18,
    agree: 16,
    neither: 5,
    disagree: 2,
    "strongly-disagree": 2,
    "dont-know": 3,
  };
  const result = likertDistribution(agreement, counts, 4);

  it("keeps don't know and blanks out of the base and reports them apart", () => {
    expect(result.base).toBe(43);
    expect(result.totalAnswered).toBe(46);
    expect(result.notAnswered).toBe(4);
    expect(result.lowBase).toBe(false);
    expect(result.excluded).toEqual([
      { code: "dont-know", label: "Don't know", count: 3, shareOfAnswered: 3 / 46 },
    ]);
    expect(result.options.map((o) => o.code)).toEqual([
      "strongly-agree",
      "agree",
      "neither",
      "disagree",
      "strongly-disagree",
    ]);
  });

  it("groups, net agreement and mean score", () => {
    expect(result.groups.positive.count).toBe(34);
    expect(result.groups.positive.share).toBeCloseTo(0.7907, 4); // 34/43 = 79.07%
    expect(result.groups.positive.optionCodes).toEqual(["strongly-agree", "agree"]);
    expect(result.groups.neutral.count).toBe(5);
    expect(result.groups.negative.count).toBe(4);
    expect(result.netAgreement).toBeCloseTo(30 / 43, 14);
    // (18*5 + 16*4 + 5*3 + 2*2 + 2*1) / 43 = 175/43
    expect(result.meanScore).toBeCloseTo(175 / 43, 14);
    const shares = result.options.reduce((sum, o) => sum + (o.share ?? 0), 0);
    expect(shares).toBeCloseTo(1, 14);
  });

  it("Wilson intervals match analysis/stats/wilson and hand-computed values", () => {
    const w = wilsonInterval(34, 43);
    expect(result.groups.positive.lower).toBe(w.lower);
    expect(result.groups.positive.upper).toBe(w.upper);
    // Wilson (1927) by hand with z = 1.959964: 64.79% to 88.58%.
    expect(result.groups.positive.lower).toBeCloseTo(0.6479435728926356, 12);
    expect(result.groups.positive.upper).toBeCloseTo(0.885771657790044, 12);
    const strongly = result.options[0];
    expect(strongly?.lower).toBeCloseTo(0.2838455092784919, 12);
    expect(strongly?.upper).toBeCloseTo(0.5667142261303579, 12);
  });

  it("flags low bases, handles an empty table and a scale without a neutral point", () => {
    const empty = likertDistribution(agreement, {}, 7);
    expect(empty.base).toBe(0);
    expect(empty.lowBase).toBe(true);
    expect(empty.netAgreement).toBeNull();
    expect(empty.meanScore).toBeNull();
    expect(empty.groups.positive).toMatchObject({ count: 0, share: null, lower: 0, upper: 1 });

    const importance = likertDistribution(scale("importance-4"), { very: 3, "not-at-all": 1 }, 0);
    expect(importance.groups.neutral.optionCodes).toEqual([]);
    expect(importance.groups.neutral.share).toBe(0);
    expect(importance.lowBase).toBe(true);
  });

  it("throws on unknown codes and invalid counts", () => {
    expect(() => likertDistribution(agreement, { "strongly-agre": 1 }, 0)).toThrow(/Unknown option code/);
    expect(() => likertDistribution(agreement, { agree: 1.5 }, 0)).toThrow(RangeError);
    expect(() => likertDistribution(agreement, { agree: 1 }, -1)).toThrow(RangeError);
  });
});

describe("choice questions", () => {
  const roles = [
    { code: "resident", label: "Resident" },
    { code: "business", label: "Business owner" },
    { code: "visitor", label: "Visitor" },
  ];

  it("single choice: shares of those who answered", () => {
    const r = singleChoice(roles, { resident: 30, business: 10 }, 5);
    expect(r.base).toBe(40);
    expect(r.notAnswered).toBe(5);
    expect(r.options.map((o) => o.share)).toEqual([0.75, 0.25, 0]);
    expect(r.options[0]?.lower).toBe(wilsonInterval(30, 40).lower);
    expect(() => singleChoice(roles, { tourist: 1 }, 0)).toThrow(/Unknown option code/);
  });

  it("multiple choice: a respondent who ticked two roles is counted in each; shares of respondents", () => {
    // Three respondents: A resident, B resident + business, C visitor.
    const r = multipleChoice(roles, { resident: 2, business: 1, visitor: 1 }, 3, []);
    expect(r.base).toBe(3);
    expect(r.totalTicks).toBe(4);
    expect(r.options.map((o) => o.share)).toEqual([2 / 3, 1 / 3, 1 / 3]);
    expect(r.options.reduce((sum, o) => sum + (o.share ?? 0), 0)).toBeGreaterThan(1);
    expect(r.note).toMatch(/more than 100%/);
    expect(r.notAnswered).toBeNull();
  });

  it("multiple choice: Other listed last with its texts", () => {
    const other = { code: "other", label: "Other" };
    const r = multipleChoice(roles, { resident: 2, other: 2 }, 3, ["Landlord", "  ", " Parish clerk "], {
      other,
      notAnswered: 1,
    });
    expect(r.options.at(-1)).toMatchObject({ code: "other", isOther: true, count: 2 });
    expect(r.options.filter((o) => o.isOther)).toHaveLength(1);
    expect(r.otherTexts).toEqual(["Landlord", "Parish clerk"]);
    expect(r.notAnswered).toBe(1);
    expect(() => multipleChoice(roles, { other: 1 }, 3, [])).toThrow(/Unknown option code/);
    expect(() => multipleChoice(roles, { resident: 4 }, 3, [])).toThrow(/exceeds/);
  });
});

describe("pairedShift", () => {
  it("everyone moves up one point", () => {
    const transitions = { neither: { agree: 12 }, agree: { "strongly-agree": 8 }, disagree: { neither: 5 } };
    const r = pairedShift(agreement, statement, transitions);
    expect(r.pairs).toBe(25);
    expect(r.agreeTable).toEqual({ a: 8, b: 0, c: 12, d: 5 });
    expect(r.agreeBefore.share).toBe(8 / 25);
    expect(r.agreeAfter.share).toBe(20 / 25);
    expect(r.shift).toBeCloseTo(0.48, 14);
    const newcombe = newcombePairedDifference({ a: 8, b: 0, c: 12, d: 5 });
    expect(r.shiftInterval).toEqual({ lower: newcombe.lower, upper: newcombe.upper, phi: newcombe.phi });
    // Exact McNemar: 0 of 12 switchers went down: p = 2 / 2^12.
    expect(r.mcnemar.p).toBe(2 / 4096);
    expect(r.meanDifference).toBe(1);
    expect(r.meanBefore).toBeCloseTo((3 * 12 + 4 * 8 + 2 * 5) / 25, 14);
    // 25 tied +1 differences: R+ = 325, mean 162.5, variance 1381.25 - 325 = 1056.25, z = -5.
    expect(r.wilcoxon).toMatchObject({
      method: "approx",
      rPlus: 325,
      rMinus: 0,
      statistic: 0,
      n: 25,
      nZero: 0,
    });
    expect(r.wilcoxon.z).toBeCloseTo(-5, 12);
    expect(r.wilcoxon.p).toBeCloseTo(5.733031437583866e-7, 18); // scipy.stats.wilcoxon([1]*25, method="approx")
  });

  it("nothing changes: shift 0, p = 1", () => {
    const transitions = { agree: { agree: 10 }, neither: { neither: 6 }, disagree: { disagree: 4 } };
    const r = pairedShift(agreement, statement, transitions);
    expect(r.pairs).toBe(20);
    expect(r.shift).toBe(0);
    expect(r.mcnemar.p).toBe(1);
    expect(r.wilcoxon.method).toBe("none");
    expect(r.wilcoxon.p).toBe(1);
    expect(r.meanDifference).toBe(0);
  });

  it("leaves out excluded and blank halves, and builds the transition table", () => {
    const transitions = {
      neither: { neither: 4, agree: 6 },
      agree: { agree: 6, neither: 2 },
      disagree: { agree: 3 },
      "strongly-agree": { disagree: 1 },
      "dont-know": { agree: 2 },
      "strongly-disagree": { "dont-know": 1 },
    };
    const r = pairedShift(agreement, statement, transitions, 4);
    expect(r.pairs).toBe(22);
    expect(r.excludedPairs).toBe(7);
    expect(r.excludedBreakdown).toEqual({ excludedOption: 3, blank: 4 });
    expect(r.agreeTable).toEqual({ a: 6, b: 3, c: 9, d: 4 });
    expect(r.shift).toBeCloseTo(6 / 22, 14);
    expect(r.mcnemar.p).toBeCloseTo(598 / 4096, 14); // 2 * P(X <= 3), X ~ Bin(12, 1/2)
    expect(r.mcnemar).toEqual(mcnemarExact({ b: 3, c: 9 }));
    expect(r.meanBefore).toBeCloseTo(73 / 22, 14);
    expect(r.meanAfter).toBeCloseTo(80 / 22, 14);
    // scipy.stats.wilcoxon(d, zero_method="pratt", method="approx") on the 22 differences.
    expect(r.wilcoxon.statistic).toBe(51);
    expect(r.wilcoxon.p).toBeCloseTo(0.09798930270791739, 12);
    expect(r.wilcoxon.z).toBeCloseTo(-1.6546806079840612, 12);
    expect(r.transitions.options.map((o) => o.code)).toEqual(agreement.options.map((o) => o.code));
    expect(r.transitions.counts[2]).toEqual([0, 6, 4, 0, 0, 0]); // neither -> agree 6, neither 4
    expect(r.transitions.counts[5]?.[1]).toBe(2); // don't know -> agree
  });

  it("no pairs: null shift, wide interval, p = 1", () => {
    const r = pairedShift(agreement, statement, { "dont-know": { agree: 3 } });
    expect(r.pairs).toBe(0);
    expect(r.shift).toBeNull();
    expect(r.shiftInterval).toMatchObject({ lower: -1, upper: 1 });
    expect(r.agreeBefore.share).toBeNull();
    expect(r.meanBefore).toBeNull();
    expect(r.mcnemar.p).toBe(1);
    expect(r.wilcoxon.p).toBe(1);
  });

  it("throws on unknown codes in rows or columns", () => {
    expect(() => pairedShift(agreement, statement, { yes: { agree: 1 } })).toThrow(/Unknown option code/);
    expect(() => pairedShift(agreement, statement, { agree: { yes: 1 } })).toThrow(/Unknown option code/);
  });

  it("uses the exact Wilcoxon p where wilcoxonSignedRank would (small n, no ties, no zeros)", () => {
    const transitions = { neither: { agree: 1 }, agree: { "strongly-disagree": 1 } };
    const r = pairedShift(agreement, statement, transitions);
    expect(r.wilcoxon.method).toBe("exact");
    expectSameWilcoxon(r.wilcoxon, wilcoxonSignedRank([1, -3]), "exact");
  });
});

describe("wilcoxonSignedRankFromCounts equals wilcoxonSignedRank on the expanded vector", () => {
  it("on seeded random transition tables, including Pratt zeros", () => {
    const random = mulberry32(20240611);
    const scales = [agreement, scale("importance-4"), scale("agree-undecided-disagree")];
    let withZeros = 0;
    for (let trial = 0; trial < 200; trial++) {
      const s = scales[trial % scales.length] ?? agreement;
      const maxCount = [1, 3, 12, 60, 400][trial % 5] ?? 1;
      const density = random();
      const transitions: Transitions = {};
      for (const before of s.options) {
        transitions[before.code] = {};
        for (const after of s.options) {
          if (random() < density) {
            const row = transitions[before.code];
            if (row) row[after.code] = Math.floor(random() * (maxCount + 1));
          }
        }
      }
      const expected = wilcoxonSignedRank(expandDifferences(s, transitions));
      const actual = pairedShift(s, statement, transitions).wilcoxon;
      expectSameWilcoxon(actual, expected, `trial ${trial}`);
      if (actual.method === "approx" && actual.nZero > 0) withZeros++;
    }
    expect(withZeros).toBeGreaterThan(100);
  });

  it("on histograms of non-integer, exact-path and continuity-corrected cases", () => {
    const cases: [number, number][][] = [
      [
        [0.5, 3],
        [-0.5, 2],
        [1.25, 4],
        [0, 5],
        [-2, 1],
      ],
      [
        [1, 1],
        [-2, 1],
        [3, 1],
        [4, 1],
        [-5, 1],
      ],
      [
        [0, 3],
        [0, 2],
      ],
      [],
      [[2, 60]],
    ];
    for (const [i, histogram] of cases.entries()) {
      const vector = histogram.flatMap(([d, count]) => Array<number>(count).fill(d));
      for (const correction of [false, true]) {
        expectSameWilcoxon(
          wilcoxonSignedRankFromCounts(histogram, { correction }),
          wilcoxonSignedRank(vector, { correction }),
          `case ${i} correction ${correction}`,
        );
      }
      expectSameWilcoxon(
        wilcoxonSignedRankFromCounts(histogram, { method: "approx" }),
        wilcoxonSignedRank(vector, { method: "approx" }),
        `case ${i} approx`,
      );
    }
    expect(wilcoxonSignedRankFromCounts(new Map([[1, 1]])).method).toBe("exact");
    expect(() => wilcoxonSignedRankFromCounts([[1, 2]], { method: "exact" })).toThrow(RangeError);
    expect(() => wilcoxonSignedRankFromCounts([[Number.NaN, 1]])).toThrow(RangeError);
  });

  it("handles 500,000 pairs from a handful of cells", () => {
    const transitions = {
      "strongly-disagree": { "strongly-agree": 20_000, disagree: 30_000 },
      disagree: { disagree: 100_000, neither: 90_000, agree: 10_000 },
      neither: { neither: 80_000, agree: 70_000, disagree: 40_000 },
      agree: { agree: 50_000, "strongly-agree": 10_000 },
    };
    const r = pairedShift(agreement, statement, transitions);
    expect(r.pairs).toBe(500_000);
    expect(r.wilcoxon.method).toBe("approx");
    expect(r.wilcoxon.n).toBe(500_000);
    expect(r.wilcoxon.nZero).toBe(230_000);
    expect(r.wilcoxon.p).toBeLessThan(1e-12);
  });
});

describe("rankShifts", () => {
  it("orders by shift, largest first, ties by statement order, no pairs last", () => {
    const make = (id: string, transitions: Transitions) =>
      pairedShift(agreement, { id, text: id }, transitions);
    const results = [
      make("none", {}),
      make("up-small", { neither: { agree: 1, neither: 9 } }), // +0.1
      make("down", { agree: { neither: 2, agree: 8 } }), // -0.2
      make("up-big", { neither: { agree: 5, neither: 5 } }), // +0.5
      make("up-small-2", { disagree: { agree: 2, disagree: 18 } }), // +0.1
    ];
    expect(rankShifts(results).map((r) => r.statement.id)).toEqual([
      "up-big",
      "up-small",
      "up-small-2",
      "down",
      "none",
    ]);
    expect(results[0]?.statement.id).toBe("none"); // input not mutated
  });
});

describe("segments", () => {
  const roleQuestion: Question = {
    id: "role",
    text: "Which of these describe you?",
    required: true,
    kind: "multiple",
    options: [
      { code: "resident", label: "Resident" },
      { code: "business", label: "Business owner" },
    ],
    other: { code: "other", label: "Other" },
  };

  it("overlapNote explains overlapping groups for multiple choice only", () => {
    expect(overlapNote(roleQuestion, "role")).toBe(
      "Respondents could tick more than one role of this question, so a respondent can be in more than one group.",
    );
    expect(overlapNote({ ...roleQuestion, kind: "single" } as Question)).toBe("");
  });

  it("splitGroups lists the options, \u201cOther\u201d last, or a Likert question's scale", () => {
    const parsed = parseDefinition(
      JSON.parse(
        readFileSync(
          resolve(
            dirname(fileURLToPath(import.meta.url)),
            "../../db/seed/definitions/commissioning-procurement-2015.json",
          ),
          "utf8",
        ),
      ),
    );
    if (!parsed.ok) throw new Error("the demo definition is valid");
    const def = parsed.definition;
    const roles = findQuestion(def, "roles");
    const likert = findQuestion(def, "best-way-forward");
    const text = findQuestion(def, "head-office-town");
    if (!roles || !likert || !text || !canSplitBy(roles) || !canSplitBy(likert)) throw new Error("fixture");
    expect(canSplitBy(text)).toBe(false);
    expect(
      splitGroups(def, roles)
        .map((g) => g.code)
        .at(-1),
    ).toBe("other");
    expect(splitGroups(def, roles)).toHaveLength(7);
    expect(splitGroups(def, likert).map((g) => g.label)).toEqual(agreement.options.map((o) => o.label));
  });

  it("byGroup runs compute for all respondents and each group", () => {
    const counts: Record<string, Record<string, number>> = {
      all: { agree: 10, disagree: 5 },
      resident: { agree: 8, disagree: 2 },
      business: { agree: 3, disagree: 4 },
      other: {},
    };
    const groups =
      roleQuestion.kind === "multiple" ? [...roleQuestion.options, roleQuestion.other ?? []].flat() : [];
    expect(groups.map((g) => g.code)).toEqual(["resident", "business", "other"]);
    const split = byGroup(groups, (code) => likertDistribution(agreement, counts[code ?? "all"] ?? {}, 0));
    expect(split.all.group).toEqual({ code: null, label: "All respondents" });
    expect(split.all.result.base).toBe(15);
    expect(split.groups.map((g) => [g.group.label, g.result.base])).toEqual([
      ["Resident", 10],
      ["Business owner", 7],
      ["Other", 0],
    ]);
  });
});

describe("format", () => {
  it("percent", () => {
    expect(percent(34 / 43)).toBe("79%");
    expect(percent(34 / 43, 1)).toBe("79.1%");
    expect(percent(0.52)).toBe("52%");
    expect(percent(57 / 200)).toBe("29%"); // 28.5% rounds up despite 0.285 * 100 = 28.4999...
    expect(percent(0)).toBe("0%");
    expect(percent(1)).toBe("100%");
    expect(percent(null)).toBe("\u2013");
  });

  it("pointShift and formatInterval", () => {
    expect(pointShift(0.12)).toBe("+12 points");
    expect(pointShift(-0.034)).toBe("\u22123 points");
    expect(pointShift(0.01)).toBe("+1 point");
    expect(pointShift(0.001)).toBe("0 points");
    expect(pointShift(null)).toBe("\u2013");
    expect(formatInterval({ lower: 0.6479, upper: 0.8858 })).toBe("65% to 89%");
    expect(formatInterval({ lower: -0.02, upper: 0.15 }, 0, "points")).toBe("\u22122 to +15 points");
  });
});

describe("analysis/ stays pure", () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../analysis");
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? files(join(dir, entry.name))
        : entry.name.endsWith(".ts")
          ? [join(dir, entry.name)]
          : [],
    );

  it("imports only its own files, zod, compromise and natural's submodules (some loaded on first use): nothing from server/, db/, views/ or Node I/O", () => {
    const all = files(root);
    expect(all.some((f) => f.endsWith(join("results", "paired.ts")))).toBe(true);
    // createRequire(import.meta.url)("x") loads an allowed package on first use (start-up time), so
    // node:module is allowed and what it loads is checked like any import.
    const pattern =
      /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|\bcreateRequire\(import\.meta\.url\)\(\s*)["']([^"']+)["']/g;
    const problems: string[] = [];
    for (const file of all) {
      for (const match of readFileSync(file, "utf8").matchAll(pattern)) {
        const specifier = match[1] ?? "";
        const name = relative(root, file);
        if (specifier.startsWith(".")) {
          const target = resolve(dirname(file), specifier);
          if (relative(root, target).startsWith("..")) problems.push(`${name} imports ${specifier}`);
        } else if (
          specifier !== "zod" &&
          specifier !== "compromise" &&
          specifier !== "node:module" &&
          !specifier.startsWith("natural/lib/natural/")
        )
          // compromise (names in redaction) is computation only, with no I/O. natural whole loads
          // its storage back-ends and reads .env files: only its submodules.
          problems.push(`${name} imports ${specifier}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
