import { execFileSync } from "node:child_process";
import Papa from "papaparse";
import { describe, expect, it, vi } from "vitest";
import { ConsultationRepository } from "../../db/consultations.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { ResponseRepository } from "../../db/responses.js";
import { RetentionRepository } from "../../db/retention.js";
import { finishLeftImports } from "../../server/services/response-import.js";
import { RetentionService } from "../../server/services/retention.js";
import { FIXTURE_SLUG, fixtureDb } from "../support/import-fixture.js";
import {
  consultation,
  exportResponses,
  importResponses,
  submittedCount,
  summaryOf,
} from "../support/transfer.js";

const csv = (rows: string[][]) => `${Papa.unparse(rows, { newline: "\r\n" })}\r\n`;
const texts = (db: ReturnType<typeof fixtureDb>) =>
  db
    .prepare("SELECT text_value FROM answers WHERE text_value IS NOT NULL ORDER BY response_id")
    .pluck()
    .all();

describe("import: the low findings of #8", () => {
  it("refuses a row with fewer cells than headings, naming its line, as it refuses one with more", async () => {
    const db = fixtureDb();
    const file = "ward,visits,ideas\r\nWard 1,3,Swings\r\nWard 2,4\r\nWard 3,5,Benches,surplus\r\n";
    const result = await importResponses(db, FIXTURE_SLUG, file);
    expect(result.errors).toEqual([
      {
        line: 3,
        column: "",
        reason: "This line has 2 values but the heading row has 3: add the missing commas",
      },
      { line: 4, column: "(column 4)", reason: "This value has no heading: add one, or delete the value" },
    ]);
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(0);
  });

  it("takes away the apostrophe the export put before a formula, and gives back what was typed", async () => {
    const db = fixtureDb();
    const typed = ["=1+1", "'=1+1", "-3", "+44 116", "@home", "'quoted'", "it's fine"];
    const file = csv([["ward", "ideas"], ...typed.map((t) => ["Ward 1", t])]);
    // What a person types into a spreadsheet-safe file: the export's neutralised form.
    const neutralised = csv([
      ["ward", "ideas"],
      ...typed.map((t) => ["Ward 1", /^'*[=+\-@]/.test(t) ? `'${t}` : t]),
    ]);
    expect((await importResponses(db, FIXTURE_SLUG, neutralised)).errors).toEqual([]);
    expect(texts(db)).toEqual(typed);
    // Export then import into a fresh copy: the same texts.
    const copy = fixtureDb();
    expect(
      (await importResponses(copy, FIXTURE_SLUG, await exportResponses(db, FIXTURE_SLUG))).imported,
    ).toBe(7);
    expect(texts(copy)).toEqual(typed);
    expect(file).toContain("=1+1");
  });

  it("stores text with LF line ends and no control characters, and counts it as stored", async () => {
    const db = fixtureDb();
    // 99 line breaks as CRLF and 100 letters: 199 characters as stored, 298 as sent.
    const lines = `${"a\r\n".repeat(99)}a`;
    const other = `Grand\u0000parents\u0007\r\nand friends`;
    const file = csv([
      ["visitor", "visitor__other_text", "ideas"],
      ["Someone else", other, lines],
    ]);
    const result = await importResponses(db, FIXTURE_SLUG, file);
    expect(result.errors).toEqual([]);
    expect(texts(db)).toEqual(["Grandparents\nand friends", `${"a\n".repeat(99)}a`]);
    const tooLong = csv([
      ["visitor", "visitor__other_text"],
      ["Someone else", `${"b\r\n".repeat(100)}b`],
    ]);
    const refused = await importResponses(fixtureDb(), FIXTURE_SLUG, tooLong);
    expect(refused.errors).toEqual([
      {
        line: 2,
        column: "visitor__other_text",
        reason: 'What you mean by "Someone else" must be 200 characters or fewer',
      },
    ]);
  });
});

describe("import batches: stored in slices, visible only when whole", () => {
  const stageOne = (db: ReturnType<typeof fixtureDb>, reference: string) => {
    const row = consultation(db, FIXTURE_SLUG);
    const catalog = new ConsultationRepository(db).catalog(row.id);
    const ward = catalog.questions.get("ward");
    const item = ward?.items.get("");
    const option = ward?.options.get("ward-1");
    if (item === undefined || option === undefined) throw new Error("fixture changed");
    const transfer = new ResponseTransferRepository(db);
    const batch = transfer.beginBatch(row.id, "2026-03-01T00:00:00.000Z");
    transfer.stage(batch, (store) =>
      store({
        consultationId: row.id,
        reference,
        channel: "paper",
        submittedAt: "2026-03-01T00:00:00.000Z",
        importKey: reference,
        contentHash: "x",
        rows: [{ itemId: item, optionId: option, number: null, text: null }],
      }),
    );
    return { transfer, batch };
  };

  it("keeps staged rows out of counts, results and exports until published", async () => {
    const db = fixtureDb();
    const empty = summaryOf(db, FIXTURE_SLUG);
    const { transfer, batch } = stageOne(db, "SND-AAAA-0001");
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(0);
    expect(summaryOf(db, FIXTURE_SLUG)).toBe(empty);
    expect((await exportResponses(db, FIXTURE_SLUG)).toString()).not.toContain("SND-AAAA-0001");
    transfer.startPublishing(batch);
    while (transfer.publish(batch, 10) > 0);
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(1);
    expect(summaryOf(db, FIXTURE_SLUG)).not.toBe(empty);
    expect(db.prepare("SELECT count(*) FROM import_batches").pluck().get()).toBe(0);
  });

  it("is not taken for abandoned drafts by the retention job while it is stored", async () => {
    const db = fixtureDb();
    const row = consultation(db, FIXTURE_SLUG);
    new ResponseRepository(db).createDraft(row.id, "b".repeat(64), new Date("2026-03-01T00:00:00Z"));
    const { transfer, batch } = stageOne(db, "SND-AAAA-0004");
    // 30 days after the consultation closed: its abandoned drafts go, and only those.
    const after = new Date(new Date(row.definition.closes).getTime() + 31 * 24 * 60 * 60 * 1000);
    const retention = new RetentionService(new RetentionRepository(db), () => after);
    const [detail] = await retention.run("command");
    expect(detail?.draftsDeleted).toBe(1);
    expect(db.prepare("SELECT reference FROM responses").pluck().all()).toEqual(["SND-AAAA-0004"]);
    transfer.startPublishing(batch);
    while (transfer.publish(batch, 10) > 0);
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM answers").pluck().get()).toBe(1);
  });

  it("at start-up deletes a batch a dead process was staging, and finishes one it was publishing", () => {
    const db = fixtureDb();
    const dead = Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]));
    const staged = stageOne(db, "SND-AAAA-0002");
    const publishing = stageOne(db, "SND-AAAA-0003");
    publishing.transfer.startPublishing(publishing.batch);
    db.prepare("UPDATE import_batches SET owner_pid = ?").run(dead);
    const lines: string[] = [];
    finishLeftImports(db, (l) => lines.push(l));
    expect(lines).toHaveLength(2);
    expect(db.prepare("SELECT reference FROM responses").pluck().all()).toEqual(["SND-AAAA-0003"]);
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM answers").pluck().get()).toBe(1);
    expect(db.prepare("SELECT count(*) FROM import_batches").pluck().get()).toBe(0);
    // A batch of a live process (an import running elsewhere) is left alone.
    stageOne(db, "SND-AAAA-0004");
    db.prepare("UPDATE import_batches SET owner_pid = ?").run(process.ppid);
    finishLeftImports(db, () => {});
    expect(db.prepare("SELECT count(*) FROM import_batches").pluck().get()).toBe(1);
    void staged;
  });
});

describe("import batches: made visible a little at a time", () => {
  it("starts with a small statement and grows it only while statements are quick", async () => {
    const db = fixtureDb();
    const rows: string[][] = [["ward", "visits", "ideas"]];
    while (rows.length < 301) rows.push(["Ward 1", String(rows.length % 100), ""]);
    const publish = vi.spyOn(ResponseTransferRepository.prototype, "publish");
    try {
      expect((await importResponses(db, FIXTURE_SLUG, csv(rows))).imported).toBe(300);
      // The first statement's size is not a guess of the machine's speed: a few rows, then measured.
      expect(publish.mock.calls[0]?.[1]).toBeLessThanOrEqual(50);
      expect(publish.mock.calls.reduce((n, c) => n + Math.min(c[1], 300), 0)).toBeGreaterThanOrEqual(300);
    } finally {
      publish.mockRestore();
    }
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(300);
  });
});

describe("import batches: a failure while storing leaves nothing", () => {
  it("deletes the rows already staged when a later slice fails", async () => {
    const db = fixtureDb();
    const rows: string[][] = [["ward", "visits", "ideas"]];
    while (rows.length < 5_000) rows.push(["Ward 1", String(rows.length % 100), "A bench by the pond"]);
    const original = ResponseTransferRepository.prototype.stage;
    let calls = 0;
    const spy = vi.spyOn(ResponseTransferRepository.prototype, "stage").mockImplementation(function (
      this: ResponseTransferRepository,
      ...args: Parameters<typeof original>
    ) {
      if (++calls === 3) throw new Error("disk full");
      return original.apply(this, args);
    });
    try {
      await expect(importResponses(db, FIXTURE_SLUG, csv(rows))).rejects.toThrow("disk full");
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(3);
    expect(db.prepare("SELECT count(*) FROM responses").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM answers").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM import_batches").pluck().get()).toBe(0);
    // And the same file imports whole afterwards.
    expect((await importResponses(db, FIXTURE_SLUG, csv(rows))).imported).toBe(4_999);
  });
});

describe("import: other work goes on while a large file is imported", () => {
  it("keeps timers firing throughout a 5 MB import", async () => {
    const db = fixtureDb();
    const rows: string[][] = [
      ["ward", "visits", "ideas", "how-often__playground", "safety-before__lighting"],
    ];
    const idea = 'A longer comment about the play area, with commas, and "quotes". '.repeat(2);
    while (rows.length < 30_000)
      rows.push([`Ward ${(rows.length % 6) + 1}`, "3", idea, "weekly", "satisfied"]);
    const bytes = Buffer.from(csv(rows));
    expect(bytes.length).toBeGreaterThan(4 * 1024 * 1024);
    let ticks = 0;
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      ticks++;
    }, 2);
    const started = performance.now();
    let firedAt = 0;
    setTimeout(() => {
      firedAt = performance.now();
    }, 20);
    // Timer ticks seen at each progress report: storing must not be one synchronous transaction.
    const ticksAt: Record<string, number[]> = { checking: [], storing: [] };
    const result = await importResponses(db, FIXTURE_SLUG, bytes, {
      onProgress: (p) => ticksAt[p.phase]?.push(ticks),
    });
    const ended = performance.now();
    clearInterval(timer);
    expect(result.errors).toEqual([]);
    expect(result.imported).toBe(29_999);
    // The import took many slices, and a timer due 20 ms in fired long before it ended.
    expect(ended - started).toBeGreaterThan(200);
    expect(firedAt).toBeGreaterThan(0);
    expect(firedAt - started).toBeLessThan((ended - started) / 2);
    expect(ticks).toBeGreaterThan(20);
    for (const phase of ["checking", "storing"]) {
      const seen = ticksAt[phase] ?? [];
      expect((seen.at(-1) ?? 0) - (seen[0] ?? 0), `timer ticks while ${phase}`).toBeGreaterThan(0);
    }
    console.log(
      `5 MB import: ${Math.round(ended - started)} ms, longest gap between timer ticks ${Math.round(longest)} ms`,
    );
  }, 120_000);
});
