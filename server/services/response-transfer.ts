import type { Writable } from "node:stream";
import type { Db } from "../../db/connection.js";
import type { ConsultationRepository, ConsultationRow } from "../../db/consultations.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { type ResponseExportOptions, writeResponsesCsv } from "./response-export.js";
import { type ImportOptions, type ImportResult, ResponseImporter } from "./response-import.js";

/** Raw responses in and out as CSV, for the officer pages (the CLI uses the same functions). */
export class ResponseTransferService {
  private readonly transfer: ResponseTransferRepository;
  private readonly importer: ResponseImporter;

  constructor(
    db: Db,
    private readonly consultations: ConsultationRepository,
    clock: () => Date,
  ) {
    this.transfer = new ResponseTransferRepository(db);
    this.importer = new ResponseImporter(db, consultations, clock);
  }

  /** Stream the raw responses to `out` (not ended); returns how many were written. */
  exportCsv(row: ConsultationRow, out: Writable, opts: ResponseExportOptions = {}): Promise<number> {
    return writeResponsesCsv(this.transfer, row, this.consultations.catalog(row.id), out, opts);
  }

  importCsv(row: ConsultationRow, bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportResult> {
    return this.importer.importCsv(row, bytes, opts);
  }
}
