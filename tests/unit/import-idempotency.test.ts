import Papa from "papaparse";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { FIXTURE_SLUG, fixtureDb } from "../support/import-fixture.js";
import { exportResponses, importResponses, submittedCount } from "../support/transfer.js";

const file = (...rows: string[][]) =>
  `${Papa.unparse([["ward", "visits", "ideas"], ...rows], { newline: "\r\n" })}\r\n`;
const form = ["Ward 3", "4", "More benches"];
const another = ["Ward 5", "1", ""];

describe("import idempotency (#8 item 4)", () => {
  it("keeps identical forms from different files, and adds nothing when a file comes again", async () => {
    const db = fixtureDb();
    const monday = file(form);
    const tuesday = file(form, another);
    const first = await importResponses(db, FIXTURE_SLUG, monday);
    expect(first).toMatchObject({ imported: 1, errorCount: 0, possibleDuplicates: [] });
    const second = await importResponses(db, FIXTURE_SLUG, tuesday);
    expect(second).toMatchObject({ imported: 2, skippedDuplicates: 0, errorCount: 0 });
    // Three forms were received: three are stored.
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(3);
    // Tuesday's first form has Monday's answers: listed for an officer to confirm.
    const mondayRef = db.prepare("SELECT reference FROM responses ORDER BY id LIMIT 1").pluck().get();
    expect(second.possibleDuplicates).toEqual([
      { line: 2, reference: expect.any(String), matches: mondayRef },
    ]);
    expect(second.possibleDuplicateCount).toBe(1);

    // The same files again add nothing.
    expect(await importResponses(db, FIXTURE_SLUG, monday)).toMatchObject({
      imported: 0,
      skippedDuplicates: 1,
    });
    expect(await importResponses(db, FIXTURE_SLUG, tuesday)).toMatchObject({
      imported: 0,
      skippedDuplicates: 2,
    });
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(3);
  });

  it("keeps two identical forms in one file, and skips rows by reference wherever they come from", async () => {
    const db = fixtureDb();
    expect(await importResponses(db, FIXTURE_SLUG, file(form, form))).toMatchObject({
      imported: 2,
      possibleDuplicates: [],
    });
    const exported = await exportResponses(db, FIXTURE_SLUG);
    // The export has a reference column: every row is already here, whatever the file's hash.
    expect(await importResponses(db, FIXTURE_SLUG, exported)).toMatchObject({
      imported: 0,
      skippedDuplicates: 2,
    });
    const edited = Buffer.concat([exported, Buffer.from("\r\n")]);
    expect(await importResponses(db, FIXTURE_SLUG, edited)).toMatchObject({
      imported: 0,
      skippedDuplicates: 2,
    });
  });
});

describe("import: new references", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("are checked against those stored many at a time, and a taken one is never given again", async () => {
    const db = fixtureDb();
    await importResponses(db, FIXTURE_SLUG, file(form));
    const lookups = vi.spyOn(ResponseTransferRepository.prototype, "referenceOwner");
    const bulk = vi.spyOn(ResponseTransferRepository.prototype, "storedReferences");
    // The first candidates drawn are all "taken": the import must draw others.
    let refused = new Set<string>();
    bulk.mockImplementationOnce((references) => {
      refused = new Set(references);
      return new Set(references);
    });
    const rows = Array.from({ length: 300 }, (_, i) => ["Ward 2", String(i % 90), ""]);
    expect(await importResponses(db, FIXTURE_SLUG, file(...rows))).toMatchObject({ imported: 300 });
    expect(lookups).not.toHaveBeenCalled();
    expect(bulk.mock.calls.length).toBeLessThanOrEqual(3);
    const references = db.prepare("SELECT reference FROM responses").pluck().all() as string[];
    expect(new Set(references).size).toBe(301);
    expect(refused.size).toBeGreaterThan(0);
    expect(references.filter((r) => refused.has(r))).toEqual([]);
  });
});

describe("import: headings a person would type (#9 item 4)", () => {
  it("takes grid columns by statement id, by 'question: statement' or by the statement alone where unique", async () => {
    const db = fixtureDb();
    const header = ["ward", "playground", "How often do you use: The cafe", "date submitted", "Channel"];
    const result = await importResponses(
      db,
      FIXTURE_SLUG,
      `${Papa.unparse([header, ["Ward 1", "weekly", "Rarely", "14/03/2025 10:30", "email"]])}\r\n`,
    );
    expect(result.errors).toEqual([]);
    const stored = db.prepare("SELECT channel, submitted_at FROM responses").get();
    expect(stored).toEqual({ channel: "email", submitted_at: "2025-03-14T10:30:00.000Z" });
    const codes = db
      .prepare(
        `SELECT i.statement_key || '=' || o.code FROM answers a JOIN items i ON i.id = a.item_id
          JOIN options o ON o.id = a.option_id WHERE i.statement_key IS NOT NULL ORDER BY i.position`,
      )
      .pluck()
      .all();
    expect(codes).toEqual(["playground=weekly", "cafe=rarely"]);
    // "The lighting" is a statement of both halves of a paired set: alone it is ambiguous.
    const ambiguous = await importResponses(
      fixtureDb(),
      FIXTURE_SLUG,
      "ward,The lighting\r\nWard 1,Satisfied\r\n",
    );
    expect(ambiguous.errors).toEqual([
      {
        line: 1,
        column: "The lighting",
        reason: "This heading matches more than one question: use the column name from an export",
      },
    ]);
    // Statement text alone, where unique; the unanswered grid statement is listed.
    const alone = await importResponses(
      fixtureDb(),
      FIXTURE_SLUG,
      "ward,The playground\r\nWard 1,Every week\r\n",
    );
    expect(alone.errors).toEqual([]);
    expect(alone.unanswered.map((q) => q.id)).toContain("how-often__cafe");
  });
});
