import { randomBytes } from "node:crypto";
import type { Writable } from "node:stream";
import type { Db } from "../../db/connection.js";
import type { ConsultationRepository, ConsultationRow } from "../../db/consultations.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { importTemplateCsv } from "./import-template.js";
import type { CsvSource } from "./csv-rows-source.js";
import { ImportWriter } from "./import-writer.js";
import { type ResponseExportOptions, writeResponsesCsv } from "./response-export.js";
import { exportInWorker } from "./response-export-offloop.js";
import { type ImportOptions, type ImportResult, ResponseImporter } from "./response-import.js";

/** Results kept for the page an officer is sent to after an import (post, redirect, get). */
const KEPT_RESULTS = 20;

/** Raw responses in and out as CSV, for the officer pages (the CLI uses the same functions). */
export class ResponseTransferService {
  private readonly transfer: ResponseTransferRepository;
  private readonly importer: ResponseImporter;
  private readonly results = new Map<string, { consultationId: number; result: ImportResult }>();
  /** The database file, for the export worker; undefined for an in-memory database. */
  private readonly path: string | undefined;

  constructor(
    db: Db,
    private readonly consultations: ConsultationRepository,
    clock: () => Date,
  ) {
    this.transfer = new ResponseTransferRepository(db);
    this.importer = new ResponseImporter(db, consultations, clock);
    this.path = ImportWriter.canWrite(db) ? db.name : undefined;
  }

  /** Stream the raw responses to `out` (not ended); returns how many were written. */
  exportCsv(row: ConsultationRow, out: Writable, opts: ResponseExportOptions = {}): Promise<number> {
    return writeResponsesCsv(this.transfer, row, this.consultations.catalog(row.id), out, opts);
  }

  /**
   * The same, for a download while residents are served: built in a worker thread when the
   * database is a file (response-export-offloop.ts), so the request loop only writes the bytes.
   */
  downloadCsv(row: ConsultationRow, out: Writable, opts: { labels?: boolean } = {}): Promise<number> {
    if (this.path === undefined) return this.exportCsv(row, out, opts);
    return exportInWorker(this.path, row.slug, out, opts);
  }

  /**
   * Check and store a file (all or nothing; see response-import.ts). The event loop stays free
   * throughout, so this is also what a benchmark calls to import alongside other load.
   */
  importCsv(row: ConsultationRow, bytes: CsvSource, opts: ImportOptions = {}): Promise<ImportResult> {
    return this.importer.importCsv(row, bytes, opts);
  }

  /** The blank file to fill in: every accepted column and a row saying what each may hold. */
  importTemplate(row: ConsultationRow): string {
    return importTemplateCsv(row.definition);
  }

  /**
   * Keep an accepted import's result for the page that shows it; returns its key. Only the last
   * few are kept, in memory: after a restart the page says the import finished, without details.
   */
  keepResult(row: ConsultationRow, result: ImportResult): string {
    const key = randomBytes(12).toString("base64url");
    this.results.set(key, { consultationId: row.id, result });
    for (const old of this.results.keys()) {
      if (this.results.size <= KEPT_RESULTS) break;
      this.results.delete(old);
    }
    return key;
  }

  keptResult(row: ConsultationRow, key: string): ImportResult | undefined {
    const kept = this.results.get(key);
    return kept?.consultationId === row.id ? kept.result : undefined;
  }
}
