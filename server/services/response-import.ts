import type { Db } from "../../db/connection.js";
import type { ConsultationRepository, ConsultationRow } from "../../db/consultations.js";
import { type ImportedResponse, ResponseTransferRepository } from "../../db/response-transfer.js";
import type { CsvEvent } from "./csv-rows.js";
import { type CsvSource, csvEvents, INLINE_BYTES } from "./csv-rows-source.js";
import { ImportReferences } from "./import-references.js";
import { type Drainable, Streaming } from "./import-streaming.js";
import { ImportWriter } from "./import-writer.js";
import { PendingResponses } from "./pending-responses.js";
import {
  type CheckContext,
  type CheckedRows,
  MAX_REPORTED_ERRORS,
  RowChecks,
} from "./response-import-checks.js";
import type { ImportError } from "./response-import-rows.js";
import { SLICE_MS, TimeSlices } from "./time-slices.js";

export { decodeCsv } from "./csv-rows.js";
export type { ImportError };

/**
 * Importing responses from paper forms, emails and events (a CSV with one row per response).
 *
 * Rules, in the order they are applied:
 * - The file must be UTF-8 (a byte order mark is fine); anything else is refused with a hint.
 * - Headings are matched to the consultation by column name, question text, or (where unique) a
 *   grid statement's id or text alone (bindHeadings). A question with no column is unanswered in
 *   every row, and the result lists such questions.
 * - Every row has as many cells as the heading row; every value must be valid for its question (an
 *   option's code or label, and the same checks as the online pages for numbers and text: see
 *   analysis/answer-checks.ts); a question that the row's own answers would have hidden must be blank.
 * - Required questions are NOT enforced: a paper form is often partly filled in, and dropping it
 *   would lose what the respondent did say. Such rows are stored and counted in `incomplete`. A row
 *   with no answer at all is an error; a wholly blank row is skipped and counted.
 * - A `reference` cell must look like SND-XXXX-XXXX; a blank one gets a new reference.
 * - Idempotency (hardening issue #8): a row with a reference already stored is skipped. A row
 *   without one is keyed by the file's hash and its line, so importing the same file again adds
 *   nothing, while the same form in two files (Monday's batch, then Tuesday's) is kept twice; such
 *   rows are listed as possible duplicates for an officer to confirm.
 * - All or nothing: every row is checked before anything is written; one bad row means nothing is
 *   stored and the report names each line, column and reason.
 * - The event loop stays free: a large file is decoded, parsed and checked in a worker thread
 *   (response-import-checks.ts; only the database look-ups are made here), a small one is checked
 *   here in slices of a few milliseconds, and storing goes through an import batch
 *   (db/response-transfer.ts, migration 0007) whose rows stay invisible until all are written.
 */

export const IMPORT_CHANNELS = ["paper", "email", "event"] as const;
export type ImportChannel = (typeof IMPORT_CHANNELS)[number];

export { MAX_REPORTED_ERRORS };
/** The result lists this many possible duplicates; possibleDuplicateCount says how many there were. */
export const MAX_REPORTED_DUPLICATES = 1000;
/**
 * Answer rows stored per transaction at most: storing one costs about 10 µs of CPU here (the
 * answers indexes, the comment triggers), most of it in the commit after the loop that fills the
 * transaction, so a time check alone lets a transaction run past its slice (measured on a shared
 * machine: 1,000 answers a transaction took 13 ms of CPU at the median but doubled the import time).
 */
const ANSWERS_PER_SLICE = 2000;
/** Responses made visible (or deleted) per statement when a batch is published (or discarded). */
const PUBLISH_ROWS = 500;
/**
 * Responses the first publishing statement makes visible; later ones are sized by the time taken.
 * Starting at PUBLISH_ROWS, the first statement held the request loop for 300 ms on a busy machine
 * (each row fires the response_events trigger); from here the size grows while statements are quick.
 */
const FIRST_PUBLISH_ROWS = 25;
/** Imports of at least this many responses into a database file are written by the import writer. */
const WRITER_MIN_RESPONSES = 1000;
/**
 * How long one of the import writer's write transactions should hold the database: an answer post
 * arriving meanwhile waits for it (as a synchronous lock wait on the request loop), so it stays
 * well under 100 ms. The transaction only copies rows staged beforehand (db/import-staging.ts).
 */
const TRANSACTION_MS = 40;
/**
 * Responses per write transaction, at least and at most: with fewer, the commit (one rewrite of
 * every index page touched) costs more than the rows; a busy machine stretches every transaction's
 * time, and the floor keeps an import from crawling then.
 */
const WRITER_MIN_MOVE = 50;
const WRITER_MAX_MOVE = 1000;
/**
 * Responses the import writer moves between two copies of the write-ahead log back into the
 * database file. Copying after every transaction (SQLite's default, at 1,000 pages) took half of
 * the writer's time, as each copy rewrote the same answers index pages again; every 5,000
 * responses (about 15,000 pages of log), 20,000 responses took 4.6 s of the writer's time
 * against 11.5 s.
 */
const WRITER_CHECKPOINT_RESPONSES = 5000;

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

/** A stored row whose answers and time are those of a response imported from an earlier file. */
export interface PossibleDuplicate {
  line: number;
  /** The reference the row was stored under. */
  reference: string;
  /** The earlier response's reference. */
  matches: string;
}

export interface ImportResult {
  imported: number;
  skippedDuplicates: number;
  /** Imported rows that leave some required question unanswered (see the rules above). */
  incomplete: number;
  /** Rows with every cell blank, skipped. */
  blankRows: number;
  /** Questions (or grid statements, by column name) with no column in the file: unanswered in every row. */
  unanswered: { id: string; text: string }[];
  possibleDuplicates: PossibleDuplicate[];
  possibleDuplicateCount: number;
  errors: ImportError[];
  errorCount: number;
}

const refused = (errors: ImportError[], errorCount = errors.length): ImportResult => ({
  imported: 0,
  skippedDuplicates: 0,
  incomplete: 0,
  blankRows: 0,
  unanswered: [],
  possibleDuplicates: [],
  possibleDuplicateCount: 0,
  errors,
  errorCount,
});

/**
 * The importer's side of checking: it takes the checked rows (from the CSV worker, or checked here
 * for a small file), looks up in the database what a row's reference or import key says about it
 * (stored before, or another consultation's), and keeps the good rows, compactly, until the whole
 * file is known good.
 */
class CheckedFile implements Drainable {
  /** The good rows taken since the last drain (all of them when none was streamed). */
  pending = new PendingResponses();
  /** The number, among the file's good rows, of the first in `pending`. */
  private base = 0;
  /** The file line of each pending response, and the reference of an earlier one it repeats. */
  readonly lines: number[] = [];
  readonly sameAs = new Map<number, string>();
  readonly errors: ImportError[] = [];
  errorCount = 0;
  skipped = 0;
  incomplete = 0;
  headed: CheckedRows["headed"];
  /** Nothing was imported before: no key or content hash can be taken, so none is looked up. */
  private readonly firstImport: boolean;

  constructor(
    private readonly row: ConsultationRow,
    private readonly transfer: ResponseTransferRepository,
  ) {
    this.firstImport = !transfer.hasImportKeys(row.id);
  }

  report(e: ImportError): void {
    this.errorCount++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(e);
  }

  /** The good rows taken since the last drain, numbered from `base`; they are let go here. */
  drain(): { pending: PendingResponses; base: number } {
    const drained = { pending: this.pending, base: this.base };
    this.base += this.pending.length;
    this.pending = new PendingResponses();
    return drained;
  }

  /**
   * Take one batch of checked rows (batches come in the file's order). While earlier rows are being
   * stored (`streaming`), a reference a row gives may have been drawn for one of them: not a
   * response stored before, but one to rename.
   */
  take(batch: CheckedRows, streaming?: Streaming): void {
    if (batch.headed) this.headed = batch.headed;
    const found: ImportError[] = [];
    const duplicate = new Set<number>();
    for (const given of batch.references) {
      if (streaming?.claim(given.reference)) continue;
      const owner = this.transfer.referenceOwner(given.reference);
      if (owner !== undefined && owner !== this.row.id)
        found.push({
          line: given.line,
          column: this.headed?.referenceHeading ?? "",
          reason: "This reference belongs to a response to another consultation",
        });
      else if (owner === this.row.id && given.index >= 0) duplicate.add(given.index);
    }
    // The database's errors after the checks' own on the same line, as one pass found them before.
    const errors =
      found.length === 0 ? batch.errors : [...batch.errors, ...found].sort((a, b) => a.line - b.line);
    for (const e of errors) this.report(e);
    this.errorCount += batch.errorCount - batch.errors.length;
    if (this.errorCount > 0) return; // a bad file stores nothing
    const good = batch.good;
    const keep = (i: number): boolean => {
      const meta = good.meta[i];
      if (!meta) return false;
      if (
        meta.reference !== ""
          ? duplicate.has(i)
          : !this.firstImport && this.transfer.hasImportKey(this.row.id, meta.key)
      ) {
        this.skipped++;
        return false;
      }
      if (meta.reference === "" && !this.firstImport) {
        const same = this.transfer.sameContent(this.row.id, meta.contentHash);
        if (same !== undefined) this.sameAs.set(this.lines.length, same);
      }
      if (batch.incomplete[i]) this.incomplete++;
      this.lines.push(batch.lines[i] ?? 0);
      return true;
    };
    this.pending.append(good, keep);
  }
}

export class ResponseImporter {
  private readonly transfer: ResponseTransferRepository;
  /** Imports run one after another: two at once could both find a row new and both store it. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The database file, for the import writer; undefined for an in-memory database. */
  private readonly path: string | undefined;

  constructor(
    db: Db,
    private readonly consultations: ConsultationRepository,
    private readonly clock: () => Date,
    /** Files larger than this are parsed and checked in a worker thread (csv-rows-source.ts). */
    private readonly inlineBytes = INLINE_BYTES,
  ) {
    this.transfer = new ResponseTransferRepository(db);
    this.path = ImportWriter.canWrite(db) ? db.name : undefined;
  }

  /** Check a whole file, then store all of it or none of it. */
  importCsv(row: ConsultationRow, bytes: CsvSource, opts: ImportOptions = {}): Promise<ImportResult> {
    const run = this.queue.then(() => this.importNow(row, bytes, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async importNow(
    row: ConsultationRow,
    bytes: CsvSource,
    opts: ImportOptions,
  ): Promise<ImportResult> {
    const lastId = this.transfer.lastResponseId();
    const checked = new CheckedFile(row, this.transfer);
    const context: CheckContext = {
      definition: row.definition,
      catalog: this.consultations.catalog(row.id),
      defaultChannel: opts.channel ?? "paper",
      now: this.clock().toISOString(),
    };
    const here = new RowChecks(context); // for a file small enough to be read on this thread
    let blankRows = 0;
    let chars = 0;
    const slice = new TimeSlices(SLICE_MS);
    /** Set once the file has enough good rows to be written while the rest is checked. */
    let streaming: Streaming | undefined;
    try {
      const events = csvEvents(bytes, { inlineBytes: this.inlineBytes, check: context });
      for await (const event of events) {
        if (event.kind === "refused") return refused([{ line: 1, column: "", reason: event.reason }]);
        if (event.kind === "start") {
          here.fileHash = event.fileHash;
          chars = event.chars;
        }
        if (event.kind === "end") blankRows = event.blankRows;
        if (event.kind === "rows") await checkHere(here, event, slice, chars, checked, opts, streaming);
        if (event.kind === "checked") {
          checked.take(event, streaming);
          opts.onProgress?.({ phase: "checking", done: event.offset, total: chars });
          if (slice.over()) await slice.yield();
        }
        if (checked.errorCount > 0) continue; // a bad file stores nothing: only keep finding its errors
        if (!streaming && this.path !== undefined && checked.pending.length >= WRITER_MIN_RESPONSES)
          streaming = this.startStreaming(this.path, row);
        if (streaming) await streaming.pour(checked);
      }
      opts.onProgress?.({ phase: "checking", done: chars, total: chars });
      const headed = checked.headed;
      if (!headed) checked.report({ line: 1, column: "", reason: "The file is empty" });
      if (checked.errorCount > 0 || !headed) {
        if (streaming) await this.abandon(streaming);
        return refused(checked.errors, checked.errorCount);
      }
      let references: ImportReferences;
      if (streaming) {
        const sent = streaming.references.imported + streaming.references.skipped;
        opts.onProgress?.({ phase: "storing", done: sent, total: sent + checked.pending.length });
        await streaming.finish(checked);
        this.transfer.startPublishing(streaming.batch);
        streaming.publishing = true;
        references = streaming.references;
        try {
          if (!(await this.publishInWorker(streaming.writer, streaming.batch)))
            await this.publishHere(streaming.batch);
        } finally {
          await streaming.close();
        }
      } else {
        // When another response arrived while the file was checked, look for duplicates again.
        const recheck = this.transfer.lastResponseId() !== lastId;
        references = await this.store(row, checked.pending, recheck, opts);
      }
      opts.onProgress?.({ phase: "storing", done: references.imported, total: references.imported });
      const possibleDuplicates: PossibleDuplicate[] = [];
      for (const [index, matches] of checked.sameAs) {
        const reference = references.stored[index];
        if (reference && possibleDuplicates.length < MAX_REPORTED_DUPLICATES)
          possibleDuplicates.push({ line: checked.lines[index] ?? 0, reference, matches });
      }
      return {
        imported: references.imported,
        skippedDuplicates: checked.skipped + references.skipped,
        incomplete: checked.incomplete,
        blankRows,
        unanswered: headed.absent,
        possibleDuplicates,
        possibleDuplicateCount: [...checked.sameAs.keys()].filter((i) => references.stored[i]).length,
        errors: [],
        errorCount: 0,
      };
    } catch (err) {
      if (streaming && !streaming.publishing) await this.abandon(streaming);
      throw err;
    }
  }

  /**
   * Begin writing a file's good rows through the import writer while the rest of it is checked:
   * the rows stay invisible drafts of an import batch, and a bad row found later deletes them all.
   * So a large file's storing overlaps its checking, and no more than one batch of checked rows is
   * held here at a time.
   */
  private startStreaming(path: string, row: ConsultationRow): Streaming {
    const batch = this.transfer.beginBatch(row.id, this.clock().toISOString());
    // The writer copies the log back itself, now and then (see import-writer.ts); a commit here
    // would otherwise do it on the request loop whenever the log has grown past 1,000 pages, which
    // the writer's transactions make it do all the time.
    const resumeCheckpoints = this.transfer.holdCheckpoints();
    const writer = new ImportWriter(path, {
      transactionMs: TRANSACTION_MS,
      minMove: WRITER_MIN_MOVE,
      maxMove: WRITER_MAX_MOVE,
      checkpointResponses: WRITER_CHECKPOINT_RESPONSES,
    });
    return new Streaming(
      row.id,
      batch,
      writer,
      resumeCheckpoints,
      new ImportReferences(this.transfer, row.id, false),
      WRITER_MIN_MOVE,
    );
  }

  /** Stop the writer and delete what it stored of a batch that will not be published. */
  private async abandon(streaming: Streaming): Promise<void> {
    await streaming.close();
    await this.discard(streaming.batch);
  }

  /**
   * Write the checked rows as an import batch, a slice of a few milliseconds at a time, then make
   * them visible. Until publishing starts, any failure deletes what was staged; once it has started
   * the file counts as accepted, and a crash is finished at the next start (finishLeftImports).
   */
  private async store(
    row: ConsultationRow,
    pending: PendingResponses,
    recheck: boolean,
    opts: ImportOptions,
  ): Promise<ImportReferences> {
    const references = new ImportReferences(this.transfer, row.id, recheck);
    references.know(pending);
    /** The response to store for pending row i, with its reference; undefined when it is skipped. */
    const toStore = (i: number): ImportedResponse | undefined => {
      const reference = references.take(pending, i, i);
      if (reference === undefined) return undefined;
      const r = pending.get(i);
      return {
        consultationId: row.id,
        reference,
        channel: r.channel,
        submittedAt: r.submittedAt,
        importKey: r.key,
        contentHash: r.contentHash,
        rows: r.rows,
      };
    };
    const batch = this.transfer.beginBatch(row.id, this.clock().toISOString());
    try {
      await this.stageHere(batch, pending.length, toStore, opts);
      this.transfer.startPublishing(batch);
    } catch (err) {
      await this.discard(batch);
      throw err;
    }
    await this.publishHere(batch);
    return references;
  }

  /** Publishing here: each statement makes some responses visible (with their response_events). */
  private async publishHere(batch: number): Promise<void> {
    const slice = new TimeSlices(SLICE_MS);
    const publishing = new SliceSize(SLICE_MS / 2, FIRST_PUBLISH_ROWS);
    for (;;) {
      const started = performance.now();
      const n = this.transfer.publish(batch, publishing.count);
      if (n === 0) break;
      publishing.took(performance.now() - started, n);
      await slice.yield();
    }
  }

  /**
   * Publishing through the import writer, one transaction of about TRANSACTION_MS at a time with a
   * turn of this loop between (as its staging). Publishing 90,000 responses here was 0.75 s of the
   * request loop's time (issue 8's responsiveness benchmark). Returns false when the writer failed
   * part way: the caller publishes the rest here, as the file was accepted whole once publishing began.
   */
  private async publishInWorker(writer: ImportWriter, batch: number): Promise<boolean> {
    const slice = new TimeSlices(SLICE_MS);
    const publishing = new SliceSize(TRANSACTION_MS, FIRST_PUBLISH_ROWS, FIRST_PUBLISH_ROWS, WRITER_MAX_MOVE);
    try {
      for (;;) {
        const { ms, published } = await writer.publish(batch, publishing.count);
        if (published === 0) return true;
        publishing.took(ms, published);
        await slice.yield();
      }
    } catch {
      return false; // publishHere finishes it
    }
  }

  /**
   * Stage on this thread (an in-memory database, or a small file) in transactions of a third of a
   * slice: committing them (answers copied in, indexes and triggers) takes about as long again.
   */
  private async stageHere(
    batch: number,
    total: number,
    toStore: (i: number) => ImportedResponse | undefined,
    opts: ImportOptions,
  ): Promise<void> {
    const fill = new TimeSlices(SLICE_MS / 3);
    let i = 0;
    while (i < total) {
      const first = i;
      let answers = 0;
      this.transfer.stage(batch, (store) => {
        for (; i < total && (i === first || (answers < ANSWERS_PER_SLICE && !fill.over())); i++) {
          const r = toStore(i);
          if (!r) continue;
          store(r);
          answers += r.rows.length;
        }
      });
      opts.onProgress?.({ phase: "storing", done: i, total });
      await fill.yield();
    }
  }

  private async discard(batch: number): Promise<void> {
    const slice = new TimeSlices(SLICE_MS);
    while (this.transfer.discard(batch, PUBLISH_ROWS) > 0) await slice.pause();
  }
}

/** A number of items per slice, adjusted so that a slice takes about `targetMs`. */
class SliceSize {
  count: number;
  constructor(
    private readonly targetMs: number,
    start = 20,
    private readonly min = 1,
    private readonly max = 5000,
  ) {
    this.count = start;
  }

  took(ms: number, items: number): void {
    if (items === 0) return;
    const perItem = Math.max(ms, 0.01) / items;
    // Move halfway towards the count that fits, so one slow slice (a GC) does not swing it far.
    const fits = Math.max(1, Math.floor(this.targetMs / perItem));
    this.count = Math.max(this.min, Math.min(this.max, Math.round((this.count + fits) / 2)));
  }
}

/**
 * Check one batch of parsed rows on this thread (a small file), pausing whenever a slice of the
 * event loop is used up; each slice's rows go to the file as one batch.
 */
async function checkHere(
  checks: RowChecks,
  event: CsvEvent & { kind: "rows" },
  slice: TimeSlices,
  total: number,
  file: CheckedFile,
  opts: ImportOptions,
  streaming: Streaming | undefined,
): Promise<void> {
  for (const row of event.rows) {
    checks.check(row);
    if (slice.over()) {
      file.take(checks.take(event.offset), streaming);
      opts.onProgress?.({ phase: "checking", done: event.offset, total });
      await slice.yield();
    }
  }
  file.take(checks.take(event.offset), streaming);
}

/**
 * Finish or clear the imports a stopped process left (called as the database is opened): a batch
 * still being staged is deleted, one being published is published. Batches of a live process
 * (an import running in the CLI while the server starts) are left alone.
 */
export function finishLeftImports(db: Db, log: (line: string) => void): void {
  const transfer = new ResponseTransferRepository(db);
  for (const b of transfer.openBatches()) {
    if (b.ownerPid !== process.pid && processAlive(b.ownerPid)) continue;
    if (b.state === "publishing") {
      while (transfer.publish(b.id, 10_000) > 0);
      log(`Finished an import that was stopped while its responses were being made visible`);
    } else {
      while (transfer.discard(b.id, 10_000) > 0);
      log(`Removed the stored part of an import that was stopped before it finished`);
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
