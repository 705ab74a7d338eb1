import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Db, migrate, openDatabase } from "../../db/connection.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { projectRoot } from "../../server/config.js";
import { ImportWriter } from "../../server/services/import-writer.js";
import * as references from "../../server/services/references.js";
import { FIXTURE_SLUG, fixtureDefinition } from "../support/import-fixture.js";
import { importResponses, submittedCount } from "../support/transfer.js";

// The references module, with newReference replaceable per test (ESM exports cannot be spied on).
vi.mock("../../server/services/references.js", async (original) => {
  const actual = await original<typeof references>();
  return { ...actual, newReference: vi.fn(actual.newReference) };
});

/**
 * A large import into a database file is stored while the rest of the file is still checked: once
 * 1,000 rows are known good they go to the import writer as drafts of an import batch. These check
 * that a bad row found later still leaves nothing, and that a reference drawn for an early row is
 * given up when a later row of the same file gives it.
 */
const csv = (rows: string[][]) => `${Papa.unparse(rows, { newline: "\r\n" })}\r\n`;
const folders: string[] = [];

function fileDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), "sounding-import-streaming-"));
  folders.push(dir);
  const db = openDatabase(join(dir, "sounding.sqlite"));
  migrate(db, join(projectRoot(), "db", "migrations"));
  new ConsultationRepository(db).save(fixtureDefinition());
  return db;
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const count = (db: Db, table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();

describe("import streaming: storing while the rest of the file is checked", () => {
  it("stores nothing when a bad row comes after thousands of good rows were already staged", async () => {
    const db = fileDb();
    const staged = vi.spyOn(ImportWriter.prototype, "stage");
    const rows: string[][] = [["ward", "visits", "ideas"]];
    for (let i = 1; i <= 4_000; i++)
      rows.push([`Ward ${(i % 6) + 1}`, i === 3_900 ? "lots" : String(i % 100), `Idea ${i}`]);
    const result = await importResponses(db, FIXTURE_SLUG, csv(rows));
    // Rows were sent to the writer before the bad one was read...
    expect(staged).toHaveBeenCalled();
    // ...and the file is still refused whole, naming the line, with nothing left behind.
    expect(result.imported).toBe(0);
    expect(result.errors.map((e) => e.line)).toEqual([3_901]);
    for (const table of ["responses", "answers", "comments", "import_batches"])
      expect(count(db, table)).toBe(0);
    // The request loop's connection copies the log back at its commits again.
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    db.close();
  }, 60_000);

  it("gives a later row the reference it names, when that reference was drawn for an earlier row", async () => {
    const db = fileDb();
    const named = "SND-7F3K-9Q2M";
    // References are drawn 500 at a time and used last first: the first row to get one gets this.
    let drawn = 0;
    vi.mocked(references.newReference).mockImplementation(() => {
      drawn++;
      if (drawn === 500) return named;
      return `SND-${String(drawn).padStart(4, "0")}-ZZZZ`;
    });
    const rows: string[][] = [["reference", "ward", "visits", "ideas"]];
    for (let i = 1; i <= 3_000; i++)
      rows.push([i === 2_990 ? named : "", `Ward ${(i % 6) + 1}`, "5", `Idea ${i}`]);
    const result = await importResponses(db, FIXTURE_SLUG, csv(rows));
    expect(result.errors).toEqual([]);
    expect(result.imported).toBe(3_000);
    expect(result.skippedDuplicates).toBe(0);
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(3_000);
    // The named reference is the row's that names it (its idea), and the first row got another.
    const idea = db
      .prepare(
        "SELECT a.text_value FROM responses r JOIN answers a ON a.response_id = r.id WHERE r.reference = ? AND a.text_value IS NOT NULL",
      )
      .pluck();
    expect(idea.get(named)).toBe("Idea 2990");
    expect(count(db, "responses WHERE reference IS NULL")).toBe(0);
    expect(db.prepare("SELECT count(DISTINCT reference) FROM responses").pluck().get()).toBe(3_000);
    db.close();
  }, 60_000);
});
