import Papa from "papaparse";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Db } from "../../db/connection.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { checkerHeapMb, csvEvents } from "../../server/services/csv-rows-source.js";
import { PendingResponses } from "../../server/services/pending-responses.js";
import { type ImportResult, ResponseImporter } from "../../server/services/response-import.js";
import { type CheckedRows, RowChecks } from "../../server/services/response-import-checks.js";
import { FIXTURE_SLUG, fixtureDb, fixtureDefinition } from "../support/import-fixture.js";
import { addResponse, consultation, DEMO_NOW } from "../support/transfer.js";

/**
 * Issue 8, responsiveness: a large file's rows are checked in the CSV worker thread, beside the
 * parser, not on the request loop (checking a 50 MB upload there took a quarter of the loop's time
 * while residents waited). The importer only looks up in the database what a row's reference or
 * import key says. These tests read every file in the worker (no file is "small"), and check that
 * the result is the one the same file gets when checked on the calling thread.
 */

const HEAD = ["reference", "channel", "submitted_at", "ward", "visits", "ideas", "visitor", "dog-areas"];
const file = (...rows: string[][]) => `${Papa.unparse([HEAD, ...rows], { newline: "\r\n" })}\r\n`;
const bytes = (text: string) => Buffer.from(text, "utf8");

function importer(db: Db, inWorker: boolean): ResponseImporter {
  return new ResponseImporter(db, new ConsultationRepository(db), () => DEMO_NOW, inWorker ? 0 : undefined);
}

/** The result without the references made up for new rows (random), which a duplicate may match. */
const comparable = (r: ImportResult) => ({
  ...r,
  possibleDuplicates: r.possibleDuplicates.map((d) => ({ line: d.line, matches: /^SND-/.test(d.matches) })),
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("row checks in the CSV worker (#8)", () => {
  it("packs checked responses for the importer and unpacks them as they were, less those skipped", () => {
    const packed = new PendingResponses();
    const answer = (itemId: number, optionId: number | null, number: number | null, text: string | null) => ({
      itemId,
      optionId,
      number,
      text,
    });
    packed.add("", "paper", "t1", "k1", "h1", [answer(1, 10, null, null), answer(2, null, 4, null)]);
    packed.add("SND-AAAA-0001", "email", "t2", "k2", "h2", [
      answer(3, null, null, "dropped"),
      answer(2, null, 9, null),
    ]);
    packed.add("", "event", "t3", "k3", "h3", [answer(3, null, null, "kept"), answer(4, 11, null, "other")]);
    const target = new PendingResponses();
    target.add("", "paper", "t0", "k0", "h0", [answer(5, null, 1.5, null)]);
    target.append(packed.toData(), (i) => i !== 1);
    expect([0, 1, 2].map((i) => target.get(i))).toEqual([
      {
        reference: "",
        channel: "paper",
        submittedAt: "t0",
        key: "k0",
        contentHash: "h0",
        rows: [answer(5, null, 1.5, null)],
      },
      { ...packed.get(0) },
      { ...packed.get(2) },
    ]);
    expect(target.length).toBe(3);
  });

  it("posts checked rows from the worker: good rows packed, errors by line, never raw rows", async () => {
    const db = fixtureDb();
    const row = consultation(db, FIXTURE_SLUG);
    const text = file(
      ["", "", "", "Ward 3", "4", "More benches", "", ""],
      ["", "post", "", "Ward 99", "", "", "", ""],
    );
    const events = [];
    for await (const e of csvEvents(bytes(text), {
      inlineBytes: 0,
      check: {
        definition: row.definition,
        catalog: new ConsultationRepository(db).catalog(row.id),
        defaultChannel: "paper",
        now: DEMO_NOW.toISOString(),
      },
    }))
      events.push(e);
    expect(events.map((e) => e.kind)).toEqual(["start", "checked", "end"]);
    const checked = events[1] as CheckedRows;
    expect(checked.headed?.referenceHeading).toBe("reference");
    // Line 2 is good, and kept until line 3's errors; after an error no row is kept.
    expect(checked.lines).toEqual([2]);
    expect(checked.good.meta).toHaveLength(1);
    expect(checked.good.items.length).toBeGreaterThan(0);
    expect(checked.errors.map((e) => `${e.line} ${e.column}`)).toEqual(["3 ward", "3 channel"]);
  });

  it("leaves the request loop no row to check when the file is read in the worker", async () => {
    const check = vi.spyOn(RowChecks.prototype, "check");
    const db = fixtureDb();
    const text = file(...Array.from({ length: 50 }, (_, i) => ["", "", "", "Ward 3", String(i), "", "", ""]));
    const result = await importer(db, true).importCsv(consultation(db, FIXTURE_SLUG), bytes(text));
    expect(result).toMatchObject({ imported: 50, errorCount: 0 });
    expect(check).not.toHaveBeenCalled();
    // The same file read here is checked here: the spy does see calls on this thread.
    const again = fixtureDb();
    await importer(again, false).importCsv(consultation(again, FIXTURE_SLUG), bytes(text));
    expect(check).toHaveBeenCalledTimes(51);
  });

  it("gives the same result as checking on this thread, for good files, bad files and repeats", async () => {
    const stored = (db: Db) => {
      // A response of another consultation with that reference, in the same database.
      new ConsultationRepository(db).save({ ...fixtureDefinition(), slug: "other-parks" });
      addResponse(db, "other-parks", "SND-AAAA-0001", { ward: "ward-1" });
      addResponse(db, FIXTURE_SLUG, "SND-AAAA-0002", { ward: "ward-2" });
    };
    const good = file(
      ["", "", "", "Ward 3", "4", "More benches", "", ""],
      ["SND-AAAA-0002", "", "", "Ward 2", "", "", "", ""],
      ["SND-AAAA-0003", "email", "2025-03-14T10:30:00Z", "Ward 7; north", "", "", "dog", "satisfied"],
      ["", "event", "", "", "2", "", "", ""],
    );
    const bad = file(
      ["SND-AAAA-0001", "", "", "Ward 3", "", "", "", ""],
      ["", "post", "not a date", "Ward 99", "400", "", "", "satisfied"],
      ["SND-AAAA-0004", "", "", "Ward 1", "", "", "", ""],
      ["SND-AAAA-0004", "", "", "", "", "", "", ""],
      ["SND-AAAA-0001", "", "", "", "1", "", "", ""],
    );
    const tuesday = file(
      ["", "", "", "Ward 3", "4", "More benches", "", ""],
      ["", "", "", "Ward 9", "", "", "", ""],
    );
    const results = async (inWorker: boolean) => {
      const db = fixtureDb();
      stored(db);
      const row = consultation(db, FIXTURE_SLUG);
      const run = (text: string) => importer(db, inWorker).importCsv(row, bytes(text));
      return {
        bad: await run(bad),
        good: await run(good),
        goodAgain: await run(good),
        tuesday: await run(tuesday),
        count: db.prepare("SELECT count(*) FROM responses WHERE status = 'submitted'").pluck().get(),
        answers: db
          .prepare(
            "SELECT r.channel, r.submitted_at, a.item_id, a.option_id, a.number_value, a.text_value FROM answers a JOIN responses r ON r.id = a.response_id ORDER BY r.id, a.item_id, a.option_id",
          )
          .all(),
      };
    };
    const here = await results(false);
    const there = await results(true);
    // The files do what they should (so the comparison below compares something).
    expect(here.bad.errorCount).toBeGreaterThanOrEqual(5);
    expect(here.bad.errors.some((e) => e.reason.includes("another consultation"))).toBe(true);
    expect(here.good).toMatchObject({ imported: 3, skippedDuplicates: 1, incomplete: 3 });
    expect(here.goodAgain).toMatchObject({ imported: 0, skippedDuplicates: 4 });
    expect(here.tuesday.possibleDuplicateCount).toBe(1);
    expect(comparable(there.bad)).toEqual(comparable(here.bad));
    expect(comparable(there.good)).toEqual(comparable(here.good));
    expect(comparable(there.goodAgain)).toEqual(comparable(here.goodAgain));
    expect(comparable(there.tuesday)).toEqual(comparable(here.tuesday));
    expect(there.count).toBe(here.count);
    expect(there.answers).toEqual(here.answers);
  });
});

describe("the CSV worker's heap limit", () => {
  it("leaves room for the file's text at two bytes a character, and 64 MB more", () => {
    expect(checkerHeapMb(2 ** 20)).toBe(66);
    // The largest upload (60 MB) read as a two-byte string (one curly quote makes it one).
    expect(checkerHeapMb(60 * 2 ** 20)).toBe(184);
  });

  it("reads a two-byte file with a reference on every row within it", async () => {
    const rows: string[][] = [];
    for (let i = 0; i < 20_000; i++) {
      const n = [...i.toString(32).padStart(8, "0")]
        .map((d) => "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[Number.parseInt(d, 32)])
        .join("");
      rows.push([
        `SND-${n.slice(0, 4)}-${n.slice(4)}`,
        "paper",
        "",
        "ward-2",
        "3",
        `It’s the café’s “new” path — row ${i}`,
        "",
        "",
      ]);
    }
    const db = fixtureDb();
    const row = consultation(db, FIXTURE_SLUG);
    const check = {
      definition: row.definition,
      catalog: new ConsultationRepository(db).catalog(row.id),
      defaultChannel: "paper" as const,
      now: DEMO_NOW.toISOString(),
    };
    let good = 0;
    let errors = 0;
    for await (const e of csvEvents(bytes(file(...rows)), { inlineBytes: 0, check }))
      if (e.kind === "checked") {
        good += e.lines.length;
        errors += e.errorCount;
      }
    expect(errors).toBe(0);
    expect(good).toBe(20_000);
  }, 60_000);
});
