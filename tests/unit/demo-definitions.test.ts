import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type ConsultationDefinition,
  pairedSet,
  parseDefinition,
  type Question,
  resolveScale,
} from "../../analysis/definition.js";

const slugs = [
  "commissioning-procurement-2015",
  "strategic-plan-2022",
  "communities-approach-2022",
  "commercial-strategy-2018",
] as const;
type Slug = (typeof slugs)[number];

function readJson(slug: Slug): unknown {
  const url = new URL(`../../db/seed/definitions/${slug}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8"));
}

function load(slug: Slug): ConsultationDefinition {
  const result = parseDefinition(readJson(slug));
  if (!result.ok) throw new Error(`${slug}: ${JSON.stringify(result.errors, null, 2)}`);
  return result.definition;
}

function questions(def: ConsultationDefinition): Question[] {
  return def.pages.flatMap((page) => page.questions);
}

function question<K extends Question["kind"]>(
  def: ConsultationDefinition,
  id: string,
  kind: K,
): Extract<Question, { kind: K }> {
  const q = questions(def).find((candidate) => candidate.id === id);
  if (!q) throw new Error(`No question ${id} in ${def.slug}`);
  expect(q.kind).toBe(kind);
  return q as Extract<Question, { kind: K }>;
}

function pageIndexOf(def: ConsultationDefinition, questionId: string): number {
  return def.pages.findIndex((page) => page.questions.some((q) => q.id === questionId));
}

describe("demo consultation definitions", () => {
  it.each(slugs)("%s validates against the definition schema", (slug) => {
    const result = parseDefinition(readJson(slug));
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.definition.slug).toBe(slug);
      expect(result.definition.council).toBe("Leicestershire County Council");
      expect(result.definition.documents.length).toBeGreaterThan(0);
      expect(result.definition.promotion.length).toBeGreaterThan(0);
    }
  });

  it.each(slugs)("%s keeps free text within 2000 characters and optional", (slug) => {
    const def = load(slug);
    for (const q of questions(def)) {
      if (q.kind !== "text") continue;
      expect(q.maxLength).toBeLessThanOrEqual(2000);
      if (q.id !== "head-office-town") expect(q.required).toBe(false);
    }
  });

  it("only the commercial strategy has a slug ending in 2018", () => {
    expect(slugs.filter((slug) => load(slug).slug.endsWith("2018"))).toEqual(["commercial-strategy-2018"]);
  });
});

describe("Commissioning and Procurement Strategy 2015", () => {
  const def = load("commissioning-procurement-2015");

  it("ran from 19 November 2014 to 15 January 2015", () => {
    expect(def.opens).toBe("2014-11-19T00:00:00Z");
    expect(def.closes).toBe("2015-01-15T23:59:59Z");
  });

  it("asks for roles with the published option codes", () => {
    const roles = question(def, "roles", "multiple");
    expect(roles.required).toBe(true);
    const codes = [...roles.options.map((o) => o.code), roles.other?.code];
    expect(codes).toEqual(["public", "service-user", "vcs", "business", "supplier", "employee", "other"]);
  });

  it("shows the supplier page only to suppliers", () => {
    const page = def.pages.find((p) => p.id === "supplier-details");
    expect(page?.showIf).toEqual({ question: "roles", anyOf: ["supplier"] });
    const ids = page?.questions.map((q) => q.id);
    expect(ids).toEqual(
      expect.arrayContaining(["supplier-services", "head-office-town", "organisation-size", "supplier-sme"]),
    );
    const size = question(def, "organisation-size", "single");
    expect(size.required).toBe(true);
    expect(size.options.map((o) => o.code)).toEqual(["micro", "small", "medium", "large"]);
  });

  it("rates four statements before and after reading the strategy", () => {
    const set = pairedSet(def, "perceptions");
    expect(set.statements).toHaveLength(4);
    expect(set.statements.map((s) => s.id)).toEqual(
      expect.arrayContaining(["understand-challenges", "best-job"]),
    );
    expect(set.statements.find((s) => s.id === "best-job")?.text).toMatch(/best job it can/);
    const before = pageIndexOf(def, "perceptions-before");
    const after = pageIndexOf(def, "perceptions-after");
    expect(before).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(before + 1);
    // The strategy summary sits between the two halves and asks nothing.
    const between = def.pages.slice(before + 1, after);
    expect(between.some((p) => p.content.length >= 3 && p.questions.length === 0)).toBe(true);
  });

  it("asks whether the strategy is the best way forward", () => {
    const q = question(def, "best-way-forward", "likert");
    expect(q.scale).toBe("agreement-5");
    expect(q.text).toMatch(/best way forward/);
  });

  it("rates all eight commissioning principles, including the enhanced commercial approach", () => {
    const grid = question(def, "principles-agreement", "grid");
    expect(grid.scale).toBe("agreement-5");
    expect(grid.statements).toHaveLength(8);
    expect(grid.statements.find((s) => s.id === "enhanced-commercial")?.text).toMatch(/enhanced commercial/i);
  });

  it("invites the free-text comments the report analysed", () => {
    expect(question(def, "disagree-reasons", "text").required).toBe(false);
    expect(question(def, "improve-strategy", "text").text).toMatch(/improve/);
  });
});

describe("Strategic Plan 2022-26", () => {
  const def = load("strategic-plan-2022");

  it("ran from 1 November 2021 to 18 February 2022 (after its extension)", () => {
    expect(def.opens).toBe("2021-11-01T00:00:00Z");
    expect(def.closes).toBe("2022-02-18T23:59:59Z");
  });

  it("asks about the vision and the five outcomes", () => {
    expect(question(def, "vision-agreement", "likert").scale).toBe("agreement-5");
    const grid = question(def, "outcomes-agreement", "grid");
    expect(grid.statements.map((s) => s.id)).toEqual([
      "clean-green",
      "great-communities",
      "improving-opportunities",
      "strong-economy",
      "safe-well",
    ]);
  });

  it("has a page of aims on importance-4 and a comment box for each outcome", () => {
    for (const outcome of question(def, "outcomes-agreement", "grid").statements) {
      const page = def.pages.find((p) => p.id === outcome.id);
      expect(page, outcome.id).toBeDefined();
      const aims = page?.questions.find((q) => q.kind === "grid");
      expect(aims?.kind === "grid" && aims.scale).toBe("importance-4");
      expect(page?.questions.some((q) => q.kind === "text")).toBe(true);
    }
  });

  it("includes the housing aim under Strong Economy", () => {
    const aims = question(def, "strong-economy-aims", "grid");
    expect(aims.statements.find((s) => s.id === "housing")?.text).toMatch(/housing/i);
  });

  it("names the Great Communities aims the report discussed", () => {
    const ids = question(def, "great-communities-aims", "grid").statements.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "culture-heritage",
        "volunteering",
        "neighbourhood-plans",
        "community-response-plans",
      ]),
    );
  });
});

describe("Communities Approach 2022-26", () => {
  const def = load("communities-approach-2022");

  it("uses the agree / undecided / disagree and strong / neither / weak scales", () => {
    expect(question(def, "principles-agreement", "likert").scale).toBe("agree-undecided-disagree");
    expect(question(def, "objective-agreement", "likert").scale).toBe("agree-undecided-disagree");
    const assets = question(def, "local-assets-strength", "likert");
    expect(assets.scale).toBe("strong-neither-weak");
    expect(resolveScale(def, assets.scale)?.options.map((o) => o.code)).toEqual([
      "strong",
      "neither",
      "weak",
    ]);
  });

  it("ran alongside the Strategic Plan consultation", () => {
    const plan = load("strategic-plan-2022");
    expect(def.opens).toBe(plan.opens);
    expect(def.closes).toBe(plan.closes);
  });
});

describe("Commercial Strategy 2018-22", () => {
  const def = load("commercial-strategy-2018");

  it("is open for twelve weeks from its placeholder dates", () => {
    const weeks = (Date.parse(def.closes) - Date.parse(def.opens)) / (7 * 24 * 3600 * 1000);
    expect(weeks).toBeCloseTo(12, 0);
  });

  it("asks residents, staff, schools and suppliers who they are", () => {
    const roles = question(def, "roles", "multiple");
    expect(roles.options.map((o) => o.code)).toEqual(
      expect.arrayContaining(["resident", "staff", "school", "supplier"]),
    );
    const page = def.pages.find((p) => p.id === "supplier-details");
    expect(page?.showIf).toEqual({ question: "roles", anyOf: ["supplier"] });
  });

  it("pairs its statements around the strategy summary", () => {
    const set = pairedSet(def, "commercial-views");
    expect(set.statements.length).toBeGreaterThanOrEqual(3);
    expect(set.statements.length).toBeLessThanOrEqual(4);
    expect(pageIndexOf(def, "commercial-views-after")).toBeGreaterThan(
      pageIndexOf(def, "commercial-views-before"),
    );
  });

  it("rates the vision, the three delivery themes and the trading areas", () => {
    expect(question(def, "vision-agreement", "likert").scale).toBe("agreement-5");
    const themes = question(def, "themes-agreement", "grid");
    expect(themes.statements).toHaveLength(3);
    const areas = question(def, "trading-areas-importance", "grid");
    expect(areas.scale).toBe("importance-4");
    expect(areas.statements.map((s) => s.id)).toEqual(
      expect.arrayContaining(["highways", "services-to-schools"]),
    );
  });
});
