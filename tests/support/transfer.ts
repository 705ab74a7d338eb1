import { join } from "node:path";
import { Writable } from "node:stream";
import Papa from "papaparse";
import type { AnswerSet } from "../../analysis/answers.js";
import type { ConsultationDefinition } from "../../analysis/definition.js";
import { type Db, migrate, openDatabase } from "../../db/connection.js";
import { ConsultationRepository, type ConsultationRow } from "../../db/consultations.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { type Channel, ResponseRepository, toAnswerRows } from "../../db/responses.js";
import { ResultsRepository } from "../../db/results.js";
import { loadDemo } from "../../db/seed/demo.js";
import { projectRoot } from "../../server/config.js";
import { responseColumns } from "../../server/services/response-columns.js";
import { type ResponseExportOptions, writeResponsesCsv } from "../../server/services/response-export.js";
import {
  type ImportOptions,
  type ImportResult,
  ResponseImporter,
} from "../../server/services/response-import.js";
import { ResultsService } from "../../server/services/results.js";
import { summaryCsv } from "../../server/services/summary-export.js";

/** Helpers for the raw-responses export and import tests. */
const root = projectRoot();
export const DEMO_NOW = new Date("2026-01-05T09:00:00Z");

export function emptyDb(): Db {
  const db = openDatabase(":memory:");
  migrate(db, join(root, "db", "migrations"));
  return db;
}

/** The demo consultations, with the demo responses of the closed ones. */
export function demoDb(): Db {
  const db = emptyDb();
  loadDemo(db, root, DEMO_NOW);
  return db;
}

/** A database holding only this definition (a fresh copy of a consultation, no responses). */
export function freshCopy(definition: ConsultationDefinition): Db {
  const db = emptyDb();
  new ConsultationRepository(db).save(definition);
  return db;
}

export function consultation(db: Db, slug: string): ConsultationRow {
  const row = new ConsultationRepository(db).findBySlug(slug);
  if (!row) throw new Error(`No consultation ${slug}`);
  return row;
}

/** A Writable that keeps what it is given and counts the writes. */
export class Collector extends Writable {
  chunks: Buffer[] = [];
  constructor(
    highWaterMark = 16 * 1024,
    private readonly delayMs = 0,
  ) {
    super({ highWaterMark });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.chunks.push(chunk);
    if (this.delayMs > 0) setTimeout(done, this.delayMs);
    else done();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export async function exportResponses(
  db: Db,
  slug: string,
  opts: ResponseExportOptions = {},
): Promise<Buffer> {
  const row = consultation(db, slug);
  const out = new Collector();
  await writeResponsesCsv(
    new ResponseTransferRepository(db),
    row,
    new ConsultationRepository(db).catalog(row.id),
    out,
    opts,
  );
  return out.bytes;
}

export function importResponses(
  db: Db,
  slug: string,
  csv: string | Uint8Array,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const consultations = new ConsultationRepository(db);
  const row = consultation(db, slug);
  const bytes = typeof csv === "string" ? Buffer.from(csv, "utf8") : csv;
  return new ResponseImporter(db, consultations, () => DEMO_NOW).importCsv(row, bytes, opts);
}

export function summaryOf(db: Db, slug: string): string {
  const consultations = new ConsultationRepository(db);
  return summaryCsv(new ResultsService(new ResultsRepository(db), consultations), consultation(db, slug));
}

/** Store one submitted response straight through the repository (as the demo loader does). */
export function addResponse(
  db: Db,
  slug: string,
  reference: string,
  answers: AnswerSet,
  channel: Channel = "online",
  at = DEMO_NOW,
): number {
  const consultations = new ConsultationRepository(db);
  const row = consultation(db, slug);
  return new ResponseRepository(db).insertSubmitted(
    row.id,
    reference,
    channel,
    at,
    toAnswerRows(consultations.catalog(row.id), answers),
  );
}

export function submittedCount(db: Db, slug: string): number {
  return new ConsultationRepository(db).submittedCount(consultation(db, slug).id);
}

/**
 * A CSV with every column of the consultation (as a blank import template would have), filled from
 * the given cells by column name; `extra` adds cells after the last column.
 */
export function template(
  db: Db,
  slug: string,
  rows: (Record<string, string> & { extra?: string })[],
): string {
  const header = responseColumns(consultation(db, slug).definition).map((c) => c.name);
  const lines = [
    header,
    ...rows.map((r) => [...header.map((h) => r[h] ?? ""), ...(r.extra ? [r.extra] : [])]),
  ];
  return `${lines.map((l) => Papa.unparse([l], { newline: "\r\n" })).join("\r\n")}\r\n`;
}

export function columnCount(db: Db, slug: string): number {
  return responseColumns(consultation(db, slug).definition).length;
}
