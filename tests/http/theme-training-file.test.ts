import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../db/connection.js";
import { ThemeModelRepository } from "../../db/theme-models.js";
import { testConfig } from "../../server/config.js";
import { createServices } from "../../server/services/create.js";
import { buildTestApp } from "../support/app.js";

const CP = "commissioning-procurement-2015";

function stored(db: Db) {
  return {
    suggestions: db
      .prepare(
        "SELECT comment_id, theme_id, score, created_at FROM tags WHERE source = 'model' AND confirmed = 0 ORDER BY comment_id, theme_id",
      )
      .raw()
      .all(),
    margins: db
      .prepare("SELECT id, model_margin FROM comments WHERE model_margin IS NOT NULL ORDER BY id")
      .raw()
      .all(),
    models: db.prepare("SELECT confirmed_tags, themes, training, agreement FROM theme_models").raw().all(),
    audit: db
      .prepare("SELECT group_concat(detail, ' | ') FROM theme_audit WHERE action = 'model trained'")
      .pluck()
      .get() as string,
  };
}

let dir = "";
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = "";
});

/**
 * With a database file the training worker reads the comments and stores the suggestions through its
 * own connection, in short transactions; with an in-memory database the service does both itself.
 * Both must store exactly the same model, suggestions and margins.
 */
describe("theme training on a database file", () => {
  it("stores the same suggestions, margins and model from the worker's own connection", {
    timeout: 180_000,
  }, async () => {
    const memory = buildTestApp();
    // The demo's officers coded every comment of the one question its themes apply to: with the
    // themes applying to every question, the other questions' comments are left to suggest for.
    memory.db
      .prepare(
        "UPDATE themes SET question_keys = '[]' WHERE consultation_id = (SELECT id FROM consultations WHERE slug = ?)",
      )
      .run(CP);
    dir = mkdtempSync(join(tmpdir(), "sounding-train-file-"));
    const path = join(dir, "sounding.db");
    writeFileSync(path, memory.db.serialize());
    const fileDb = openDatabase(path);
    try {
      const onFile = createServices(fileDb, () => memory.clock.now, testConfig());
      const a = memory.services.consultations.find(CP);
      const b = onFile.consultations.find(CP);
      if (!a || !b) throw new Error("no demo");
      // Leftovers from an earlier model must go: an unconfirmed model tag and a margin on both.
      for (const db of [memory.db, fileDb]) {
        db.prepare(
          `INSERT INTO tags (comment_id, theme_id, source, score, confirmed, created_at)
           SELECT c.id, t.id, 'model', 0.5, 0, '2000-01-01' FROM comments c JOIN themes t ON t.consultation_id = c.consultation_id
            WHERE c.consultation_id = ? ORDER BY c.id DESC, t.id LIMIT 1 ON CONFLICT DO NOTHING`,
        ).run(a.id);
        db.prepare("UPDATE comments SET model_margin = 9 WHERE consultation_id = ?").run(a.id);
      }
      // The file's repository says where the worker can open it; the in-memory one cannot be opened.
      expect(new ThemeModelRepository(fileDb).file()).toBe(path);
      expect(new ThemeModelRepository(memory.db).file()).toBeNull();
      await memory.services.suggestions.train(a);
      await onFile.suggestions.train(b);
      const here = stored(memory.db);
      const there = stored(fileDb);
      expect(here.suggestions.length).toBeGreaterThan(0);
      expect(here.margins.length).toBeGreaterThan(0);
      expect(here.suggestions.some((s) => (s as unknown[])[3] === "2000-01-01")).toBe(false);
      expect(there).toEqual(here);
      expect(there.models).toHaveLength(1);
      expect(there.audit).toBe(here.audit);
      // Learning again from the same coding gives the same suggestions, not none (the previous
      // model's suggestions are replaced, not mistaken for tags it must not suggest over).
      await onFile.suggestions.train(b);
      expect(stored(fileDb).suggestions.map((s) => (s as unknown[]).slice(0, 3))).toEqual(
        here.suggestions.map((s) => (s as unknown[]).slice(0, 3)),
      );
      expect(there.audit).toMatch(/learned from \d+ officer decisions; [1-9]\d* suggestions/);
    } finally {
      fileDb.close();
    }
  });
});
