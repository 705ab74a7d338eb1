import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import Papa from "papaparse";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Db, migrate, openDatabase } from "../../db/connection.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { projectRoot } from "../../server/config.js";
import { ExportAbortedError } from "../../server/services/response-export.js";
import { ResponseTransferService } from "../../server/services/response-transfer.js";
import { FIXTURE_SLUG, fixtureDefinition } from "../support/import-fixture.js";
import { Collector, consultation, DEMO_NOW, importResponses } from "../support/transfer.js";

/**
 * Issue 8, responsiveness: an officer's download of every response is read and built in a worker
 * thread with its own connection (response-export-offloop.ts); the request loop only passes the
 * bytes on. The file must be the one the in-thread export writes, byte for byte.
 */
const folders: string[] = [];

async function fileDbWithResponses(n: number): Promise<Db> {
  const dir = mkdtempSync(join(tmpdir(), "sounding-export-worker-"));
  folders.push(dir);
  const db = openDatabase(join(dir, "sounding.sqlite"));
  migrate(db, join(projectRoot(), "db", "migrations"));
  new ConsultationRepository(db).save(fixtureDefinition());
  const rows = [["ward", "visits", "ideas", "visitor"]];
  for (let i = 1; i <= n; i++)
    rows.push([
      `Ward ${(i % 6) + 1}`,
      String(i % 50),
      i % 3 ? `Idea "${i}", with a comma` : "",
      "With a dog; on a lead",
    ]);
  const result = await importResponses(db, FIXTURE_SLUG, `${Papa.unparse(rows, { newline: "\r\n" })}\r\n`);
  expect(result.errors.slice(0, 3)).toEqual([]);
  expect(result.imported).toBe(n);
  return db;
}

const service = (db: Db) => new ResponseTransferService(db, new ConsultationRepository(db), () => DEMO_NOW);

afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("raw responses download in a worker thread (#8)", () => {
  it("writes the same bytes as the export on this thread, reading nothing here", async () => {
    const db = await fileDbWithResponses(700);
    const row = consultation(db, FIXTURE_SLUG);
    const transfer = service(db);
    const read = vi.spyOn(ResponseTransferRepository.prototype, "exportPage");
    for (const labels of [false, true]) {
      const there = new Collector();
      expect(await transfer.downloadCsv(row, there, { labels })).toBe(700);
      expect(read).not.toHaveBeenCalled();
      const here = new Collector();
      expect(await transfer.exportCsv(row, here, { labels })).toBe(700);
      expect(read).toHaveBeenCalled();
      read.mockClear();
      expect(there.bytes.equals(here.bytes)).toBe(true);
      expect(there.bytes.toString("utf8").split("\r\n")).toHaveLength(700 + 2);
    }
  });

  it("stops when the download is closed part way", async () => {
    const db = await fileDbWithResponses(700);
    const row = consultation(db, FIXTURE_SLUG);
    let chunks = 0;
    const out = new Writable({
      highWaterMark: 1,
      write(_chunk, _enc, done) {
        if (++chunks === 1) setImmediate(() => out.destroy());
        done();
      },
    });
    await expect(service(db).downloadCsv(row, out)).rejects.toBeInstanceOf(ExportAbortedError);
  });
});
