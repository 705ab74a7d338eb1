import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type ConsultationDefinition, parseDefinition } from "../../analysis/definition.js";
import type { Db } from "../../db/connection.js";
import { migrate, openDatabase } from "../../db/connection.js";
import { loadDemo } from "../../db/seed/demo.js";
import { DISAGREE_REASON_THEMES } from "../../db/seed/responses/commissioning-procurement-2015.js";
import { DEMO_RESPONSES, demoResponseProblem } from "../../db/seed/responses/index.js";

/*
 * The demo responses must let a report say every sentence the councils published. These checks count
 * the stored answers with SQL (answers -> items -> questions -> options) and take shares the way the
 * council did: of those who gave a view, leaving "don't know" out of the base, rounded half up to a
 * whole per cent (one decimal place where the council gave one).
 */

const root = join(import.meta.dirname, "..", "..");
const COMMISSIONING = "commissioning-procurement-2015";
const PLAN = "strategic-plan-2022";
const COMMUNITIES = "communities-approach-2022";
const OPEN = "commercial-strategy-2018";
const NOW = new Date("2026-01-01T12:00:00Z");

function freshDb(): Db {
  const db = openDatabase(":memory:");
  migrate(db, join(root, "db", "migrations"));
  loadDemo(db, root, NOW);
  return db;
}

function definition(slug: string): ConsultationDefinition {
  const parsed = parseDefinition(
    JSON.parse(readFileSync(join(root, "db", "seed", "definitions", `${slug}.json`), "utf8")),
  );
  if (!parsed.ok) throw new Error(`${slug} does not parse`);
  return parsed.definition;
}

/** What one question (or one statement of a grid or paired question) was answered with. */
interface Distribution {
  /** option code -> number of answers */
  counts: Record<string, number>;
  /** the base of every share: answers that are not "don't know" */
  base: number;
  positive: number;
  neutral: number;
  negative: number;
  /** mean score over the base */
  mean: number;
}

function distribution(db: Db, slug: string, question: string, statement: string | null = null): Distribution {
  const rows = db
    .prepare(
      `SELECT o.code, o.grp, o.score, count(*) AS n
       FROM answers a
       JOIN responses r ON r.id = a.response_id AND r.status = 'submitted'
       JOIN items i ON i.id = a.item_id
       JOIN questions q ON q.id = i.question_id
       JOIN consultations c ON c.id = q.consultation_id
       JOIN options o ON o.id = a.option_id
       WHERE c.slug = ? AND q.question_key = ? AND i.statement_key IS ?
       GROUP BY o.id`,
    )
    .all(slug, question, statement) as {
    code: string;
    grp: string | null;
    score: number | null;
    n: number;
  }[];
  const d: Distribution = { counts: {}, base: 0, positive: 0, neutral: 0, negative: 0, mean: 0 };
  let scoreSum = 0;
  for (const r of rows) {
    d.counts[r.code] = r.n;
    if (r.grp === "excluded") continue;
    d.base += r.n;
    scoreSum += (r.score ?? 0) * r.n;
    if (r.grp === "positive") d.positive += r.n;
    if (r.grp === "neutral") d.neutral += r.n;
    if (r.grp === "negative") d.negative += r.n;
  }
  d.mean = d.base === 0 ? 0 : scoreSum / d.base;
  return d;
}

const pct = (n: number | undefined, base: number) => Math.round((100 * (n ?? 0)) / base);
const pct1 = (n: number | undefined, base: number) => Math.round((1000 * (n ?? 0)) / base) / 10;
const exact = (n: number | undefined, base: number) => (100 * (n ?? 0)) / base;

/** Whole per cents that add up to 100 (largest remainder), as the Communities report's shares do. */
function largestRemainder(counts: number[]): number[] {
  const base = counts.reduce((a, b) => a + b, 0);
  const raw = counts.map((n) => (100 * n) / base);
  const out = raw.map(Math.floor);
  const order = raw.map((r, i) => ({ i, rest: r - Math.floor(r) })).sort((a, b) => b.rest - a.rest);
  const missing = 100 - out.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) {
    const i = order[k]?.i ?? 0;
    out[i] = (out[i] ?? 0) + 1;
  }
  return out;
}

function count(db: Db, sql: string, ...params: unknown[]): number {
  return (db.prepare(sql).get(...params) as { n: number }).n;
}

function responseCount(db: Db, slug: string): number {
  return count(
    db,
    `SELECT count(*) AS n FROM responses r JOIN consultations c ON c.id = r.consultation_id
     WHERE c.slug = ? AND r.status = 'submitted'`,
    slug,
  );
}

/** Per response, the codes (or texts) it gave for one single-item question. */
function perResponse(db: Db, slug: string, question: string): Map<number, string[]> {
  const rows = db
    .prepare(
      `SELECT a.response_id AS id, coalesce(o.code, a.text_value) AS value
       FROM answers a
       JOIN items i ON i.id = a.item_id
       JOIN questions q ON q.id = i.question_id
       JOIN consultations c ON c.id = q.consultation_id
       LEFT JOIN options o ON o.id = a.option_id
       WHERE c.slug = ? AND q.question_key = ?`,
    )
    .all(slug, question) as { id: number; value: string }[];
  const out = new Map<number, string[]>();
  for (const r of rows) out.set(r.id, [...(out.get(r.id) ?? []), r.value]);
  return out;
}

function texts(db: Db, slug: string, question: string): string[] {
  return [...perResponse(db, slug, question).values()].flat();
}

let db: Db;
beforeAll(() => {
  db = freshDb();
});

describe("demo responses: Commissioning and Procurement Strategy 2015", () => {
  const roles = () => distribution(db, COMMISSIONING, "roles").counts;

  it("has 43 responses", () => {
    expect(responseCount(db, COMMISSIONING)).toBe(43);
  });

  it("roles: 14 members of the public", () => expect(roles().public).toBe(14));
  it("roles: 4 service users", () => expect(roles()["service-user"]).toBe(4));
  it("roles: 4 voluntary/community sector organisations", () => expect(roles().vcs).toBe(4));
  it("roles: 3 businesses", () => expect(roles().business).toBe(3));
  it("roles: 9 suppliers", () => expect(roles().supplier).toBe(9));
  it("roles: 16 council employees", () => expect(roles().employee).toBe(16));
  it("roles: 2 other (a parish council and a potential supplier)", () => {
    expect(roles().other).toBe(2);
    const others = count(
      db,
      `SELECT count(*) AS n FROM answers a JOIN options o ON o.id = a.option_id
       JOIN questions q ON q.id = o.question_id JOIN consultations c ON c.id = q.consultation_id
       WHERE c.slug = ? AND q.question_key = 'roles' AND o.code = 'other' AND a.text_value IS NOT NULL`,
      COMMISSIONING,
    );
    expect(others).toBe(2);
  });

  it("roles: a respondent may tick several (52 ticks over 43 respondents)", () => {
    const sets = perResponse(db, COMMISSIONING, "roles");
    expect(sets.size).toBe(43);
    expect([...sets.values()].reduce((a, s) => a + s.length, 0)).toBe(52);
  });

  it("roles: 16 employees, 14 members of the public and 13 business and supplier organisations", () => {
    const sets = [...perResponse(db, COMMISSIONING, "roles").values()];
    const employees = sets.filter((s) => s.includes("employee"));
    const publicOnes = sets.filter((s) => s.includes("public"));
    const organisations = sets.filter((s) => !s.includes("employee") && !s.includes("public"));
    expect([employees.length, publicOnes.length, organisations.length]).toEqual([16, 14, 13]);
  });

  it("suppliers: 6 of the 9 supply social care, others analytical services and vehicle hire", () => {
    const services = [...perResponse(db, COMMISSIONING, "supplier-services").values()];
    expect(services).toHaveLength(9);
    const socialCare = services.filter(
      (s) => s.includes("adult-social-care") || s.includes("childrens-services"),
    );
    expect(socialCare).toHaveLength(6);
    expect(services.some((s) => s.includes("professional"))).toBe(true);
    expect(services.some((s) => s.includes("transport"))).toBe(true);
  });

  it("suppliers: 5 head offices in Leicestershire, 4 elsewhere including Cardiff, London and Staffordshire", () => {
    const leicestershire = [
      "Loughborough",
      "Hinckley",
      "Coalville",
      "Melton Mowbray",
      "Market Harborough",
      "Wigston",
      "Lutterworth",
      "Ashby-de-la-Zouch",
    ];
    const towns = texts(db, COMMISSIONING, "head-office-town");
    expect(towns).toHaveLength(9);
    expect(towns.filter((t) => leicestershire.includes(t))).toHaveLength(5);
    expect(towns).toEqual(expect.arrayContaining(["Cardiff", "London", "Stafford"]));
  });

  it("suppliers: sizes from micro to large; 5 (55%) are SMEs, 4 of those 5 in the VCS", () => {
    const sizes = distribution(db, COMMISSIONING, "organisation-size").counts;
    expect(Object.values(sizes).reduce((a, b) => a + b, 0)).toBe(9);
    expect(sizes.micro).toBeGreaterThan(0);
    expect(sizes.large).toBeGreaterThan(0);
    const sme = perResponse(db, COMMISSIONING, "supplier-sme");
    const vcs = perResponse(db, COMMISSIONING, "supplier-vcs");
    const smes = [...sme.entries()].filter(([, v]) => v[0] === "yes").map(([id]) => id);
    expect(smes).toHaveLength(5);
    expect(Math.floor((100 * smes.length) / sme.size)).toBe(55);
    expect(smes.filter((id) => vcs.get(id)?.[0] === "yes")).toHaveLength(4);
  });

  it("supplier details come only from respondents who ticked supplier", () => {
    const suppliers = [...perResponse(db, COMMISSIONING, "roles").entries()]
      .filter(([, codes]) => codes.includes("supplier"))
      .map(([id]) => id)
      .sort((a, b) => a - b);
    for (const q of ["supplier-services", "head-office-town", "organisation-size", "supplier-sme"]) {
      expect(
        [...perResponse(db, COMMISSIONING, q).keys()].sort((a, b) => a - b),
        q,
      ).toEqual(suppliers);
    }
  });

  describe("before and after reading the strategy", () => {
    const statements = ["understand-challenges", "commissioning-role", "community-role", "best-job"];
    const shift = (statement: string) => {
      const before = distribution(db, COMMISSIONING, "perceptions-before", statement);
      const after = distribution(db, COMMISSIONING, "perceptions-after", statement);
      return exact(after.positive, after.base) - exact(before.positive, before.base);
    };

    it("agreement rose for every statement", () => {
      for (const s of statements) expect(shift(s), s).toBeGreaterThan(0);
    });

    it("greatest shift: the Council is doing the best job it can with the limited resources available", () => {
      const others = statements.filter((s) => s !== "best-job").map(shift);
      expect(shift("best-job")).toBeGreaterThan(Math.max(...others));
    });

    it("smallest shift: understanding the financial challenges, from a high baseline", () => {
      const others = statements.filter((s) => s !== "understand-challenges").map(shift);
      expect(shift("understand-challenges")).toBeLessThan(Math.min(...others));
      const before = distribution(db, COMMISSIONING, "perceptions-before", "understand-challenges");
      const highestOtherBaseline = Math.max(
        ...statements
          .filter((s) => s !== "understand-challenges")
          .map((s) => {
            const d = distribution(db, COMMISSIONING, "perceptions-before", s);
            return exact(d.positive, d.base);
          }),
      );
      expect(exact(before.positive, before.base)).toBeGreaterThan(highestOtherBaseline);
    });

    it("second lowest shift shared jointly by the roles of commissioning and of the community", () => {
      expect(shift("commissioning-role")).toBeCloseTo(shift("community-role"), 10);
      expect(shift("commissioning-role")).toBeLessThan(shift("best-job"));
      expect(shift("commissioning-role")).toBeGreaterThan(shift("understand-challenges"));
    });

    it("each respondent's view stayed the same or moved up (paired answers are consistent)", () => {
      const pairs = db
        .prepare(
          `SELECT ob.score AS before, oa.score AS after
           FROM answers b
           JOIN items ib ON ib.id = b.item_id
           JOIN questions qb ON qb.id = ib.question_id AND qb.paired_set = 'perceptions' AND qb.phase = 'before'
           JOIN consultations c ON c.id = qb.consultation_id
           JOIN answers a ON a.response_id = b.response_id
           JOIN items ia ON ia.id = a.item_id AND ia.statement_key = ib.statement_key
           JOIN questions qa ON qa.id = ia.question_id AND qa.paired_set = 'perceptions' AND qa.phase = 'after'
           JOIN options ob ON ob.id = b.option_id
           JOIN options oa ON oa.id = a.option_id
           WHERE c.slug = ?`,
        )
        .all(COMMISSIONING) as { before: number; after: number }[];
      expect(pairs).toHaveLength(43 * 4);
      expect(pairs.filter((p) => p.after < p.before)).toEqual([]);
      expect(pairs.filter((p) => p.after > p.before).length).toBeGreaterThan(0);
    });
  });

  describe("best way forward", () => {
    const d = () => distribution(db, COMMISSIONING, "best-way-forward");
    it("52.4% agreed", () => expect(pct1(d().positive, d().base)).toBe(52.4));
    it("26% neither agreed nor disagreed", () => expect(pct(d().neutral, d().base)).toBe(26));
    it("21% tended to disagree", () => {
      expect(pct(d().counts.disagree, d().base)).toBe(21);
      expect(pct(d().negative, d().base)).toBe(21);
    });
    it("the majority agreed", () => expect(d().positive * 2).toBeGreaterThan(d().base));
  });

  describe("commissioning principles", () => {
    const ids = [
      "evidence",
      "needs-demand",
      "outcomes",
      "delivery-model",
      "enhanced-commercial",
      "collaboration",
      "performance",
      "sustainability",
    ];
    const share = (s: string) => {
      const d = distribution(db, COMMISSIONING, "principles-agreement", s);
      return exact(d.positive, d.base);
    };

    it("enhanced commercial approach the least popular principle", () => {
      const others = ids.filter((s) => s !== "enhanced-commercial");
      expect(share("enhanced-commercial")).toBeLessThan(Math.min(...others.map(share)));
      const mean = (s: string) => distribution(db, COMMISSIONING, "principles-agreement", s).mean;
      expect(mean("enhanced-commercial")).toBeLessThan(Math.min(...others.map(mean)));
    });

    it("the principles were well received (most agree with each of the others)", () => {
      for (const s of ids.filter((id) => id !== "enhanced-commercial"))
        expect(share(s), s).toBeGreaterThan(50);
    });
  });

  describe("free-text themes counted in the comments on disagreeing", () => {
    const themeCount = (theme: string) => {
      const bank = new Set((DISAGREE_REASON_THEMES[theme] ?? []).map((c) => c.text));
      return texts(db, COMMISSIONING, "disagree-reasons").filter((t) => bank.has(t)).length;
    };
    it("use of the VCS: 6", () => expect(themeCount("use-of-vcs")).toBe(6));
    it("commissioning and procurement process delivery model: 3", () =>
      expect(themeCount("delivery-model")).toBe(3));
    it("communication of messages: 7", () => expect(themeCount("communication")).toBe(7));
    it("service delivery: 6", () => expect(themeCount("service-delivery")).toBe(6));
  });

  it("quotes the report's respondents verbatim under the right questions", () => {
    expect(texts(db, COMMISSIONING, "principles-comments")).toContain(
      "An enhanced commercial approach will undoubtedly ignore the basic needs of our most vulnerable service users, it will also stop smaller companies winning contracts",
    );
    expect(texts(db, COMMISSIONING, "disagree-reasons")).toContain(
      "Using the voluntary sector and volunteers more would be a more cost effective way",
    );
    expect(
      texts(db, COMMISSIONING, "improve-strategy").some((t) =>
        t.startsWith("Make the tendering process easier"),
      ),
    ).toBe(true);
  });

  it("came in through the online questionnaire between 19 November 2014 and 15 January 2015", () => {
    expect(
      count(
        db,
        `SELECT count(*) AS n FROM responses r JOIN consultations c ON c.id = r.consultation_id
         WHERE c.slug = ? AND r.channel = 'online' AND r.submitted_at BETWEEN c.opens_at AND c.closes_at`,
        COMMISSIONING,
      ),
    ).toBe(43);
  });
});

describe("demo responses: Strategic Plan 2022-26", () => {
  const outcome = (s: string) => distribution(db, PLAN, "outcomes-agreement", s);

  it("has 259 responses", () => {
    expect(responseCount(db, PLAN)).toBe(259);
  });

  it("79% agreed with the outcomes, 42% strongly", () => {
    const d = distribution(db, PLAN, "outcomes-overall");
    expect(pct(d.positive, d.base)).toBe(79);
    expect(pct(d.counts["strongly-agree"], d.base)).toBe(42);
  });

  it("vision: 79% agreed, 39% strongly", () => {
    const d = distribution(db, PLAN, "vision-agreement");
    expect(pct(d.positive, d.base)).toBe(79);
    expect(pct(d.counts["strongly-agree"], d.base)).toBe(39);
  });

  it("vision: only 10% disagreed", () => {
    const d = distribution(db, PLAN, "vision-agreement");
    expect(pct(d.negative, d.base)).toBe(10);
  });

  it("Improving Opportunities: 88% agreed, 58% strongly", () => {
    const d = outcome("improving-opportunities");
    expect([pct(d.positive, d.base), pct(d.counts["strongly-agree"], d.base)]).toEqual([88, 58]);
  });

  it("Clean, Green Future: 83% agreed, 54% strongly", () => {
    const d = outcome("clean-green");
    expect([pct(d.positive, d.base), pct(d.counts["strongly-agree"], d.base)]).toEqual([83, 54]);
  });

  it("Keeping People Safe and Well: 83% agreed, 56% strongly", () => {
    const d = outcome("safe-well");
    expect([pct(d.positive, d.base), pct(d.counts["strongly-agree"], d.base)]).toEqual([83, 56]);
  });

  it("Great Communities: 76% agreed, 44% strongly", () => {
    const d = outcome("great-communities");
    expect([pct(d.positive, d.base), pct(d.counts["strongly-agree"], d.base)]).toEqual([76, 44]);
  });

  it("Strong Economy, Transport and Infrastructure: 68% agreed, 34% strongly", () => {
    const d = outcome("strong-economy");
    expect([pct(d.positive, d.base), pct(d.counts["strongly-agree"], d.base)]).toEqual([68, 34]);
  });

  it("Strong Economy, Transport and Infrastructure: 17% disagreed, 6% strongly", () => {
    const d = outcome("strong-economy");
    expect([pct(d.negative, d.base), pct(d.counts["strongly-disagree"], d.base)]).toEqual([17, 6]);
  });

  it("Strong Economy is the least popular outcome and Improving Opportunities the most", () => {
    const ids = [
      "clean-green",
      "great-communities",
      "improving-opportunities",
      "strong-economy",
      "safe-well",
    ];
    const shares = ids.map((s) => exact(outcome(s).positive, outcome(s).base));
    expect(Math.min(...shares)).toBe(shares[3]);
    expect(Math.max(...shares)).toBe(shares[2]);
  });

  const aims = (question: string) =>
    (
      definition(PLAN)
        .pages.flatMap((p) => p.questions)
        .find((q) => q.id === question) as { statements: { id: string }[] }
    ).statements.map((s) => s.id);
  const important = (question: string, statement: string) => {
    const d = distribution(db, PLAN, question, statement);
    return { share: exact(d.positive, d.base), very: exact(d.counts.very, d.base), d };
  };

  it("housing aim: 23% not at all important, 19% not very important (42% in all)", () => {
    const d = distribution(db, PLAN, "strong-economy-aims", "housing");
    expect(pct(d.counts["not-at-all"], d.base)).toBe(23);
    expect(pct(d.counts["not-very"], d.base)).toBe(19);
    expect(pct(d.negative, d.base)).toBe(42);
  });

  it("housing development the least important of all aims in the Plan", () => {
    const all = [
      "clean-green-aims",
      "great-communities-aims",
      "improving-opportunities-aims",
      "strong-economy-aims",
      "safe-well-aims",
    ]
      .flatMap((q) => aims(q).map((s) => ({ q, s, share: important(q, s).share })))
      .filter((a) => a.s !== "housing");
    expect(important("strong-economy-aims", "housing").share).toBeLessThan(
      Math.min(...all.map((a) => a.share)),
    );
  });

  it("Clean, Green Future: over 90% rate each aim fairly or very important", () => {
    for (const s of aims("clean-green-aims"))
      expect(important("clean-green-aims", s).share, s).toBeGreaterThan(90);
  });

  it("Improving Opportunities: each aim over 90% fairly or very important, over 60% very", () => {
    for (const s of aims("improving-opportunities-aims")) {
      const a = important("improving-opportunities-aims", s);
      expect(a.share, s).toBeGreaterThan(90);
      expect(a.very, s).toBeGreaterThan(60);
    }
  });

  it("Safe and Well: over 90% for each aim, a majority very important; healthy weight the least", () => {
    const ids = aims("safe-well-aims");
    for (const s of ids) {
      const a = important("safe-well-aims", s);
      expect(a.share, s).toBeGreaterThan(90);
      expect(a.very, s).toBeGreaterThan(50);
    }
    const others = ids.filter((s) => s !== "healthy-weight").map((s) => important("safe-well-aims", s).share);
    expect(important("safe-well-aims", "healthy-weight").share).toBeLessThan(Math.min(...others));
  });

  it("Great Communities: more support for services, VCSE, cohesion and influence than the other four aims", () => {
    const q = "great-communities-aims";
    const more = ["accessible-services", "vcse-support", "cohesion", "influence-decisions"];
    const less = ["culture-heritage", "volunteering", "neighbourhood-plans", "community-response-plans"];
    expect(Math.min(...more.map((s) => important(q, s).share))).toBeGreaterThan(
      Math.max(...less.map((s) => important(q, s).share)),
    );
    const culture = important(q, "culture-heritage").share;
    expect(culture).toBeLessThan(
      Math.min(...less.filter((s) => s !== "culture-heritage").map((s) => important(q, s).share)),
    );
  });

  it("Strong Economy: low support for R&D, business numbers and employment sites; high for the rest", () => {
    const q = "strong-economy-aims";
    const high = ["young-people-jobs", "skills-shortages", "inclusive-growth", "infrastructure"];
    const low = ["research-development", "business-growth", "employment-sites", "housing"];
    expect(Math.min(...high.map((s) => important(q, s).share))).toBeGreaterThan(
      Math.max(...low.map((s) => important(q, s).share)),
    );
  });

  it("responses arrived over the consultation, including its extension to 18 February 2022", () => {
    const inWindow = count(
      db,
      `SELECT count(*) AS n FROM responses r JOIN consultations c ON c.id = r.consultation_id
       WHERE c.slug = ? AND r.submitted_at BETWEEN c.opens_at AND c.closes_at`,
      PLAN,
    );
    expect(inWindow).toBe(259);
    const extension = count(
      db,
      `SELECT count(*) AS n FROM responses r JOIN consultations c ON c.id = r.consultation_id
       WHERE c.slug = ? AND r.submitted_at > '2022-01-22'`,
      PLAN,
    );
    expect(extension).toBeGreaterThan(20);
    expect(extension).toBeLessThan(130);
  });
});

describe("demo responses: Communities Approach 2022-26", () => {
  const three = (question: string) => {
    const d = distribution(db, COMMUNITIES, question);
    return { d, counts: [d.positive, d.neutral, d.negative] };
  };

  it("has 97 responses", () => {
    expect(responseCount(db, COMMUNITIES)).toBe(97);
  });

  it("principles: 73% agree, 24% undecided, 3% disagree", () => {
    const { d, counts } = three("principles-agreement");
    expect(d.base).toBe(97);
    expect(counts.map((n) => pct(n, d.base))).toEqual([73, 24, 3]);
    expect(largestRemainder(counts)).toEqual([73, 24, 3]);
  });

  // 60% / 19% / 21% cannot each be rounded from whole counts of 97 (they need 58 + 18 + 20 = 96):
  // one respondent left this optional question blank.
  it("objective: 60% agree, 19% undecided, 21% disagree of the 96 who answered", () => {
    const { d, counts } = three("objective-agreement");
    expect(d.base).toBe(96);
    expect(counts.map((n) => pct(n, d.base))).toEqual([60, 19, 21]);
  });

  it("local assets: 40% strong, 36% neither, 24% weak", () => {
    const { d, counts } = three("local-assets-strength");
    expect(d.base).toBe(97);
    expect(counts.map((n) => pct(n, d.base))).toEqual([40, 36, 24]);
    expect(largestRemainder(counts)).toEqual([40, 36, 24]);
  });

  it("came in mostly online between 1 November 2021 and 18 February 2022", () => {
    const online = count(
      db,
      `SELECT count(*) AS n FROM responses r JOIN consultations c ON c.id = r.consultation_id
       WHERE c.slug = ? AND r.channel = 'online' AND r.submitted_at BETWEEN c.opens_at AND c.closes_at`,
      COMMUNITIES,
    );
    expect(online).toBeGreaterThan(97 * 0.9);
  });
});

describe("demo responses: generation and loading", () => {
  it("the open consultation gets no demo responses", () => {
    expect(responseCount(db, OPEN)).toBe(0);
    expect(Object.keys(DEMO_RESPONSES).sort()).toEqual([COMMISSIONING, COMMUNITIES, PLAN]);
  });

  it.each([COMMISSIONING, PLAN, COMMUNITIES])(
    "every %s response is complete and valid for its questionnaire",
    (slug) => {
      const def = definition(slug);
      const generated = DEMO_RESPONSES[slug]?.generate() ?? [];
      expect(generated.length).toBeGreaterThan(0);
      const problems = generated
        .map((r, i) => ({ i, problem: demoResponseProblem(def, r.answers) }))
        .filter((p) => p.problem !== undefined);
      expect(problems).toEqual([]);
      for (const r of generated) {
        expect(r.submittedAt.getTime()).toBeGreaterThanOrEqual(Date.parse(def.opens));
        expect(r.submittedAt.getTime()).toBeLessThanOrEqual(Date.parse(def.closes));
      }
    },
  );

  it("generation is deterministic: two runs give identical responses", () => {
    for (const demo of Object.values(DEMO_RESPONSES)) expect(demo.generate()).toEqual(demo.generate());
    const dump = (d: Db) =>
      d
        .prepare(
          `SELECT r.reference, r.channel, r.submitted_at, a.item_id, a.option_id, a.text_value
           FROM responses r JOIN answers a ON a.response_id = r.id ORDER BY r.id, a.item_id, a.option_id`,
        )
        .all();
    const other = freshDb();
    expect(dump(other)).toEqual(dump(db));
    other.close();
  });

  it("references are unique and look like SND-XXXX-XXXX", () => {
    const refs = (db.prepare("SELECT reference FROM responses").all() as { reference: string }[]).map(
      (r) => r.reference,
    );
    expect(refs).toHaveLength(43 + 259 + 97);
    expect(new Set(refs).size).toBe(refs.length);
    for (const r of refs) expect(r).toMatch(/^SND-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it("running loadDemo again adds no responses", () => {
    const local = freshDb();
    const before = count(local, "SELECT count(*) AS n FROM answers");
    expect(loadDemo(local, root, NOW)).toEqual([]);
    expect(count(local, "SELECT count(*) AS n FROM responses")).toBe(43 + 259 + 97);
    expect(count(local, "SELECT count(*) AS n FROM answers")).toBe(before);
    local.close();
  });

  it("never writes into a consultation that exists, even a demo one left with no responses", () => {
    const local = freshDb();
    local
      .prepare("DELETE FROM responses WHERE consultation_id = (SELECT id FROM consultations WHERE slug = ?)")
      .run(COMMUNITIES);
    expect(responseCount(local, COMMUNITIES)).toBe(0);
    expect(loadDemo(local, root, NOW)).toEqual([]);
    expect([
      responseCount(local, COMMISSIONING),
      responseCount(local, PLAN),
      responseCount(local, COMMUNITIES),
    ]).toEqual([43, 259, 0]);
    local.close();
  });
});
