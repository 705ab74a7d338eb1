import { describe, expect, it } from "vitest";
import { percent } from "../../analysis/results/format.js";
import type { LikertDistribution } from "../../analysis/results/likert.js";
import type { ConsultationResults, QuestionResult } from "../../analysis/results/model.js";
import { buildTestApp } from "../support/app.js";

/**
 * Every figure ../shared/seeds/README.md says the councils published, computed by the real results
 * service from the demo responses stored on first start, and shown as the dashboard shows it.
 */
const t = buildTestApp();
function results(slug: string): ConsultationResults {
  const row = t.services.consultations.find(slug);
  if (!row) throw new Error(`no ${slug}`);
  return t.services.results.compute(row);
}
function question(r: ConsultationResults, id: string): QuestionResult {
  const q = r.questions.find((x) => x.question.id === id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
}
function likert(r: ConsultationResults, id: string): LikertDistribution {
  const q = question(r, id);
  if (q.kind !== "likert") throw new Error(`${id} is not a Likert item`);
  return q.distribution;
}
function statement(r: ConsultationResults, id: string, statementId: string): LikertDistribution {
  const q = question(r, id);
  if (q.kind !== "grid") throw new Error(`${id} is not a grid`);
  const s = q.statements.find((x) => x.id === statementId);
  if (!s) throw new Error(`no statement ${statementId}`);
  return s.distribution;
}
const option = (d: LikertDistribution, code: string) => d.options.find((o) => o.code === code)?.share ?? null;
const oneDecimal = (share: number | null) => percent(share, 1);

describe("Commissioning and Procurement Strategy (seed 002)", () => {
  const r = results("commissioning-procurement-2015");

  it("had 43 responses", () => expect(r.respondents).toBe(43));

  it("counts each ticked role: 14 public, 4 service users, 4 VCS, 3 businesses, 9 suppliers, 16 employees, 2 other", () => {
    const q = question(r, "roles");
    if (q.kind !== "multiple") throw new Error("roles is multiple choice");
    expect(Object.fromEntries(q.result.options.map((o) => [o.code, o.count]))).toEqual({
      public: 14,
      "service-user": 4,
      vcs: 4,
      business: 3,
      supplier: 9,
      employee: 16,
      other: 2,
    });
    expect(q.result.base).toBe(43);
  });

  it('"best way forward": 52.4% agreed, 26% neither, 21% disagreed', () => {
    const d = likert(r, "best-way-forward");
    expect(oneDecimal(d.groups.positive.share)).toBe("52.4%");
    expect(percent(d.groups.neutral.share)).toBe("26%");
    expect(percent(d.groups.negative.share)).toBe("21%");
  });

  it("the greatest before/after shift is for doing the best job, the smallest for understanding the challenges", () => {
    const set = r.paired[0];
    expect(set?.ranked[0]?.statement.text).toMatch(
      /doing the best job it can with the limited resources available/,
    );
    expect(set?.ranked.at(-1)?.statement.text).toMatch(/understand the financial challenges/i);
    expect(set?.ranked.every((s) => (s.shift ?? 0) > 0)).toBe(true);
  });

  it('"enhanced commercial approach" is the least popular principle', () => {
    const q = question(r, "principles-agreement");
    if (q.kind !== "grid") throw new Error("principles is a grid");
    const least = [...q.statements].sort(
      (a, b) => (a.distribution.groups.positive.share ?? 0) - (b.distribution.groups.positive.share ?? 0),
    )[0];
    expect(least?.id).toBe("enhanced-commercial");
  });
});

describe("Strategic Plan 2022-26 (seed 003)", () => {
  const r = results("strategic-plan-2022");

  it("had 259 responses", () => expect(r.respondents).toBe(259));

  it("79% agreed with the outcomes (42% strongly)", () => {
    const d = likert(r, "outcomes-overall");
    expect(percent(d.groups.positive.share)).toBe("79%");
    expect(percent(option(d, "strongly-agree"))).toBe("42%");
  });

  it("vision: 79% agreed (39% strongly), 10% disagreed", () => {
    const d = likert(r, "vision-agreement");
    expect(percent(d.groups.positive.share)).toBe("79%");
    expect(percent(option(d, "strongly-agree"))).toBe("39%");
    expect(percent(d.groups.negative.share)).toBe("10%");
  });

  it.each([
    ["improving-opportunities", "88%", "58%"],
    ["clean-green", "83%", "54%"],
    ["safe-well", "83%", "56%"],
    ["great-communities", "76%", "44%"],
    ["strong-economy", "68%", "34%"],
  ])("outcome %s: %s agreed (%s strongly)", (id, agreed, strongly) => {
    const d = statement(r, "outcomes-agreement", id);
    expect(percent(d.groups.positive.share)).toBe(agreed);
    expect(percent(option(d, "strongly-agree"))).toBe(strongly);
  });

  it("Strong Economy, Transport and Infrastructure: 17% disagreed (6% strongly)", () => {
    const d = statement(r, "outcomes-agreement", "strong-economy");
    expect(percent(d.groups.negative.share)).toBe("17%");
    expect(percent(option(d, "strongly-disagree"))).toBe("6%");
  });

  it("the housing aim: 23% not at all important, 19% not very important", () => {
    const d = statement(r, "strong-economy-aims", "housing");
    expect(percent(option(d, "not-at-all"))).toBe("23%");
    expect(percent(option(d, "not-very"))).toBe("19%");
  });
});

describe("Communities Approach 2022-26 (seed 003)", () => {
  const r = results("communities-approach-2022");

  it("had 97 responses", () => expect(r.respondents).toBe(97));

  it.each([
    ["principles-agreement", ["73%", "24%", "3%"]],
    ["objective-agreement", ["60%", "19%", "21%"]],
    ["local-assets-strength", ["40%", "36%", "24%"]],
  ])("%s: %j", (id, shares) => {
    const d = likert(r, id);
    expect(
      [d.groups.positive.share, d.groups.neutral.share, d.groups.negative.share].map((s) => percent(s)),
    ).toEqual(shares);
  });
});
