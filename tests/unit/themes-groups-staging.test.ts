import { describe, expect, it } from "vitest";
import { ConsultationRepository } from "../../db/consultations.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { buildTestApp, type TestApp } from "../support/app.js";

const CP = "commissioning-procurement-2015";
const Q = "disagree-reasons";
const officer = { id: 1, name: "Pat" };
const MARK = "Zanzibarish volunteers";

function setup() {
  const t = buildTestApp();
  t.db
    .prepare(
      "INSERT OR IGNORE INTO officers (id, email, name, role, password_hash, created_at) VALUES (1, 'pat@x', 'Pat', 'officer', 'x', '2026')",
    )
    .run();
  const row = t.services.consultations.find(CP);
  if (!row) throw new Error("no demo");
  t.db.prepare("DELETE FROM themes WHERE consultation_id = ?").run(row.id);
  const blank = { description: "", parentId: null, questions: [Q], rules: "" };
  return { t, row, blank, themes: t.services.themes };
}

/** Stage one imported response with a comment, as an import does before its file is accepted whole. */
function stageComment(t: TestApp, consultationId: number, text: string) {
  const catalog = new ConsultationRepository(t.db).catalog(consultationId);
  const item = catalog.questions.get(Q)?.items.get("");
  if (item === undefined) throw new Error("demo changed");
  const transfer = new ResponseTransferRepository(t.db);
  const batch = transfer.beginBatch(consultationId, "2026-03-01T00:00:00.000Z");
  transfer.stage(batch, (store) =>
    store({
      consultationId,
      reference: "SND-STAG-0001",
      channel: "paper",
      submittedAt: "2026-03-01T00:00:00.000Z",
      importKey: "SND-STAG-0001",
      contentHash: "x",
      rows: [{ itemId: item, optionId: null, number: null, text }],
    }),
  );
  return { transfer, batch };
}

describe("comments of an import still being staged", () => {
  it("stay out of the workbench, the counts, rule matches and quotes until the file is accepted", async () => {
    const { t, row, blank, themes } = setup();
    const page = (search?: string) =>
      themes.workbench(
        row,
        { question: Q, filters: [], ...(search ? { search } : {}) },
        { limit: 500, offset: 0 },
      );
    const before = page().total;
    const theme = themes.create(row, { ...blank, name: "Zanzibar", rules: "zanzibarish" }, officer);
    const { transfer, batch } = stageComment(t, row.id, MARK);
    // The comment row exists (the trigger made it), yet no officer page or count sees it.
    expect(t.db.prepare("SELECT count(*) FROM comments").pluck().get()).toBeGreaterThan(before);
    expect(page().total).toBe(before);
    expect(page("zanzibarish").total).toBe(0);
    expect(themes.selectionCount(row, { question: Q, filters: [], search: "zanzibarish" })).toBe(0);
    expect(await themes.ruleMatches(row, theme)).toEqual([]);
    expect((await themes.applyRules(row, theme, officer)).tagged).toBe(0);
    const result = () => themes.results(row, null).find((r) => r.question.id === Q);
    expect(result()?.commented).toBe(before);
    transfer.startPublishing(batch);
    while (transfer.publish(batch, 10) > 0);
    t.services.results.compute(row); // the matrix catches up with the published responses
    expect(page().total).toBe(before + 1);
    expect(page("zanzibarish").rows.map((r) => r.text)).toEqual([MARK]);
    expect((await themes.ruleMatches(row, theme)).map((m) => m.text)).toEqual([MARK]);
    expect(result()?.commented).toBe(before + 1);
  });
});

describe("theme quotes for a group of respondents", () => {
  it("come only from that group's comments, however few of the theme's comments are theirs", () => {
    const { row, blank, themes } = setup();
    const theme = themes.create(row, { ...blank, name: "Everything" }, officer);
    const all = themes.workbench(row, { question: Q, filters: [] }, { limit: 1000, offset: 0 }).rows;
    for (const c of all) themes.tag(row, c.id, theme, "apply", officer);
    for (const code of ["supplier", "employee"]) {
      const filters = [{ question: "roles", codes: [code] }];
      const theirs = new Set(
        themes.workbench(row, { question: Q, filters }, { limit: 1000, offset: 0 }).rows.map((r) => r.text),
      );
      expect(theirs.size).toBeGreaterThan(0);
      expect(theirs.size).toBeLessThan(all.length);
      const quotes = themes.results(row, filters[0] ?? null).find((r) => r.question.id === Q)?.quotes[theme];
      expect(quotes?.length).toBe(Math.min(3, theirs.size));
      for (const q of quotes ?? []) expect(theirs.has(q)).toBe(true);
    }
    // Everyone's quotes are not held over for a group, nor a group's for everyone.
    const everyone = themes.results(row, null).find((r) => r.question.id === Q)?.quotes[theme];
    expect(everyone?.length).toBe(3);
  });
});
