import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matcher, parseRule, parseRules, searchQuery } from "../../analysis/themes/rules.js";
import { stems } from "../../analysis/themes/tokens.js";

const rules = (text: string) => {
  const parsed = parseRules(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return matcher(parsed.rules);
};

describe("stemmed words", () => {
  it("stems with Porter, splits hyphens and slashes, and drops possessives", () => {
    expect(stems("Volunteers volunteering VOLUNTEER")).toEqual(["volunt", "volunt", "volunt"]);
    expect(stems("time-banking and/or the council's café")).toEqual([
      "time",
      "bank",
      "and",
      "or",
      "the",
      "council",
      "cafe",
    ]);
  });
});

describe("theme rules", () => {
  it("needs every word, in any form and order", () => {
    const m = rules("volunteers cost");
    expect(m("The use of volunteers is a cost effective way")).toBe(true);
    expect(m("Costs rise when a volunteer leaves")).toBe(true);
    expect(m("Using the voluntary sector more")).toBe(false);
  });

  it('matches a "quoted phrase" only as consecutive words in order', () => {
    const m = rules('"voluntary sector"');
    expect(m("Using the voluntary sector and volunteers")).toBe(true);
    expect(m("The sector is voluntary")).toBe(false);
    expect(m("voluntary and community sector")).toBe(false);
  });

  it('leaves out comments with an -excluded word or -"phrase"', () => {
    const m = rules('volunteers -paid -"trained staff"');
    expect(m("Volunteers are cost effective")).toBe(true);
    expect(m("Volunteers cannot replace paid staff")).toBe(false);
    expect(m("Volunteers cannot replace trained staff")).toBe(false);
    expect(m("Volunteers need staff who are trained")).toBe(true);
  });

  it("matches a theme when any of its rules (one per line or after ;) matches", () => {
    const m = rules('jargon\nplain english; "hard to follow"');
    expect(m("Too much jargon")).toBe(true);
    expect(m("A plain English version please")).toBe(true);
    expect(m("The language is hard to follow")).toBe(true);
    expect(m("Clear and simple")).toBe(false);
  });

  it("refuses a rule it cannot read, saying what to fix", () => {
    const error = (text: string) => {
      const p = parseRules(text);
      return p.ok ? "" : p.error;
    };
    expect(error('"voluntary sector')).toMatch(/close the quoted phrase/);
    expect(error("-paid")).toMatch(/only leaves words out/);
    expect(error("volunteers - paid")).toMatch(/straight after the minus sign/);
    expect(error('""')).toMatch(/quoted phrase has no words/);
    expect(error("!!!")).toMatch(/"!!!" has no letters or digits/);
    expect(error(Array.from({ length: 21 }, (_, i) => `word${i}`).join("\n"))).toMatch(/at most 20 rules/);
    expect(parseRules("").ok).toBe(true);
  });

  it("builds FTS5 queries with every word quoted, so nothing typed is FTS syntax", () => {
    const p = parseRule('care OR NEAR "older people" -"cuts*"');
    if (!p.ok) throw new Error(p.error);
    expect(searchQuery([p.rule], true)).toBe(
      '(("care" AND "or" AND "near" AND "older people") NOT ("cuts*"))',
    );
    expect(searchQuery([p.rule], false)).toBe('("care" AND "or" AND "near" AND "older" AND "people")');
  });

  it("parses and matches any text, never throwing", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (rule, text) => {
        const p = parseRules(rule);
        if (p.ok) expect(typeof matcher(p.rules)(text)).toBe("boolean");
        else expect(p.error.length).toBeGreaterThan(0);
      }),
    );
  });

  it("takes a similar time per character on a long hostile rule and comment as on a short one", () => {
    const hostile = (n: number) => `${'"a '.repeat(n)}${"-".repeat(n)}${"a ".repeat(n)}`;
    const time = (n: number) => {
      const text = "a ".repeat(n * 10);
      const start = performance.now();
      for (let k = 0; k < 5; k++) {
        const p = parseRule(hostile(n).slice(0, 1990));
        if (p.ok) matcher([p.rule])(text);
        matcher([{ source: "", include: [{ words: ["a"], stems: Array(8).fill("a") }], exclude: [] }])(text);
      }
      return performance.now() - start;
    };
    // The fastest of a few runs, so a busy machine does not decide the ratio.
    const best = (n: number) => Math.min(time(n), time(n), time(n));
    best(100);
    // Ten times the input: a linear pass takes about ten times as long; a quadratic one a hundred.
    expect(best(4000) / Math.max(best(400), 1)).toBeLessThan(40);
  });
});
