import { createHash } from "node:crypto";
import Papa from "papaparse";
import { pruneHiddenAnswers } from "../../analysis/answers.js";
import { firstIncompletePage } from "../../analysis/completeness.js";
import type { Condition, ConsultationDefinition } from "../../analysis/definition.js";
import type { Db } from "../../db/connection.js";
import type { Catalog, ConsultationRepository, ConsultationRow } from "../../db/consultations.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { type Channel, toAnswerRows } from "../../db/responses.js";
import { PendingResponses } from "./pending-responses.js";
import { newReference, REFERENCE_PATTERN } from "./references.js";
import {
  type Binding,
  bindHeadings,
  type ImportError,
  questionColumn,
  readAnswers,
} from "./response-import-rows.js";
import { decodeCsv, LineCounter, parseTime } from "./response-import-text.js";

export type { ImportError };
export { decodeCsv };

/**
 * Importing responses from paper forms, emails and events (a CSV with one row per response).
 *
 * Rules, in the order they are applied:
 * - The file must be UTF-8 (a byte order mark is fine); anything else is refused with a hint.
 * - Headings are matched to the consultation by column name or question text (bindHeadings).
 * - Every value must be valid for its question (an option's code or label, a number in range, text
 *   within the length limit), and a question that the row's own answers would have hidden (supplier
 *   details when "supplier" is not ticked) must be blank.
 * - Required questions are NOT enforced: a paper form is often partly filled in, and dropping it
 *   would lose what the respondent did say. Such rows are stored and counted in `incomplete`. A row
 *   with no answer at all is an error.
 * - A `reference` cell must look like SND-XXXX-XXXX; a blank one gets a new reference.
 * - Idempotency: a row whose reference is already stored for this consultation, or (without a
 *   reference) whose content hash is, is skipped. The hash covers the answers and the submitted time;
 *   the second identical row in one file hashes with "#2", so two people who answered alike both
 *   count, and importing the file again still adds nothing.
 * - All or nothing: every row is checked before anything is written; one bad row means nothing is
 *   stored and the report names each line, column and reason. Valid files are written in one
 *   transaction.
 */

export const IMPORT_CHANNELS = ["paper", "email", "event"] as const;
export type ImportChannel = (typeof IMPORT_CHANNELS)[number];
const CHANNELS: readonly string[] = ["online", ...IMPORT_CHANNELS];

/** The report keeps this many errors; errorCount says how many there were. */
export const MAX_REPORTED_ERRORS = 1000;

/** Rows checked between pauses that let other work (requests, progress output) run. */
const ROWS_PER_SLICE = 2000;

export interface ImportProgress {
  phase: "checking" | "storing";
  done: number;
  total: number;
}

export interface ImportOptions {
  /** The channel of rows with no channel column or a blank channel cell (default paper). */
  channel?: ImportChannel;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportResult {
  imported: number;
  skippedDuplicates: number;
  /** Imported rows that leave some required question unanswered (see the rules above). */
  incomplete: number;
  errors: ImportError[];
  errorCount: number;
}

const refused = (errors: ImportError[], errorCount = errors.length): ImportResult => ({
  imported: 0,
  skippedDuplicates: 0,
  incomplete: 0,
  errors,
  errorCount,
});

/** The condition that decides whether each question is asked (its own, else its page's). */
function conditions(def: ConsultationDefinition): Map<string, Condition> {
  const map = new Map<string, Condition>();
  for (const page of def.pages)
    for (const q of page.questions) {
      const c = q.showIf ?? page.showIf;
      if (c) map.set(q.id, c);
    }
  return map;
}

/** Checks rows one at a time and keeps the good ones, compactly, until the whole file is known good. */
class RowChecker {
  readonly pending = new PendingResponses();
  readonly errors: ImportError[] = [];
  errorCount = 0;
  skipped = 0;
  incomplete = 0;
  private binding: Binding | undefined;
  private readonly hidden: Map<string, Condition>;
  private readonly seenReferences = new Map<string, number>(); // reference -> line
  private readonly seenHashes = new Map<string, number>(); // content hash -> times seen
  /** Nothing was imported before: no content hash can be taken, so none is looked up. */
  private readonly firstImport: boolean;

  constructor(
    private readonly row: ConsultationRow,
    private readonly catalog: Catalog,
    private readonly transfer: ResponseTransferRepository,
    private readonly defaultChannel: Channel,
    private readonly now: string,
  ) {
    this.hidden = conditions(row.definition);
    this.firstImport = !transfer.hasImportKeys(row.id);
  }

  get headed(): boolean {
    return this.binding !== undefined;
  }

  report(e: ImportError): void {
    this.errorCount++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(e);
  }

  check(cells: string[], line: number): void {
    if (!this.binding) {
      const bound = bindHeadings(this.row.definition, cells, line);
      this.binding = bound.binding;
      for (const e of bound.errors) this.report(e);
      if (bound.errors.some((e) => /[;\t]/.test(e.column)))
        this.report({ line, column: "", reason: "Save the file as CSV with commas between values" });
      return;
    }
    const b = this.binding;
    const fail = (col: number, reason: string) =>
      this.report({ line, column: col < 0 ? "" : (b.headings[col] ?? `(column ${col + 1})`), reason });
    const before = this.errorCount;
    // A lookup per cell, not a search of the blank headings (#8: 20,000 blank columns took 14.7 s).
    cells.forEach((c, i) => {
      if ((i >= b.headings.length || b.unnamed[i]) && c.trim() !== "")
        fail(i, "This value has no heading: add one, or delete the value");
    });
    const def = this.row.definition;
    const answers = readAnswers(b, cells, fail);
    const kept = pruneHiddenAnswers(def, answers);
    const answered = Object.keys(answers);
    if (answered.length !== Object.keys(kept).length)
      for (const qid of answered) {
        if (kept[qid] !== undefined) continue;
        const c = this.hidden.get(qid);
        fail(
          questionColumn(b, qid),
          `Leave this blank: it is only asked when "${c?.question}" is answered ${c?.anyOf.join(" or ")}`,
        );
      }
    if (answered.length === 0 && this.errorCount === before) fail(-1, "This row has no answers");

    const channelCell = b.channel >= 0 ? (cells[b.channel] ?? "").trim().toLowerCase() : "";
    const channel = channelCell || this.defaultChannel;
    if (!CHANNELS.includes(channel)) fail(b.channel, "Enter paper, email, event or online");
    const timeCell = b.submittedAt >= 0 ? (cells[b.submittedAt] ?? "").trim() : "";
    const time = timeCell === "" ? undefined : parseTime(timeCell);
    if (timeCell !== "" && !time)
      fail(b.submittedAt, "Enter the time as 2025-03-14T10:30:00Z or 14/03/2025 10:30");

    const reference = b.reference >= 0 ? (cells[b.reference] ?? "").trim().toUpperCase() : "";
    let key: string;
    let duplicate = false;
    if (reference !== "") {
      const earlier = this.seenReferences.get(reference);
      if (!REFERENCE_PATTERN.test(reference))
        fail(b.reference, "Enter a reference like SND-7F3K-9Q2M, or leave it blank for a new one");
      else if (earlier !== undefined) fail(b.reference, `This reference is also on line ${earlier}`);
      else {
        const owner = this.transfer.referenceOwner(reference);
        if (owner !== undefined && owner !== this.row.id)
          fail(b.reference, "This reference belongs to a response to another consultation");
        duplicate = owner === this.row.id;
      }
      this.seenReferences.set(reference, line);
      key = reference;
    } else {
      const hash = createHash("sha256")
        .update(JSON.stringify([kept, time ?? null]))
        .digest("hex");
      const seen = (this.seenHashes.get(hash) ?? 0) + 1;
      this.seenHashes.set(hash, seen);
      key = seen === 1 ? hash : createHash("sha256").update(`${hash}#${seen}`).digest("hex");
      duplicate = !this.firstImport && this.transfer.hasImportKey(this.row.id, key);
    }
    if (this.errorCount > 0) return; // a bad file stores nothing: only keep finding its errors
    if (duplicate) {
      this.skipped++;
      return;
    }
    if (firstIncompletePage(def, kept) !== undefined) this.incomplete++;
    this.pending.add(reference, channel as Channel, time ?? this.now, key, toAnswerRows(this.catalog, kept));
  }
}

export class ResponseImporter {
  private readonly transfer: ResponseTransferRepository;

  constructor(
    db: Db,
    private readonly consultations: ConsultationRepository,
    private readonly clock: () => Date,
  ) {
    this.transfer = new ResponseTransferRepository(db);
  }

  /** Check a whole file, then store all of it or none of it. */
  async importCsv(row: ConsultationRow, bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportResult> {
    const decoded = decodeCsv(bytes);
    if ("error" in decoded) return refused([{ line: 1, column: "", reason: decoded.error }]);
    const lastId = this.transfer.lastResponseId();
    const checker = new RowChecker(
      row,
      this.consultations.catalog(row.id),
      this.transfer,
      opts.channel ?? "paper",
      this.clock().toISOString(),
    );
    await parseRows(decoded.text, checker, opts);
    if (checker.errorCount > 0) return refused(checker.errors, checker.errorCount);
    // When another response arrived while the file was checked, look for duplicates again.
    const stored = this.store(row, checker.pending, this.transfer.lastResponseId() !== lastId, opts);
    return {
      imported: stored.imported,
      skippedDuplicates: checker.skipped + stored.skipped,
      incomplete: checker.incomplete,
      errors: [],
      errorCount: 0,
    };
  }

  /** Write the checked rows in one transaction. */
  private store(row: ConsultationRow, pending: PendingResponses, recheck: boolean, opts: ImportOptions) {
    let imported = 0;
    let skipped = 0;
    const inFile = new Set<string>();
    for (let i = 0; i < pending.length; i++) inFile.add(pending.reference(i));
    const taken = (reference: string) =>
      inFile.has(reference) || this.transfer.referenceOwner(reference) !== undefined;
    this.transfer.importAll((store) => {
      for (let i = 0; i < pending.length; i++) {
        const r = pending.get(i);
        const stored = r.reference !== "" && this.transfer.referenceOwner(r.reference) !== undefined;
        if (recheck && (stored || this.transfer.hasImportKey(row.id, r.key))) {
          skipped++;
          continue;
        }
        let reference = r.reference;
        // New references are random: check each against those already stored.
        while (reference === "" || (reference !== r.reference && taken(reference)))
          reference = newReference();
        // Responses are written a batch at a time: a new reference must not repeat one still queued.
        inFile.add(reference);
        store({ ...r, consultationId: row.id, reference, importKey: r.key });
        imported++;
        if (i % 5000 === 0) opts.onProgress?.({ phase: "storing", done: i, total: pending.length });
      }
    });
    opts.onProgress?.({ phase: "storing", done: pending.length, total: pending.length });
    return { imported, skipped };
  }
}

/** Feed every non-blank row of the file to the checker, with its line number, pausing now and then. */
function parseRows(text: string, checker: RowChecker, opts: ImportOptions): Promise<void> {
  let lines: LineCounter | undefined;
  let cursor = 0;
  let base = 0;
  let rows = 0;
  return new Promise((resolve) => {
    Papa.parse<string[]>(text, {
      delimiter: ",",
      step: (result, parser) => {
        lines ??= new LineCounter(text, result.meta.linebreak === "\r" ? "\r" : "\n");
        const line = lines.at(cursor);
        cursor = base + result.meta.cursor;
        for (const e of result.errors)
          checker.report({
            line,
            column: "",
            reason:
              e.code === "MissingQuotes"
                ? 'A quoted value is not closed: check for a stray " on this line'
                : `The line cannot be read as CSV: ${e.message}`,
          });
        const cells = result.data;
        if (result.errors.length === 0 && cells.every((c) => c === "" || c.trim() === "")) return;
        checker.check(cells, line);
        if (++rows % ROWS_PER_SLICE === 0) {
          opts.onProgress?.({ phase: "checking", done: cursor, total: text.length });
          // Pausing cuts the parser's input at the cursor: later cursors count from here.
          base = cursor;
          parser.pause();
          setImmediate(() => parser.resume());
        }
      },
      complete: () => {
        opts.onProgress?.({ phase: "checking", done: text.length, total: text.length });
        if (!checker.headed) checker.report({ line: 1, column: "", reason: "The file is empty" });
        resolve();
      },
    });
  });
}
