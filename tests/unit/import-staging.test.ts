import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Db, migrate, openDatabase } from "../../db/connection.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { ImportStaging } from "../../db/import-staging.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { projectRoot } from "../../server/config.js";
import { PendingResponses } from "../../server/services/pending-responses.js";
import { FIXTURE_SLUG, fixtureDefinition } from "../support/import-fixture.js";

/**
 * The import writer's staging (db/import-staging.ts): chunks go to TEMP tables, then one write
 * transaction moves them into responses and answers with the ids SQLite would have given them.
 */
const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileDb(): { db: Db; path: string; consultationId: number } {
  const dir = mkdtempSync(join(tmpdir(), "sounding-import-staging-"));
  folders.push(dir);
  const path = join(dir, "sounding.sqlite");
  const db = openDatabase(path);
  migrate(db, join(projectRoot(), "db", "migrations"));
  const consultations = new ConsultationRepository(db);
  consultations.save(fixtureDefinition());
  const row = consultations.findBySlug(FIXTURE_SLUG);
  if (!row) throw new Error("no fixture");
  return { db, path, consultationId: row.id };
}

/** The fixture's ward item and one of its options, and the items of its number and text questions. */
function ids(db: Db) {
  const catalog = new ConsultationRepository(db).catalog(
    new ConsultationRepository(db).findBySlug(FIXTURE_SLUG)?.id ?? 0,
  );
  const q = (id: string) => {
    const found = catalog.questions.get(id);
    if (!found) throw new Error(`no question ${id}`);
    return found;
  };
  return {
    optionItem: q("ward").items.get("") ?? 0,
    option: q("ward").options.get("ward-3") ?? 0,
    plain: [q("visits").items.get("") ?? 0, q("ideas").items.get("") ?? 0],
  };
}

function pendingOf(n: number, db: Db): PendingResponses {
  const { option, optionItem, plain } = ids(db);
  const p = new PendingResponses();
  for (let i = 0; i < n; i++)
    p.add("", "paper", `2025-03-0${(i % 9) + 1}T10:00:00.000Z`, `key-${i}`, `hash-${i}`, [
      { itemId: optionItem, optionId: option, number: null, text: null },
      { itemId: plain[0] ?? 0, optionId: null, number: i, text: null },
      { itemId: plain[1] ?? 0, optionId: null, number: null, text: `Comment number ${i}` },
    ]);
  return p;
}

describe("import staging", () => {
  it("moves staged chunks into drafts of the batch, each answer under its own response", () => {
    const { db, consultationId } = fileDb();
    const transfer = new ResponseTransferRepository(db);
    // An earlier response, so the staged ones must take ids after it.
    const batch = transfer.beginBatch(consultationId, "2025-03-01T00:00:00.000Z");
    const earlier = db
      .prepare(
        "INSERT INTO responses (consultation_id, status, reference, channel, started_at, updated_at, submitted_at) VALUES (?, 'submitted', 'SND-AAAA-AAAA', 'online', 'x', 'x', 'x') RETURNING id",
      )
      .pluck()
      .get(consultationId) as number;
    const pending = pendingOf(450, db);
    const staging = new ImportStaging(db);
    // Two chunks, the second with one response left out, staged before one move.
    staging.add(pending.part(0, 300, (i) => `SND-${String(i).padStart(4, "0")}-TEST`));
    staging.add(
      pending.part(300, 450, (i) => (i === 301 ? undefined : `SND-${String(i).padStart(4, "0")}-TEST`)),
    );
    expect(staging.count).toBe(449);
    expect(db.prepare("SELECT count(*) FROM responses").pluck().get()).toBe(1);
    staging.move(consultationId, batch);
    expect(staging.count).toBe(0);

    const rows = db
      .prepare(
        "SELECT id, reference, status, import_batch, import_key, content_hash, submitted_at FROM responses WHERE id > ? ORDER BY id",
      )
      .all(earlier) as {
      id: number;
      reference: string;
      status: string;
      import_batch: number;
      import_key: string;
    }[];
    expect(rows).toHaveLength(449);
    expect(rows[0]?.id).toBe(earlier + 1);
    expect(rows.every((r) => r.status === "draft" && r.import_batch === batch)).toBe(true);
    expect(rows.map((r) => r.reference)).not.toContain("SND-0301-TEST");
    const { option, plain } = ids(db);
    // Every answer belongs to the response its chunk gave it, the skipped one's to nobody.
    for (const i of [0, 299, 300, 301, 302, 449]) {
      const r = db
        .prepare("SELECT id FROM responses WHERE reference = ?")
        .pluck()
        .get(`SND-${String(i).padStart(4, "0")}-TEST`);
      if (i === 301) {
        expect(r).toBeUndefined();
        continue;
      }
      expect(db.prepare("SELECT import_key FROM responses WHERE id = ?").pluck().get(r)).toBe(`key-${i}`);
      const answers = db
        .prepare(
          "SELECT item_id, option_id, number_value, text_value FROM answers WHERE response_id = ? ORDER BY item_id",
        )
        .raw(true)
        .all(r) as unknown[][];
      expect(answers).toContainEqual([plain[0], null, i, null]);
      expect(answers).toContainEqual([plain[1], null, null, `Comment number ${i}`]);
      expect(answers.some((a) => a[1] === option)).toBe(true);
    }
    // The comment triggers ran for the moved texts.
    expect(db.prepare("SELECT count(*) FROM comments").pluck().get()).toBe(449);
    db.close();
  });

  it("stages without locking the database: another connection can write until the move", () => {
    const { db, path, consultationId } = fileDb();
    const other = openDatabase(path);
    other.pragma("busy_timeout = 0");
    const batch = new ResponseTransferRepository(db).beginBatch(consultationId, "2025-03-01T00:00:00.000Z");
    const staging = new ImportStaging(db);
    const pending = pendingOf(100, db);
    db.exec("BEGIN");
    staging.add(pending.part(0, 100, (i) => `SND-${String(i).padStart(4, "0")}-TEST`));
    // Inside the staging connection's open transaction, the file is still free for writers.
    expect(() => other.exec("CREATE TABLE probe (x)")).not.toThrow();
    db.exec("COMMIT");
    staging.move(consultationId, batch);
    expect(db.prepare("SELECT count(*) FROM responses WHERE import_batch = ?").pluck().get(batch)).toBe(100);
    other.close();
    db.close();
  });

  it("forgets what is staged when cleared", () => {
    const { db, consultationId } = fileDb();
    const batch = new ResponseTransferRepository(db).beginBatch(consultationId, "2025-03-01T00:00:00.000Z");
    const staging = new ImportStaging(db);
    staging.add(pendingOf(10, db).part(0, 10, (i) => `SND-${String(i).padStart(4, "0")}-TEST`));
    staging.clear();
    staging.move(consultationId, batch);
    expect(db.prepare("SELECT count(*) FROM responses").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM answers").pluck().get()).toBe(0);
    db.close();
  });
});
