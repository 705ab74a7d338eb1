import { describe, expect, it } from "vitest";
import { ConsultationRepository } from "../../db/consultations.js";
import { TagRepository } from "../../db/tags.js";
import { ThemeModelRepository } from "../../db/theme-models.js";
import { ThemeRepository } from "../../db/themes.js";
import { ThemeSuggestionService } from "../../server/services/theme-suggestions.js";
import { buildTestApp, count } from "../support/app.js";

/**
 * Suggestions learned from the officers' coding, on the Commissioning and Procurement demo, which
 * ships with its report's codebook and the officers' confirmed tags (VCS 6, delivery model 3,
 * communication 7, service delivery 6). Training runs in a real worker thread.
 */
const CP = "commissioning-procurement-2015";
const officer = { id: 1, name: "Pat" };

function setup() {
  const t = buildTestApp();
  t.db
    .prepare(
      "INSERT OR IGNORE INTO officers (id, email, name, role, password_hash, created_at) VALUES (1, 'pat@x', 'Pat', 'officer', 'x', '2026')",
    )
    .run();
  const row = t.services.consultations.find(CP);
  if (!row) throw new Error("no demo");
  // Every comment of the demo's coded question is coded: the themes are opened to the comments of
  // its other questions, so there is something to suggest.
  t.db.prepare("UPDATE themes SET question_keys = '[]' WHERE consultation_id = ?").run(row.id);
  return { t, row, s: t.services.suggestions };
}

const modelTags = (t: ReturnType<typeof setup>["t"], where = "1") =>
  t.db
    .prepare(
      `SELECT comment_id AS commentId, theme_id AS themeId, score, confirmed FROM tags WHERE source = 'model' AND ${where}`,
    )
    .all() as { commentId: number; themeId: number; score: number; confirmed: number }[];

describe("theme suggestions", () => {
  it("says how many more examples a theme needs, and learns only themes with five", {
    timeout: 120_000,
  }, async () => {
    const { t, row, s } = setup();
    const before = s.status(row);
    expect(before.model).toBeNull();
    const needs = Object.fromEntries(before.themes.map((th) => [th.confirmed, th.needed]));
    expect(needs).toMatchObject({ 3: 2, 6: 0, 7: 0 });
    const small = before.themes.find((th) => th.confirmed === 3);
    if (!small) throw new Error("no theme with three examples");
    const counts = () =>
      JSON.stringify(t.services.themes.results(row, null).map((q) => q.themes.map((x) => x.count)));
    const countsBefore = counts();

    // The first model is asked for; none starts by itself.
    expect(s.maybeRetrain(row)).toBe(false);
    await s.train(row);
    const after = s.status(row);
    expect(after.model).not.toBeNull();
    expect(after.training).toBe(false);
    const tags = modelTags(t);
    expect(tags.length).toBeGreaterThan(0);
    expect(tags.every((g) => g.confirmed === 0 && g.score > 0 && g.score <= 1)).toBe(true);
    expect(tags.some((g) => g.themeId === small.id)).toBe(false);
    // Suggestions are never counted until an officer accepts them.
    expect(counts()).toBe(countsBefore);
    // The agreement is measured for each learned theme, with intervals around each figure.
    for (const th of after.themes) {
      if (th.confirmed < 5) expect(th.agreement).toBeNull();
      else {
        const f1 = th.agreement?.overall.f1;
        expect(f1?.lower).toBeLessThanOrEqual(f1?.value ?? -1);
        expect(f1?.upper).toBeGreaterThanOrEqual(f1?.value ?? 2);
        expect(th.agreement?.overall.support.value).toBe(th.confirmed);
      }
    }
    // The model is stored with what it learned from.
    const stored = t.db.prepare("SELECT training FROM theme_models").all() as { training: string }[];
    expect(stored).toHaveLength(1);
    const decisions = JSON.parse(stored[0]?.training ?? "[]") as [number, number, number][];
    expect(decisions.filter((d) => d[2] === 1)).toHaveLength(
      count(
        t.db,
        "SELECT count(*) AS n FROM tags WHERE confirmed = 1 AND theme_id IN (SELECT id FROM themes WHERE consultation_id = ?)",
        row.id,
      ),
    );
    expect(s.maybeRetrain(row)).toBe(false);
  });

  it("does not suggest again what an officer rejected, and accepts a theme's suggestions above a score as one batch", {
    timeout: 180_000,
  }, async () => {
    const { t, row, s } = setup();
    await s.train(row);
    const [first] = modelTags(t);
    if (!first) throw new Error("no suggestion");
    t.services.themes.tag(row, first.commentId, first.themeId, "remove", officer);
    await s.train(row);
    expect(modelTags(t, `comment_id = ${first.commentId} AND theme_id = ${first.themeId}`)).toEqual([]);
    expect(count(t.db, "SELECT count(*) AS n FROM tag_rejections")).toBe(1);

    const theme = modelTags(t)[0]?.themeId ?? -1;
    const all = modelTags(t, `theme_id = ${theme}`);
    const min = Math.min(...all.map((g) => g.score));
    const { batchId, tagged } = s.acceptAbove(row, theme, min, officer);
    expect(tagged).toBe(all.length);
    expect(modelTags(t, `theme_id = ${theme} AND confirmed = 1`)).toHaveLength(all.length);
    // The report's themes section says how the counted tags were made and how far the model agreed.
    const method = t.services.report
      .build(row)
      .report.sections.find((x) => x.id === "themes")
      ?.paragraphs.join(" ");
    expect(method).toContain(
      `${all.length} first suggested by a model that learned from the officers’ own coding`,
    );
    expect(method).toMatch(
      /the model agreed with the officers with an F1 score between \d\.\d\d and \d\.\d\d/,
    );
    t.services.themes.undoBatch(row, batchId, officer);
    expect(modelTags(t, `theme_id = ${theme} AND confirmed = 0`)).toHaveLength(all.length);
  });

  it("learns again by itself after enough newly confirmed tags", { timeout: 180_000 }, async () => {
    const { t, row } = setup();
    const s = new ThemeSuggestionService(
      new ThemeModelRepository(t.db),
      new ThemeRepository(t.db),
      new TagRepository(t.db),
      new ConsultationRepository(t.db),
      () => new Date(),
      2,
    );
    await s.train(row);
    expect(s.maybeRetrain(row)).toBe(false);
    const [a, b] = modelTags(t);
    if (!a || !b) throw new Error("fewer than two suggestions");
    t.services.themes.tag(row, a.commentId, a.themeId, "confirm", officer);
    expect(s.maybeRetrain(row)).toBe(false);
    t.services.themes.tag(row, b.commentId, b.themeId, "confirm", officer);
    expect(s.status(row).newConfirmations).toBe(2);
    expect(s.maybeRetrain(row)).toBe(true);
    expect(s.status(row).training).toBe(true);
    await s.train(row);
    expect(s.status(row).newConfirmations).toBe(0);
    expect(count(t.db, "SELECT count(*) AS n FROM theme_models")).toBe(1);
  });
});
