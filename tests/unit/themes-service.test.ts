import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrate, openDatabase } from "../../db/connection.js";
import { loadDemo } from "../../db/seed/demo.js";
import { testConfig } from "../../server/config.js";
import { createServices } from "../../server/services/create.js";
import { ThemeInputError, ThemeNotFoundError } from "../../server/services/themes.js";
import { buildTestApp, count, type TestApp } from "../support/app.js";

const CP = "commissioning-procurement-2015";
const OTHER = "strategic-plan-2022";
const Q = "disagree-reasons";
const officer = { id: 1, name: "Pat" };

function setup(t: TestApp = buildTestApp()) {
  t.db
    .prepare(
      "INSERT OR IGNORE INTO officers (id, email, name, role, password_hash, created_at) VALUES (1, 'pat@x', 'Pat', 'officer', 'x', '2026')",
    )
    .run();
  t.db
    .prepare(
      "INSERT OR IGNORE INTO officers (id, email, name, role, password_hash, created_at) VALUES (2, 'sam@x', 'Sam', 'officer', 'x', '2026')",
    )
    .run();
  const row = t.services.consultations.find(CP);
  if (!row) throw new Error("no demo");
  // The demo ships with its codebook: these tests build their own.
  t.db.prepare("DELETE FROM themes WHERE consultation_id = ?").run(row.id);
  const blank = { description: "", parentId: null, questions: [] as string[], rules: "" };
  return { t, row, blank, themes: t.services.themes };
}

/** The comment ids of a question whose text contains a phrase, straight from SQL. */
function commentsSaying(t: TestApp, phrase: string, question = Q): number[] {
  return (
    t.db
      .prepare(
        `SELECT c.id FROM comments c JOIN answers a ON a.response_id = c.response_id AND a.item_id = c.item_id
           JOIN items i ON i.id = c.item_id JOIN questions q ON q.id = i.question_id
           JOIN consultations k ON k.id = q.consultation_id
          WHERE k.slug = ? AND q.question_key = ? AND a.text_value LIKE ? ORDER BY c.id`,
      )
      .all(CP, question, `%${phrase}%`) as { id: number }[]
  ).map((r) => r.id);
}

describe("comments and their full-text index", () => {
  it("holds one comment per text answer and 'Other' text, in step as responses come and go", () => {
    const { t, row, themes } = setup();
    expect(count(t.db, "SELECT count(*) AS n FROM comments")).toBe(
      count(t.db, "SELECT count(*) AS n FROM answers WHERE text_value IS NOT NULL"),
    );
    const found = themes.workbench(
      row,
      { question: Q, filters: [], search: "volunteers" },
      { limit: 50, offset: 0 },
    );
    expect(found.rows.map((r) => r.text).every((x) => /volunteer/i.test(x))).toBe(true);
    expect(found.total).toBe(3);
    const first = found.rows[0];
    if (!first) throw new Error("no row");
    const indexed = () =>
      count(t.db, "SELECT count(*) AS n FROM comment_search WHERE comment_search MATCH 'volunteers'");
    const before = indexed();
    t.db.prepare("DELETE FROM responses WHERE id = ?").run(first.responseId);
    expect(
      themes.workbench(row, { question: Q, filters: [], search: "volunteers" }, { limit: 50, offset: 0 })
        .total,
    ).toBe(2);
    expect(indexed()).toBe(before - 1);
  });

  it("searches phrases and exclusions, and says what is wrong with a search it cannot read", () => {
    const { row, themes } = setup();
    const texts = (search: string) =>
      themes
        .workbench(row, { question: Q, filters: [], search }, { limit: 50, offset: 0 })
        .rows.map((r) => r.text);
    expect(texts('"voluntary sector"').sort()).toEqual([
      "The strategy leans on the voluntary sector without saying how it will be supported.",
      "Using the voluntary sector and volunteers more would be a more cost effective way",
    ]);
    expect(texts('volunteers -"cost effective"')).toEqual([
      "Volunteers cannot be expected to run services that need trained, paid staff.",
    ]);
    expect(() => texts('"open')).toThrow(ThemeInputError);
  });
});

describe("the codebook", () => {
  it("keeps names unique whatever their case, and parents one level deep", () => {
    const { row, blank, themes } = setup();
    const services = themes.create(row, { ...blank, name: "Service delivery" }, officer);
    const cuts = themes.create(row, { ...blank, name: "Cuts", parentId: services }, officer);
    expect(() => themes.create(row, { ...blank, name: "service DELIVERY" }, officer)).toThrow(
      /already a theme called/,
    );
    expect(() => themes.create(row, { ...blank, name: "Deeper", parentId: cuts }, officer)).toThrow(
      /one level deep/,
    );
    expect(() =>
      themes.update(row, services, { ...blank, name: "Service delivery", parentId: cuts }, officer),
    ).toThrow(ThemeInputError);
    expect(() =>
      themes.create(row, { ...blank, name: "Elsewhere", questions: ["best-way-forward"] }, officer),
    ).toThrow(/not a question with comments/);
    expect(() => themes.create(row, { ...blank, name: "Bad rule", rules: "-only" }, officer)).toThrow(
      /only leaves words out/,
    );
    expect(themes.codebook(row).map((t) => [t.name, t.parentName])).toEqual([
      ["Service delivery", null],
      ["Cuts", "Service delivery"],
    ]);
  });

  it("merges a theme into another: tags move, a comment with both keeps one, the other theme goes", () => {
    const { t, row, blank, themes } = setup();
    const a = themes.create(row, { ...blank, name: "Volunteers" }, officer);
    const b = themes.create(row, { ...blank, name: "Use of the VCS" }, officer);
    const [c1, c2] = commentsSaying(t, "olunt");
    if (c1 === undefined || c2 === undefined) throw new Error("no comments");
    themes.tag(row, c1, a, "apply", officer);
    themes.tag(row, c2, a, "apply", officer);
    themes.tag(row, c1, b, "apply", officer);
    expect(themes.merge(row, a, b, officer)).toBe(2);
    expect(themes.codebook(row).map((x) => [x.name, x.tags, x.confirmed])).toEqual([
      ["Use of the VCS", 2, 2],
    ]);
  });

  it("imports a codebook all or nothing, and exports what it imported", () => {
    const { t, row, themes } = setup();
    const bad = themes.importCodebook(
      row,
      "name,parent,questions\nA,,disagree-reasons\nB,Nobody,\nA,,\n",
      officer,
    );
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(count(t.db, "SELECT count(*) AS n FROM themes")).toBe(0);
    const good = themes.importCodebook(
      row,
      'name,description,parent,questions,rules\nCuts,Reducing services,Services,,"\'-kept services"\nServices,,,disagree-reasons,\n',
      officer,
    );
    expect(good).toEqual({ ok: true, added: 2, updated: 0 });
    const csv = themes.exportCodebook(row);
    expect(csv).toBe(
      "\uFEFFname,description,parent,questions,rules\r\nServices,,,disagree-reasons,\r\nCuts,Reducing services,Services,,'-kept services\r\n",
    );
    expect(themes.importCodebook(row, csv, officer)).toEqual({ ok: true, added: 0, updated: 2 });
  });
});

describe("tags", () => {
  it("applies, confirms and removes tags only within the consultation", () => {
    const { t, row, blank, themes } = setup();
    const theme = themes.create(row, { ...blank, name: "Communication" }, officer);
    const [comment] = commentsSaying(t, "jargon");
    if (comment === undefined) throw new Error("no comment");
    const other = t.services.consultations.find(OTHER);
    if (!other) throw new Error("no other demo");
    const otherTheme = themes.create(other, { ...blank, name: "Elsewhere" }, officer);
    const foreignComment = count(
      t.db,
      `SELECT min(c.id) AS n FROM comments c JOIN consultations k ON k.id = c.consultation_id WHERE k.slug = '${OTHER}'`,
    );
    const before = count(t.db, "SELECT count(*) AS n FROM tags");
    expect(() => themes.tag(row, comment, otherTheme, "apply", officer)).toThrow(ThemeNotFoundError);
    expect(() => themes.tag(row, foreignComment, theme, "apply", officer)).toThrow(ThemeNotFoundError);
    expect(() => themes.review(row, foreignComment, true, officer)).toThrow(ThemeNotFoundError);
    expect(count(t.db, "SELECT count(*) AS n FROM tags")).toBe(before);

    themes.tag(row, comment, theme, "apply", officer);
    const tag = t.db.prepare("SELECT source, confirmed, created_by, confirmed_by FROM tags").get();
    expect(tag).toEqual({ source: "officer", confirmed: 1, created_by: 1, confirmed_by: 1 });
    themes.tag(row, comment, theme, "remove", officer);
    expect(count(t.db, "SELECT count(*) AS n FROM tags")).toBe(0);
    expect(
      themes
        .audit(row)
        .map((a) => a.action)
        .slice(0, 3),
    ).toEqual(["tag removed (kept as a rejection)", "tag applied", "theme created"]);
    expect(() => t.db.prepare("DELETE FROM theme_audit").run()).toThrow(/append-only/);
    expect(() => t.db.prepare("UPDATE theme_audit SET detail = 'x'").run()).toThrow(/append-only/);
  });

  it("loses nothing when two officers, each on their own connection, tag the same comments at once", () => {
    const dir = mkdtempSync(join(tmpdir(), "sounding-themes-"));
    try {
      const config = testConfig();
      const open = () => {
        const db = openDatabase(join(dir, "db.sqlite"));
        migrate(db, join(config.root, "db", "migrations"));
        return db;
      };
      const first = open();
      loadDemo(first, config.root);
      const second = open();
      const a = setup({ db: first, services: createServices(first, () => new Date()) } as TestApp);
      const b = setup({ db: second, services: createServices(second, () => new Date()) } as TestApp);
      const x = a.themes.create(a.row, { ...a.blank, name: "X" }, officer);
      const y = b.themes.create(b.row, { ...b.blank, name: "Y" }, { id: 2, name: "Sam" });
      // Both read the same page of untagged comments, then each codes it from what they saw.
      const pageA = a.themes.workbench(
        a.row,
        { question: Q, filters: [], untagged: true },
        { limit: 10, offset: 0 },
      );
      const pageB = b.themes.workbench(
        b.row,
        { question: Q, filters: [], untagged: true },
        { limit: 10, offset: 0 },
      );
      expect(pageA.rows.map((r) => r.id)).toEqual(pageB.rows.map((r) => r.id));
      pageA.rows.forEach((r, k) => {
        a.themes.tag(a.row, r.id, x, "apply", officer);
        b.themes.tag(b.row, r.id, y, "apply", { id: 2, name: "Sam" });
        // The same theme from both: one tag, not an error.
        if (k % 2 === 0) b.themes.tag(b.row, r.id, x, "apply", { id: 2, name: "Sam" });
      });
      const bulk = b.themes.bulkApply(b.row, { question: Q, filters: [] }, y, { id: 2, name: "Sam" });
      expect(count(first, "SELECT count(*) AS n FROM tags WHERE theme_id = ?", x)).toBe(10);
      expect(count(first, "SELECT count(*) AS n FROM tags WHERE theme_id = ?", y)).toBe(pageA.total);
      expect(bulk.tagged).toBe(pageA.total - 10);
      // Each connection's held counts see the other's writes.
      expect(
        a.themes
          .results(a.row, null)
          .find((r) => r.question.id === Q)
          ?.themes.map((t) => [t.name, t.count]),
      ).toEqual([
        ["Y", pageA.total],
        ["X", 10],
      ]);
      first.close();
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("applies a theme to everything a filter and search select, as a batch that can be undone", () => {
    const { t, row, blank, themes } = setup();
    const theme = themes.create(row, { ...blank, name: "Suppliers on volunteers" }, officer);
    const query = { question: Q, filters: [{ question: "roles", codes: ["employee"] }], search: "services" };
    const selected = themes.selectionCount(row, query);
    const all = themes.selectionCount(row, { question: Q, filters: [], search: "services" });
    expect(selected).toBeGreaterThan(0);
    expect(selected).toBeLessThan(all);
    const { batchId, tagged } = themes.bulkApply(row, query, theme, officer);
    expect(tagged).toBe(selected);
    expect(count(t.db, "SELECT count(*) AS n FROM tags WHERE batch_id = ? AND confirmed = 1", batchId)).toBe(
      selected,
    );
    expect(themes.undoBatch(row, batchId, officer)).toBe(selected);
    expect(count(t.db, "SELECT count(*) AS n FROM tags")).toBe(0);
    expect(() => themes.undoBatch(row, batchId, officer)).toThrow(ThemeNotFoundError);
  });

  it("keeps a removal as a rejection, which rules and bulk actions respect and the officer can lift", async () => {
    const { t, row, blank, themes } = setup();
    const theme = themes.create(row, { ...blank, name: "Jargon", questions: [Q], rules: "jargon" }, officer);
    const [comment] = commentsSaying(t, "jargon");
    if (comment === undefined) throw new Error("no comment");
    await themes.applyRules(row, theme, officer);
    themes.tag(row, comment, theme, "remove", { id: 2, name: "Sam" });
    expect(t.db.prepare("SELECT comment_id, theme_id, source, officer_id FROM tag_rejections").all()).toEqual(
      [{ comment_id: comment, theme_id: theme, source: "rule", officer_id: 2 }],
    );
    expect(themes.tagRejections(row)).toEqual([[comment, theme]]);
    // The rule, and a bulk action over the same comment, leave the rejected comment alone.
    expect((await themes.applyRules(row, theme, officer)).tagged).toBe(0);
    expect(themes.bulkApply(row, { question: Q, filters: [], search: "jargon" }, theme, officer).tagged).toBe(
      0,
    );
    expect(count(t.db, "SELECT count(*) AS n FROM tags WHERE comment_id = ?", comment)).toBe(0);
    // Applied by hand, it is the officer's tag again and the rejection goes.
    themes.tag(row, comment, theme, "apply", officer);
    expect(
      count(t.db, "SELECT count(*) AS n FROM tags WHERE comment_id = ? AND confirmed = 1", comment),
    ).toBe(1);
    expect(count(t.db, "SELECT count(*) AS n FROM tag_rejections")).toBe(0);
  });

  it("undoing a bulk action makes the rule tags it confirmed unconfirmed again", async () => {
    const { t, row, blank, themes } = setup();
    const theme = themes.create(row, { ...blank, name: "Jargon", questions: [Q], rules: "jargon" }, officer);
    const ruled = (await themes.applyRules(row, theme, officer)).tagged;
    expect(ruled).toBeGreaterThan(0);
    const query = { question: Q, filters: [] };
    const { batchId, tagged } = themes.bulkApply(row, query, theme, officer);
    const confirmed = () => count(t.db, "SELECT count(*) AS n FROM tags WHERE confirmed = 1");
    expect(confirmed()).toBe(tagged);
    expect(themes.batches(row)[0]?.remaining).toBe(tagged);
    expect(themes.undoBatch(row, batchId, officer)).toBe(tagged);
    expect(confirmed()).toBe(0);
    // The rule's own tags are back as they were: there, and unconfirmed.
    expect(t.db.prepare("SELECT DISTINCT source, confirmed, confirmed_by FROM tags").all()).toEqual([
      { source: "rule", confirmed: 0, confirmed_by: null },
    ]);
    expect(count(t.db, "SELECT count(*) AS n FROM tags")).toBe(ruled);
  });

  it("previews and applies rules: rule-made, unconfirmed tags, left out of the counts until confirmed", async () => {
    const { t, row, blank, themes } = setup();
    const theme = themes.create(
      row,
      { ...blank, name: "Jargon", questions: [Q], rules: 'jargon\n"hard to follow"' },
      officer,
    );
    const matched = await themes.ruleMatches(row, theme);
    expect(matched.map((m) => m.text).sort()).toEqual([
      "The language in the strategy is hard to follow for anyone outside the Council.",
      "Too much jargon. A plain English version would help people see what is proposed.",
    ]);
    const { tagged } = await themes.applyRules(row, theme, officer);
    expect(tagged).toBe(2);
    expect(t.db.prepare("SELECT DISTINCT source, confirmed FROM tags").all()).toEqual([
      { source: "rule", confirmed: 0 },
    ]);
    const counts = () => themes.results(row, null).find((r) => r.question.id === Q)?.themes[0]?.count;
    expect(counts()).toBe(0);
    themes.tag(row, matched[0]?.id ?? -1, theme, "confirm", officer);
    expect(counts()).toBe(1);
  });

  it("counts respondents per theme, for a group and by group, with the uncoded comments", () => {
    const { t, row, blank, themes } = setup();
    const theme = themes.create(row, { ...blank, name: "Volunteers", questions: [Q] }, officer);
    for (const id of commentsSaying(t, "olunt")) themes.tag(row, id, theme, "apply", officer);
    const r = themes.results(row, null, "roles").find((x) => x.question.id === Q);
    if (!r) throw new Error("no result");
    const commented = count(
      t.db,
      `SELECT count(*) AS n FROM comments c JOIN items i ON i.id = c.item_id JOIN questions q ON q.id = i.question_id
        WHERE c.consultation_id = ? AND q.question_key = ?`,
      row.id,
      Q,
    );
    const tagged = commentsSaying(t, "olunt").length;
    expect(r.commented).toBe(commented);
    expect(r.themes[0]?.count).toBe(tagged);
    expect(r.uncoded).toBe(commented - tagged);
    expect(r.themes[0]?.interval.proportion).toBeCloseTo(tagged / commented);
    const suppliers = r.byGroup?.columns.find((c) => c.code === "supplier");
    const filtered = themes
      .results(row, { question: "roles", codes: ["supplier"] })
      .find((x) => x.question.id === Q);
    expect(suppliers?.commented).toBe(filtered?.commented);
    expect(suppliers?.cells[0]?.count).toBe(filtered?.themes[0]?.count);
    expect(r.quotes[theme]?.length).toBe(3);
  });
});
