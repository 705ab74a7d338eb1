import { describe, expect, it } from "vitest";
import type { AnswerSet } from "../../analysis/answers.js";
import {
  type ConsultationDefinition,
  type DefinitionInput,
  parseDefinition,
} from "../../analysis/definition.js";
import type { Transition } from "../../db/answer-matrix.js";
import type { Db } from "../../db/connection.js";
import { type Catalog, ConsultationRepository } from "../../db/consultations.js";
import { type Channel, ResponseRepository, toAnswerRows } from "../../db/responses.js";
import { type AnswerMatrix, type ResponseFilter, ResultsRepository } from "../../db/results.js";
import { mulberry32 } from "../../db/seed/responses/shared.js";
import { ResultsService } from "../../server/services/results.js";
import { addResponse, consultation, demoDb, emptyDb } from "../support/transfer.js";

/**
 * The officer results are counted from an in-memory AnswerMatrix (db/answer-matrix.ts) that
 * db/results.ts builds from SQLite and then keeps up to date from the response_events log. These
 * tests hold every figure the matrix gives against plain SQL over the same database: SQLite is the
 * oracle.
 */

const CLOSED_DEMO = ["commissioning-procurement-2015", "strategic-plan-2022", "communities-approach-2022"];
const ALL_DEMO = [...CLOSED_DEMO, "commercial-strategy-2018"];
const CLOSED_KINDS = new Set(["single", "multiple", "likert", "grid", "paired"]);
const CHANNELS: Channel[] = ["online", "paper", "email", "event"];

let referenceCounter = 0;
function nextReference(): string {
  referenceCounter += 1;
  return `TEST-${String(referenceCounter).padStart(6, "0")}`;
}

/**
 * A random (but seeded) answer set for any consultation, from its catalog: some questions left
 * blank, some grid statements skipped (blank halves of paired statements), "Other" sometimes
 * ticked with a text and sometimes without.
 */
function randomAnswers(catalog: Catalog, rand: () => number, tag: string): AnswerSet {
  const answers: AnswerSet = {};
  for (const [key, q] of catalog.questions) {
    if (rand() < 0.2) continue;
    const codes = [...q.options.keys()];
    const pick = () => codes[Math.floor(rand() * codes.length)] as string;
    switch (q.kind) {
      case "single":
      case "likert":
        answers[key] = pick();
        break;
      case "multiple": {
        const ticked = codes.filter(() => rand() < 0.35);
        if (ticked.length === 0) ticked.push(pick());
        answers[key] =
          q.otherCode !== null && ticked.includes(q.otherCode) && rand() < 0.8
            ? { codes: ticked, other: `Other from ${tag}` }
            : { codes: ticked };
        break;
      }
      case "grid":
      case "paired": {
        const byStatement: Record<string, string> = {};
        for (const statement of q.items.keys()) if (rand() < 0.8) byStatement[statement] = pick();
        answers[key] = byStatement;
        break;
      }
      case "text":
        answers[key] = `Text from ${tag} to ${key}`;
        break;
      case "number":
        answers[key] = Math.round(rand() * 4000) / 8;
        break;
    }
  }
  return answers;
}

function randomChannel(rand: () => number): Channel {
  return CHANNELS[Math.floor(rand() * CHANNELS.length)] as Channel;
}

function randomTime(rand: () => number): Date {
  return new Date(Date.UTC(2026, 0, 1 + Math.floor(rand() * 12), Math.floor(rand() * 24), 7));
}

/** Insert `n` random submitted responses in one transaction; returns their ids. */
function addRandom(db: Db, catalog: Catalog, rand: () => number, n: number): number[] {
  const responses = new ResponseRepository(db);
  return db.transaction(() =>
    Array.from({ length: n }, () => {
      const reference = nextReference();
      return responses.insertSubmitted(
        catalog.consultationId,
        reference,
        randomChannel(rand),
        randomTime(rand),
        toAnswerRows(catalog, randomAnswers(catalog, rand, reference)),
      );
    }),
  )();
}

/** The same figures as the matrix gives, by plain SQL over the answers and responses tables. */
class Oracle {
  constructor(
    private readonly db: Db,
    private readonly consultationId: number,
  ) {}

  /** `column` restricted to submitted responses of the consultation that match every filter. */
  private where(column: string, filters: readonly ResponseFilter[]): { sql: string; params: number[] } {
    let sql = ` AND ${column} IN (SELECT id FROM responses WHERE consultation_id = ? AND status = 'submitted')`;
    const params = [this.consultationId];
    for (const f of filters) {
      const marks = f.optionIds.map(() => "?").join(", ") || "NULL";
      sql += ` AND ${column} IN (SELECT response_id FROM answers WHERE item_id = ? AND option_id IN (${marks}))`;
      params.push(f.itemId, ...f.optionIds);
    }
    return { sql, params };
  }

  selectCount(filters: readonly ResponseFilter[]): number {
    const w = this.where("id", filters);
    return this.db
      .prepare(`SELECT count(*) FROM responses WHERE 1${w.sql}`)
      .pluck()
      .get(...w.params) as number;
  }

  optionCounts(itemId: number, filters: readonly ResponseFilter[]): [number, number][] {
    const w = this.where("response_id", filters);
    return this.db
      .prepare(
        `SELECT option_id, count(*) FROM answers WHERE item_id = ? AND option_id IS NOT NULL${w.sql}
          GROUP BY option_id ORDER BY option_id`,
      )
      .raw()
      .all(itemId, ...w.params) as [number, number][];
  }

  respondentsAnswering(itemId: number, filters: readonly ResponseFilter[]): number {
    const w = this.where("response_id", filters);
    return this.db
      .prepare(
        `SELECT count(DISTINCT response_id) FROM answers WHERE item_id = ? AND option_id IS NOT NULL${w.sql}`,
      )
      .pluck()
      .get(itemId, ...w.params) as number;
  }

  /** Before -> after pairs: a LEFT JOIN from the before half, and the after answers with no before. */
  paired(beforeItem: number, afterItem: number, filters: readonly ResponseFilter[]): Transition[] {
    const wb = this.where("b.response_id", filters);
    const wa = this.where("a.response_id", filters);
    const rows = this.db
      .prepare(
        `SELECT b.option_id AS before, a.option_id AS after, count(*) AS n
           FROM answers b LEFT JOIN answers a ON a.response_id = b.response_id AND a.item_id = ?
          WHERE b.item_id = ?${wb.sql}
          GROUP BY 1, 2
         UNION ALL
         SELECT NULL AS before, a.option_id AS after, count(*) AS n FROM answers a
          WHERE a.item_id = ?
            AND NOT EXISTS (SELECT 1 FROM answers b WHERE b.response_id = a.response_id AND b.item_id = ?)${wa.sql}
          GROUP BY 2`,
      )
      .all(afterItem, beforeItem, ...wb.params, afterItem, beforeItem, ...wa.params) as Transition[];
    return sortTransitions(rows);
  }

  byDay(): { day: string; channel: string; n: number }[] {
    return this.db
      .prepare(
        `SELECT substr(submitted_at, 1, 10) AS day, channel, count(*) AS n FROM responses
          WHERE consultation_id = ? AND status = 'submitted' GROUP BY day, channel ORDER BY day, channel`,
      )
      .all(this.consultationId) as { day: string; channel: string; n: number }[];
  }

  texts(
    itemId: number,
    filters: readonly ResponseFilter[],
    page: { limit: number; offset: number },
  ): { total: number; rows: { responseId: number; reference: string; text: string }[] } {
    const w = this.where("a.response_id", filters);
    const total = this.db
      .prepare(`SELECT count(*) FROM answers a WHERE a.item_id = ? AND a.text_value IS NOT NULL${w.sql}`)
      .pluck()
      .get(itemId, ...w.params) as number;
    const rows = this.db
      .prepare(
        `SELECT a.response_id AS responseId, r.reference AS reference, a.text_value AS text
           FROM answers a JOIN responses r ON r.id = a.response_id
          WHERE a.item_id = ? AND a.text_value IS NOT NULL${w.sql}
          ORDER BY a.response_id DESC LIMIT ? OFFSET ?`,
      )
      .all(itemId, ...w.params, page.limit, page.offset) as {
      responseId: number;
      reference: string;
      text: string;
    }[];
    return { total, rows };
  }

  numbers(itemId: number, filters: readonly ResponseFilter[]): { count: number; mean: number | null } {
    const w = this.where("response_id", filters);
    return this.db
      .prepare(
        `SELECT count(*) AS count, avg(number_value) AS mean FROM answers
          WHERE item_id = ? AND number_value IS NOT NULL${w.sql}`,
      )
      .get(itemId, ...w.params) as { count: number; mean: number | null };
  }
}

function sortTransitions(rows: Transition[]): Transition[] {
  const key = (v: number | null) => v ?? -1;
  return [...rows]
    .map((r) => ({ before: r.before, after: r.after, n: r.n }))
    .sort((p, q) => key(p.before) - key(q.before) || key(p.after) - key(q.after));
}

function sortedEntries(counts: Map<number, number>): [number, number][] {
  return [...counts].sort((p, q) => p[0] - q[0]);
}

/** One consultation under test: its database, repositories and catalog (the same object each time). */
interface Subject {
  db: Db;
  slug: string;
  definition: ConsultationDefinition;
  catalog: Catalog;
  oracle: Oracle;
  /** Every item of a closed question (each grid / paired statement is its own item). */
  closedItems: number[];
  /** Items that hold texts: text questions, and multiple choices with "Other, please specify". */
  textItems: number[];
  numberItems: number[];
  pairs: { before: number; after: number }[];
}

function subject(db: Db, slug: string, consultations = new ConsultationRepository(db)): Subject {
  const row = consultation(db, slug);
  const catalog = consultations.catalog(row.id);
  const questions = [...catalog.questions.values()];
  const pairs: { before: number; after: number }[] = [];
  const all = row.definition.pages.flatMap((p) => p.questions);
  for (const set of row.definition.pairedSets) {
    const half = (phase: string) => {
      const q = all.find((x) => x.kind === "paired" && x.set === set.id && x.phase === phase);
      return q ? catalog.questions.get(q.id) : undefined;
    };
    for (const s of set.statements) {
      const before = half("before")?.items.get(s.id);
      const after = half("after")?.items.get(s.id);
      if (before !== undefined && after !== undefined) pairs.push({ before, after });
    }
  }
  return {
    db,
    slug,
    definition: row.definition,
    catalog,
    oracle: new Oracle(db, row.id),
    closedItems: questions.filter((q) => CLOSED_KINDS.has(q.kind)).flatMap((q) => [...q.items.values()]),
    textItems: questions
      .filter((q) => q.kind === "text" || q.otherCode !== null)
      .map((q) => q.items.get("") as number),
    numberItems: questions.filter((q) => q.kind === "number").map((q) => q.items.get("") as number),
    pairs,
  };
}

/**
 * Filters to try: for every single choice, multiple choice and Likert question, "answered with one
 * of its two most common options" (by SQL), each on its own; and each next to the following one.
 */
function filterSets(s: Subject): { label: string; filters: ResponseFilter[]; kind: string }[] {
  const singles: { label: string; filter: ResponseFilter; kind: string }[] = [];
  for (const [key, q] of s.catalog.questions) {
    if (q.kind !== "single" && q.kind !== "multiple" && q.kind !== "likert") continue;
    const itemId = q.items.get("") as number;
    const top = s.db
      .prepare(
        `SELECT option_id FROM answers WHERE item_id = ? AND option_id IS NOT NULL
          GROUP BY option_id ORDER BY count(*) DESC, option_id LIMIT 2`,
      )
      .pluck()
      .all(itemId) as number[];
    if (top.length > 0) singles.push({ label: key, filter: { itemId, optionIds: top }, kind: q.kind });
  }
  const sets = singles.map((x) => ({ label: x.label, filters: [x.filter], kind: x.kind }));
  singles.forEach((x, i) => {
    const y = singles[i + 1];
    if (y) sets.push({ label: `${x.label} & ${y.label}`, filters: [x.filter, y.filter], kind: "two" });
  });
  return sets;
}

const PAGES = [
  { limit: 7, offset: 0 },
  { limit: 7, offset: 7 },
  { limit: 1000, offset: 0 },
];

/**
 * Every figure of the matrix repo.matrix() gives now, for no filter and for each filter set,
 * against SQL: the respondents selected, each closed item's counts by option, the respondents who
 * answered it, the paired transitions, the numbers, the texts (three pages), and the daily counts.
 */
function expectAgreesWithSql(
  s: Subject,
  repo: ResultsRepository,
  sets: { label: string; filters: ResponseFilter[] }[] = filterSets(s),
): AnswerMatrix {
  const m = repo.matrix(s.catalog);
  expect(m.byDay(), `${s.slug} byDay`).toEqual(s.oracle.byDay());
  for (const { label, filters } of [{ label: "no filter", filters: [] }, ...sets]) {
    const at = `${s.slug} / ${label}`;
    const sel = m.select(filters);
    expect(sel.count, `${at}: respondents`).toBe(s.oracle.selectCount(filters));
    for (const item of s.closedItems) {
      expect(sortedEntries(m.optionCounts(item, sel)), `${at}: item ${item} counts`).toEqual(
        s.oracle.optionCounts(item, filters),
      );
      expect(m.respondentsAnswering(item, sel), `${at}: item ${item} answering`).toBe(
        s.oracle.respondentsAnswering(item, filters),
      );
    }
    for (const p of s.pairs)
      expect(sortTransitions(m.pairedTransitions(p.before, p.after, sel)), `${at}: pair ${p.before}`).toEqual(
        s.oracle.paired(p.before, p.after, filters),
      );
    for (const item of s.numberItems) {
      const got = m.numberSummary(item, sel);
      const want = s.oracle.numbers(item, filters);
      expect(got.count, `${at}: item ${item} numbers`).toBe(want.count);
      if (want.mean === null) expect(got.mean, `${at}: item ${item} mean`).toBeNull();
      else expect(got.mean, `${at}: item ${item} mean`).toBeCloseTo(want.mean, 9);
    }
    for (const item of s.textItems)
      for (const page of PAGES)
        expect(
          repo.texts(m, item, filters, page),
          `${at}: item ${item} texts ${JSON.stringify(page)}`,
        ).toEqual(s.oracle.texts(item, filters, page));
  }
  return m;
}

function submittedIds(s: Subject): number[] {
  return s.db
    .prepare("SELECT id FROM responses WHERE consultation_id = ? AND status = 'submitted' ORDER BY id")
    .pluck()
    .all(s.catalog.consultationId) as number[];
}

function questionItem(s: Subject, questionId: string): number {
  const itemId = s.catalog.questions.get(questionId)?.items.get("");
  if (itemId === undefined) throw new Error(`No single item for ${questionId}`);
  return itemId;
}

describe("AnswerMatrix read in bulk agrees with SQL", () => {
  // The demo responses exactly as the demo loader stores them.
  it.each(CLOSED_DEMO)("%s: demo responses, every closed item, texts and days, under each filter", (slug) => {
    const s = subject(demoDb(), slug);
    const sets = filterSets(s);
    // Guard against a vacuous run: filters of each kind exist and really split the respondents.
    const total = s.oracle.selectCount([]);
    expect(total).toBeGreaterThan(40);
    for (const set of sets.filter((x) => x.kind !== "two")) {
      const n = s.oracle.selectCount(set.filters);
      expect(n, set.label).toBeGreaterThan(0);
      expect(n, set.label).toBeLessThan(total);
    }
    expect(sets.some((x) => x.kind === "two")).toBe(true);
    expectAgreesWithSql(s, new ResultsRepository(s.db), sets);
  });

  // With seeded random responses on top: "Other" texts, blank paired halves, every channel, and
  // the open consultation too.
  it.each(ALL_DEMO)("%s: with random extra responses", (slug) => {
    const db = demoDb();
    const s = subject(db, slug);
    addRandom(db, s.catalog, mulberry32(slug.length * 7919), 80);
    expect(s.closedItems.length).toBeGreaterThan(0);
    expect(s.textItems.length).toBeGreaterThan(0);
    expect(
      s.oracle.texts(s.textItems[0] as number, [], PAGES[1] as { limit: number; offset: number }).rows,
    ).not.toHaveLength(0);
    expectAgreesWithSql(s, new ResultsRepository(db));
  });

  // The filter kinds the dashboard offers: a multiple choice (roles), a single choice, a Likert
  // question, and two at once; the paired set's blank halves are counted as null.
  it("filters on a multiple choice, a single choice and a Likert question, alone and together", () => {
    const db = demoDb();
    const s = subject(db, "commissioning-procurement-2015");
    addRandom(db, s.catalog, mulberry32(2015), 60);
    const roles = s.catalog.questions.get("roles");
    const size = s.catalog.questions.get("organisation-size");
    const likert = s.catalog.questions.get("best-way-forward");
    expect(roles?.kind).toBe("multiple");
    expect(size?.kind).toBe("single");
    expect(likert?.kind).toBe("likert");
    const opt = (q: typeof roles, code: string) => q?.options.get(code) as number;
    const rolesFilter = {
      itemId: questionItem(s, "roles"),
      optionIds: [opt(roles, "business"), opt(roles, "supplier"), opt(roles, "other")],
    };
    const sizeFilter = { itemId: questionItem(s, "organisation-size"), optionIds: [opt(size, "micro")] };
    const likertFilter = {
      itemId: questionItem(s, "best-way-forward"),
      optionIds: [opt(likert, "agree"), opt(likert, "strongly-agree")],
    };
    const sets = [
      { label: "roles", filters: [rolesFilter] },
      { label: "size", filters: [sizeFilter] },
      { label: "likert", filters: [likertFilter] },
      { label: "roles & likert", filters: [rolesFilter, likertFilter] },
      { label: "roles & size", filters: [rolesFilter, sizeFilter] },
    ];
    const total = s.oracle.selectCount([]);
    for (const set of sets) {
      const n = s.oracle.selectCount(set.filters);
      expect(n, set.label).toBeGreaterThan(0);
      expect(n, set.label).toBeLessThan(total);
    }
    expect(s.pairs.length).toBeGreaterThan(0);
    // Some blank halves exist, so the null rows of the LEFT JOIN are exercised.
    const transitions = s.oracle.paired(s.pairs[0]?.before ?? -1, s.pairs[0]?.after ?? -1, []);
    expect(transitions.some((t) => t.after === null)).toBe(true);
    expect(transitions.some((t) => t.before === null)).toBe(true);
    const m = expectAgreesWithSql(s, new ResultsRepository(db), sets);
    // A selection is the intersection of its filters.
    expect(m.select([rolesFilter, likertFilter]).count).toBeLessThanOrEqual(
      Math.min(m.select([rolesFilter]).count, m.select([likertFilter]).count),
    );
  });
});

describe("ResultsRepository.texts", () => {
  // Newest (highest response id) first, paged with limit/offset, totals as count(*), filtered or not.
  it("pages texts newest first, with and without a filter", () => {
    const db = demoDb();
    const s = subject(db, "commissioning-procurement-2015");
    addRandom(db, s.catalog, mulberry32(99), 100);
    const repo = new ResultsRepository(db);
    const m = repo.matrix(s.catalog);
    const text = questionItem(s, "improve-strategy");
    const other = questionItem(s, "roles");
    const roles = s.catalog.questions.get("roles");
    const filter = {
      itemId: other,
      optionIds: ["public", "business", "supplier"].map((code) => roles?.options.get(code) as number),
    };
    for (const item of [text, other])
      for (const filters of [[], [filter]]) {
        const all = s.oracle.texts(item, filters, { limit: 1000, offset: 0 });
        expect(all.total, `item ${item}`).toBeGreaterThan(7);
        for (const page of [
          { limit: 5, offset: 0 },
          { limit: 5, offset: 5 },
          { limit: 5, offset: all.total - 2 },
          { limit: 5, offset: all.total + 3 },
        ]) {
          const got = repo.texts(m, item, filters, page);
          expect(got, `item ${item} ${JSON.stringify(page)}`).toEqual(s.oracle.texts(item, filters, page));
          expect(got.rows).toEqual(all.rows.slice(page.offset, page.offset + page.limit));
        }
        const ids = all.rows.map((r) => r.responseId);
        expect(ids).toEqual([...ids].sort((a, b) => b - a));
      }
  });
});

describe("AnswerMatrix kept up to date from response_events", () => {
  // New responses (imported, and a draft submitted out of id order) reach counts, days and texts;
  // deleted ones leave every figure; the matrix is caught up in place rather than read again.
  it("applies new submissions, an out-of-order draft, and deletions", () => {
    const db = demoDb();
    const consultations = new ConsultationRepository(db);
    const slug = "commissioning-procurement-2015";
    const s = subject(db, slug, consultations);
    const responses = new ResponseRepository(db);
    const repo = new ResultsRepository(db);
    const first = expectAgreesWithSql(s, repo);
    const before = first.select([]).count;
    const comments = questionItem(s, "improve-strategy");
    const rand = mulberry32(7);
    const at = new Date("2030-06-01T10:00:00Z");
    const withText = (tag: string): AnswerSet => ({
      ...randomAnswers(s.catalog, rand, tag),
      "improve-strategy": `Comment from ${tag}`,
    });

    // A draft started before the next three responses, submitted after them.
    const draft = responses.createDraft(s.catalog.consultationId, "token-hash-early", at);
    const added = [1, 2, 3].map((i) =>
      addResponse(db, slug, nextReference(), withText(`added ${i}`), "event", at),
    );
    expect(Math.min(...added)).toBeGreaterThan(draft);
    expect(responses.submit(draft, nextReference(), toAnswerRows(s.catalog, withText("the draft")), at)).toBe(
      true,
    );

    const second = expectAgreesWithSql(s, repo);
    expect(second).toBe(first);
    expect(second.select([]).count).toBe(before + 4);
    expect(second.byDay()).toContainEqual({ day: "2030-06-01", channel: "event", n: 3 });
    expect(second.byDay()).toContainEqual({ day: "2030-06-01", channel: "online", n: 1 });
    // Newest by response id first: the draft, submitted last, comes after the three.
    const newest = repo.texts(second, comments, [], { limit: 4, offset: 0 }).rows.map((r) => r.responseId);
    expect(newest).toEqual([...added].reverse().concat(draft));

    // Delete one of the new responses and one demo response; their answers go with them.
    const demoVictim = submittedIds(s)[5] as number;
    const gone = [added[1] as number, demoVictim];
    for (const id of gone) db.prepare("DELETE FROM responses WHERE id = ?").run(id);
    expect(
      db
        .prepare("SELECT count(*) FROM answers WHERE response_id IN (?, ?)")
        .pluck()
        .get(...gone),
    ).toBe(0);
    const third = expectAgreesWithSql(s, repo);
    expect(third.select([]).count).toBe(before + 2);
    const listed = repo.texts(third, comments, [], { limit: 1000, offset: 0 }).rows.map((r) => r.responseId);
    for (const id of gone) expect(listed).not.toContain(id);
    expect(listed.slice(0, 3)).toEqual([added[2], added[0], draft]);
    expect(third.byDay()).toContainEqual({ day: "2030-06-01", channel: "event", n: 2 });
  });

  // A response that comes and goes between two matrix() calls (imported, or a draft submitted) is
  // counted nowhere, while one added next to it is.
  it("leaves out a response submitted and deleted between two matrix() calls", () => {
    const db = demoDb();
    const slug = "commissioning-procurement-2015";
    const s = subject(db, slug);
    const responses = new ResponseRepository(db);
    const repo = new ResultsRepository(db);
    const before = expectAgreesWithSql(s, repo).select([]).count;
    const rand = mulberry32(11);
    const answers = (tag: string): AnswerSet => ({
      ...randomAnswers(s.catalog, rand, tag),
      "improve-strategy": `Comment from ${tag}`,
    });
    const draft = responses.createDraft(s.catalog.consultationId, "token-hash-fleeting", new Date());
    const fleeting = addResponse(db, slug, nextReference(), answers("fleeting"));
    const kept = addResponse(db, slug, nextReference(), answers("kept"));
    expect(
      responses.submit(draft, nextReference(), toAnswerRows(s.catalog, answers("draft")), new Date()),
    ).toBe(true);
    for (const id of [fleeting, draft]) db.prepare("DELETE FROM responses WHERE id = ?").run(id);

    const m = expectAgreesWithSql(s, repo);
    expect(m.select([]).count).toBe(before + 1);
    const listed = repo
      .texts(m, questionItem(s, "improve-strategy"), [], { limit: 1000, offset: 0 })
      .rows.map((r) => r.responseId);
    expect(listed[0]).toBe(kept);
    expect(listed).not.toContain(fleeting);
    expect(listed).not.toContain(draft);
  });

  // SQLite gives a new row the id of a deleted newest row (INTEGER PRIMARY KEY without
  // AUTOINCREMENT). The log then says "removed N" and "submitted N": the new response N must count.
  it("counts a new response that reuses the id of the deleted newest response", () => {
    const db = demoDb();
    const slug = "communities-approach-2022";
    const s = subject(db, slug);
    const repo = new ResultsRepository(db);
    const before = expectAgreesWithSql(s, repo).select([]).count;
    const newest = Math.max(...submittedIds(s));
    expect(db.prepare("SELECT max(id) FROM responses").pluck().get()).toBe(newest);
    db.prepare("DELETE FROM responses WHERE id = ?").run(newest);
    const reused = addResponse(db, slug, nextReference(), randomAnswers(s.catalog, mulberry32(3), "reuse"));
    expect(reused).toBe(newest);
    // Read in bulk, the matrix agrees with SQL ...
    expectAgreesWithSql(s, new ResultsRepository(db));
    // ... and so must the one caught up from the log.
    expect(repo.matrix(s.catalog).select([]).count, "respondents after the id was reused").toBe(before);
    expectAgreesWithSql(s, repo);
  });

  // The same id reuse within one catch-up: "submitted N", "removed N", "submitted N" in the log.
  it("counts a response that reuses the id of one submitted and deleted since the last matrix() call", () => {
    const db = demoDb();
    const slug = "communities-approach-2022";
    const s = subject(db, slug);
    const repo = new ResultsRepository(db);
    const before = expectAgreesWithSql(s, repo).select([]).count;
    const rand = mulberry32(5);
    const first = addResponse(db, slug, nextReference(), randomAnswers(s.catalog, rand, "first"));
    db.prepare("DELETE FROM responses WHERE id = ?").run(first);
    const second = addResponse(db, slug, nextReference(), randomAnswers(s.catalog, rand, "second"));
    expect(second).toBe(first);
    expectAgreesWithSql(s, new ResultsRepository(db));
    expect(repo.matrix(s.catalog).select([]).count, "respondents after the id was reused").toBe(before + 1);
    expectAgreesWithSql(s, repo);
  });

  // More events than rebuildAbove since the last call: the matrix is read again in bulk (a new
  // object), and still agrees with SQL; up to rebuildAbove it is caught up in place.
  it("reads the matrix again after a large batch, and agrees with SQL either way", () => {
    const db = demoDb();
    const s = subject(db, "strategic-plan-2022");
    const responses = new ResponseRepository(db);
    const repo = new ResultsRepository(db, 8, 5);
    const rand = mulberry32(2022);
    const first = expectAgreesWithSql(s, repo);
    const draft = responses.createDraft(s.catalog.consultationId, "token-hash-batch", new Date());
    const batch = addRandom(db, s.catalog, rand, 9);
    db.prepare("DELETE FROM responses WHERE id = ?").run(batch[4]);
    expect(
      responses.submit(
        draft,
        nextReference(),
        toAnswerRows(s.catalog, randomAnswers(s.catalog, rand, "draft")),
        new Date(),
      ),
    ).toBe(true);
    // 9 submitted + 1 removed + the draft: 11 events > 5.
    const second = expectAgreesWithSql(s, repo);
    expect(second).not.toBe(first);
    expect(second.select([]).count).toBe(first.select([]).count + 9);

    // Exactly rebuildAbove events: applied one by one to the same matrix.
    const more = addRandom(db, s.catalog, rand, 4);
    db.prepare("DELETE FROM responses WHERE id = ?").run(more[0]);
    const third = expectAgreesWithSql(s, repo);
    expect(third).toBe(second);
  });

  // Matrices dropped from the repository's small cache (maxHeld) are read again when next asked for.
  it("keeps each consultation right when more are asked for than it holds", () => {
    const db = demoDb();
    const a = subject(db, "communities-approach-2022");
    const b = subject(db, "commissioning-procurement-2015");
    const repo = new ResultsRepository(db, 1);
    const rand = mulberry32(1);
    for (let round = 0; round < 3; round++) {
      expectAgreesWithSql(a, repo);
      expectAgreesWithSql(b, repo);
      addRandom(db, a.catalog, rand, 3);
      addRandom(db, b.catalog, rand, 2);
    }
    expectAgreesWithSql(a, repo);
  });
});

const numbersDefinition: DefinitionInput = {
  schemaVersion: 1,
  slug: "numbers-test",
  title: "A consultation with a number question",
  council: "Test council",
  summary: ["For the answer matrix tests."],
  audience: "Everyone",
  opens: "2025-01-01T00:00:00Z",
  closes: "2025-03-01T00:00:00Z",
  pages: [
    {
      id: "about",
      title: "About you",
      questions: [
        {
          id: "area",
          kind: "single",
          text: "Where do you live?",
          options: [
            { code: "north", label: "North" },
            { code: "south", label: "South" },
            { code: "east", label: "East" },
          ],
        },
        { id: "household", kind: "number", text: "How many people live in your home?" },
        { id: "rating", kind: "likert", text: "Do you agree?", scale: "agreement-5" },
        {
          id: "topics",
          kind: "multiple",
          text: "Which topics matter to you?",
          options: [
            { code: "roads", label: "Roads" },
            { code: "parks", label: "Parks" },
          ],
          other: { code: "other", label: "Other" },
        },
        { id: "comments", kind: "text", text: "Any comments?" },
      ],
    },
  ],
};

describe("number questions", () => {
  // No demo definition has a number question, so a small one is built here. numberSummary's count
  // and mean agree with SQL count/avg, filtered or not; the first respondents arrive by catch-up
  // into an empty matrix; a draft started before all of them (the lowest id) is listed last.
  it("numberSummary agrees with SQL avg, from an empty matrix onwards", () => {
    const parsed = parseDefinition(numbersDefinition);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const db = emptyDb();
    const consultations = new ConsultationRepository(db);
    consultations.save(parsed.definition);
    const s = subject(db, "numbers-test", consultations);
    expect(s.numberItems).toHaveLength(1);
    const household = s.numberItems[0] as number;
    const responses = new ResponseRepository(db);
    const draft = responses.createDraft(s.catalog.consultationId, "token-hash-first", new Date());

    const repo = new ResultsRepository(db);
    const empty = repo.matrix(s.catalog);
    expect(empty.select([]).count).toBe(0);
    expect(empty.byDay()).toEqual([]);
    expect(empty.numberSummary(household, empty.select([]))).toEqual({ count: 0, mean: null });

    addRandom(db, s.catalog, mulberry32(42), 40);
    const area = {
      itemId: questionItem(s, "area"),
      optionIds: [s.catalog.questions.get("area")?.options.get("north") as number],
    };
    const sets = [{ label: "north", filters: [area] }];
    const m = expectAgreesWithSql(s, repo, sets);
    expect(m).toBe(empty);
    const all = m.numberSummary(household, m.select([]));
    expect(all.count).toBeGreaterThan(20);
    expect(all.count).toBeLessThan(40);
    const north = m.numberSummary(household, m.select([area]));
    expect(north.count).toBeGreaterThan(0);
    expect(north.count).toBeLessThan(all.count);
    expect(north.mean).toBeCloseTo(s.oracle.numbers(household, [area]).mean as number, 9);

    expect(
      responses.submit(
        draft,
        nextReference(),
        toAnswerRows(s.catalog, { area: "north", household: 1234.5, comments: "The first to start" }),
        new Date(),
      ),
    ).toBe(true);
    const after = expectAgreesWithSql(s, repo, sets);
    expect(after.numberSummary(household, after.select([area])).count).toBe(north.count + 1);
    const listed = repo.texts(after, questionItem(s, "comments"), [], { limit: 1000, offset: 0 }).rows;
    expect(listed.at(-1)?.responseId).toBe(draft);
    // Later events still find the right respondents: the first imported one leaves, more arrive.
    const firstImported = submittedIds(s).find((id) => id !== draft) as number;
    db.prepare("DELETE FROM responses WHERE id = ?").run(firstImported);
    addRandom(db, s.catalog, mulberry32(43), 5);
    expect(expectAgreesWithSql(s, repo, sets)).toBe(empty);
    // A fresh bulk read agrees too.
    expectAgreesWithSql(s, new ResultsRepository(db), sets);
  });
});

describe("unknown ids", () => {
  // A filter option that is not the item's (unknown, or another question's), a filter on an item
  // not in the catalog or on a text item, and figures for an unknown item: empty or zero, no throw.
  it("gives empty or zero results rather than throwing", () => {
    const db = demoDb();
    const s = subject(db, "communities-approach-2022");
    const otherConsultation = subject(db, "commissioning-procurement-2015");
    const repo = new ResultsRepository(db);
    const m = repo.matrix(s.catalog);
    const likert = questionItem(s, "principles-agreement");
    const text = questionItem(s, "principles-comments");
    const foreignItem = questionItem(otherConsultation, "roles");
    const foreignOption = otherConsultation.catalog.questions.get("roles")?.options.get("business") as number;
    const missing = 987_654;

    const filters: ResponseFilter[][] = [
      [{ itemId: likert, optionIds: [missing] }],
      [{ itemId: likert, optionIds: [foreignOption] }],
      [{ itemId: foreignItem, optionIds: [foreignOption] }],
      [{ itemId: missing, optionIds: [missing] }],
      [{ itemId: text, optionIds: [foreignOption] }],
    ];
    for (const f of filters) {
      const sel = m.select(f);
      expect(sel.count, JSON.stringify(f)).toBe(0);
      expect(s.oracle.selectCount(f), JSON.stringify(f)).toBe(0);
      expect(m.optionCounts(likert, sel).size).toBe(0);
      expect(repo.texts(m, text, f)).toEqual({ total: 0, rows: [] });
    }
    // The known option next to an unknown one still selects its respondents.
    const agree = s.catalog.questions.get("principles-agreement")?.options.get("agree") as number;
    const mixed = [{ itemId: likert, optionIds: [agree, missing] }];
    expect(m.select(mixed).count).toBe(s.oracle.selectCount(mixed));
    expect(m.select(mixed).count).toBeGreaterThan(0);

    const everyone = m.select([]);
    for (const item of [missing, foreignItem]) {
      expect(m.optionCounts(item, everyone).size).toBe(0);
      expect(m.respondentsAnswering(item, everyone)).toBe(0);
      expect(m.pairedTransitions(item, item, everyone)).toEqual([]);
      expect(m.numberSummary(item, everyone)).toEqual({ count: 0, mean: null });
      expect(m.textPage(item, everyone, { limit: 10, offset: 0 })).toEqual({ total: 0, responseIds: [] });
      expect(repo.texts(m, item)).toEqual({ total: 0, rows: [] });
    }
    // The consultation's own figures are unaffected.
    expectAgreesWithSql(s, repo);
  });
});

describe("ResultsService.warm", () => {
  // Start-up reads the most recently answered consultations into memory, as many as are held, so
  // the first dashboard request finds them there; the least recent is read first and so is the
  // first to be dropped later.
  it("reads the most recently answered consultations, as many as are held and the budget allows", () => {
    const db = demoDb();
    const consultations = new ConsultationRepository(db);
    const recent = db
      .prepare(
        `SELECT c.slug, count(*) AS n FROM responses r JOIN consultations c ON c.id = r.consultation_id
          WHERE r.status = 'submitted' GROUP BY c.id ORDER BY max(r.submitted_at) DESC`,
      )
      .all() as { slug: string; n: number }[];
    expect(recent.length).toBeGreaterThanOrEqual(3);
    const slugOf = (id: number) => consultations.list().find((c) => c.id === id)?.slug;

    const all = new ResultsService(new ResultsRepository(db), consultations).warm();
    expect(all.map((w) => ({ slug: slugOf(w.consultationId), n: w.respondents }))).toEqual(
      [...recent].reverse().map((r) => ({ slug: r.slug, n: r.n })),
    );

    const two = new ResultsService(new ResultsRepository(db, 2), consultations).warm();
    expect(two.map((w) => slugOf(w.consultationId))).toEqual(
      recent
        .slice(0, 2)
        .map((r) => r.slug)
        .reverse(),
    );

    // A budget of respondents: the most recent always, then others while the total fits.
    const [first, second, third] = recent;
    if (!first || !second || !third) throw new Error("three answered demo consultations expected");
    const budget = first.n + second.n + third.n - 1;
    const within = new ResultsService(new ResultsRepository(db), consultations).warm(budget);
    expect(within.map((w) => slugOf(w.consultationId))).toEqual([second.slug, first.slug]);
    const tiny = new ResultsService(new ResultsRepository(db), consultations).warm(1);
    expect(tiny.map((w) => slugOf(w.consultationId))).toEqual([first.slug]);

    expect(new ResultsService(new ResultsRepository(emptyDb()), consultations).warm()).toEqual([]);
  });
});
