import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Db, migrate, openDatabase } from "../../db/connection.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { projectRoot } from "../../server/config.js";
import { ImportWriter } from "../../server/services/import-writer.js";
import { FIXTURE_SLUG, fixtureDefinition } from "../support/import-fixture.js";
import { importResponses, submittedCount } from "../support/transfer.js";

/**
 * A large import into a database file is written by the import writer (a worker thread with its own
 * connection, in larger transactions); these check that path as the in-memory tests check the other.
 */
const csv = (rows: string[][]) => `${Papa.unparse(rows, { newline: "\r\n" })}\r\n`;
const folders: string[] = [];

function fileDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), "sounding-import-writer-"));
  folders.push(dir);
  const db = openDatabase(join(dir, "sounding.sqlite"));
  migrate(db, join(projectRoot(), "db", "migrations"));
  new ConsultationRepository(db).save(fixtureDefinition());
  return db;
}

function rowsOf(n: number, idea: (i: number) => string): string[][] {
  const rows: string[][] = [["ward", "visits", "ideas"]];
  for (let i = 1; i <= n; i++) rows.push([`Ward ${(i % 6) + 1}`, String(i % 100), idea(i)]);
  return rows;
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("import writer: a large import into a database file", () => {
  it("stores every row through the worker, and the same file again adds nothing", async () => {
    const db = fileDb();
    const staged = vi.spyOn(ImportWriter.prototype, "stage");
    const file = csv(rowsOf(3_000, (i) => `A bench by the pond, number ${i}`));
    const result = await importResponses(db, FIXTURE_SLUG, file);
    expect(result.errors).toEqual([]);
    expect(result.imported).toBe(3_000);
    expect(staged).toHaveBeenCalled();
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(3_000);
    expect(db.prepare("SELECT count(*) FROM answers WHERE text_value IS NOT NULL").pluck().get()).toBe(3_000);
    // The comments and their search index followed the answers the worker wrote.
    expect(
      db.prepare("SELECT count(*) FROM comment_search WHERE comment_search MATCH 'pond'").pluck().get(),
    ).toBe(3_000);
    expect(db.prepare("SELECT count(*) FROM import_batches").pluck().get()).toBe(0);
    // The writer copied the log back itself meanwhile; this connection does so at its commits again.
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    const again = await importResponses(db, FIXTURE_SLUG, file);
    expect(again.imported).toBe(0);
    expect(again.skippedDuplicates).toBe(3_000);
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(3_000);
    db.close();
  }, 60_000);

  it("leaves nothing when the worker's write fails part way, and the file imports whole afterwards", async () => {
    const db = fileDb();
    // The database refuses one row's text, as a full disk would refuse a page: the worker's
    // transaction holding it fails after earlier ones were committed as staged drafts.
    db.exec(`CREATE TRIGGER refuse_one BEFORE INSERT ON answers WHEN NEW.text_value = 'refuse me'
             BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const file = csv(rowsOf(3_000, (i) => (i === 2_900 ? "refuse me" : `A swing for row ${i}`)));
    await expect(importResponses(db, FIXTURE_SLUG, file)).rejects.toThrow("disk full");
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    expect(db.prepare("SELECT count(*) FROM responses").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM answers").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM comments").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM import_batches").pluck().get()).toBe(0);
    db.exec("DROP TRIGGER refuse_one");
    expect((await importResponses(db, FIXTURE_SLUG, file)).imported).toBe(3_000);
    db.close();
  }, 60_000);

  it("makes the responses visible through the worker too, none of them on this thread", async () => {
    const db = fileDb();
    const here = vi.spyOn(ResponseTransferRepository.prototype, "publish");
    const there = vi.spyOn(ImportWriter.prototype, "publish");
    const result = await importResponses(db, FIXTURE_SLUG, csv(rowsOf(2_000, (i) => `A tree, number ${i}`)));
    expect(result.imported).toBe(2_000);
    expect(there).toHaveBeenCalled();
    expect(here).not.toHaveBeenCalled();
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(2_000);
    // Each response made visible is logged for the results held in memory (migration 0005).
    expect(db.prepare("SELECT count(*) FROM response_events").pluck().get()).toBe(2_000);
    expect(db.prepare("SELECT count(*) FROM import_batches").pluck().get()).toBe(0);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    db.close();
  }, 60_000);

  it("finishes publishing here when the worker fails part way: the file was accepted whole", async () => {
    const db = fileDb();
    const real = ImportWriter.prototype.publish;
    let calls = 0;
    vi.spyOn(ImportWriter.prototype, "publish").mockImplementation(function (
      this: ImportWriter,
      batch,
      limit,
    ) {
      calls++;
      return calls === 3
        ? Promise.reject(new Error("The import writer stopped"))
        : real.call(this, batch, limit);
    });
    const here = vi.spyOn(ResponseTransferRepository.prototype, "publish");
    const result = await importResponses(db, FIXTURE_SLUG, csv(rowsOf(2_000, (i) => `A path, number ${i}`)));
    expect(result.imported).toBe(2_000);
    expect(calls).toBe(3);
    expect(here).toHaveBeenCalled();
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(2_000);
    expect(db.prepare("SELECT count(*) FROM import_batches").pluck().get()).toBe(0);
    db.close();
  }, 60_000);

  it("is not used for an in-memory database, which another thread cannot open", () => {
    const memory = openDatabase(":memory:");
    expect(ImportWriter.canWrite(memory)).toBe(false);
    memory.close();
    const file = fileDb();
    expect(ImportWriter.canWrite(file)).toBe(true);
    file.close();
  });
});
