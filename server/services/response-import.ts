import { createHash } from "node:crypto";
import { pruneHiddenAnswers } from "../../analysis/answers.js";
import { firstIncompletePage } from "../../analysis/completeness.js";
import type { Condition, ConsultationDefinition } from "../../analysis/definition.js";
import type { Db } from "../../db/connection.js";
import type { Catalog, ConsultationRepository, ConsultationRow } from "../../db/consultations.js";
import { type ImportedResponse, ResponseTransferRepository } from "../../db/response-transfer.js";
import { type Channel, toAnswerRows } from "../../db/responses.js";
import type { CsvEvent } from "./csv-rows.js";
import { csvEvents } from "./csv-rows-source.js";
import { templateNotes } from "./import-template.js";
import { ImportWriter } from "./import-writer.js";
import { PendingResponses } from "./pending-responses.js";
import { newReference, REFERENCE_PATTERN } from "./references.js";
import {
  type Binding,
  bindHeadings,
  type ImportError,
  questionColumn,
  readAnswers,
  unneutralise,
} from "./response-import-rows.js";
import { parseTime } from "./response-import-text.js";
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
 * - The event loop stays free: a large file is decoded and parsed in a worker thread, rows are
 *   checked and stored in slices of a few milliseconds, and storing goes through an import batch
 *   (db/response-transfer.ts, migration 0007) whose rows stay invisible until all are written.
 */

export const IMPORT_CHANNELS = ["paper", "email", "event"] as const;
export type ImportChannel = (typeof IMPORT_CHANNELS)[number];
const CHANNELS: readonly string[] = ["online", ...IMPORT_CHANNELS];

/** The report keeps this many errors; errorCount says how many there were. */
export const MAX_REPORTED_ERRORS = 1000;
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
/** Imports of at least this many responses into a database file are written by the import writer. */
const WRITER_MIN_RESPONSES = 1000;
/**
 * How long one of the import writer's transactions should take: an answer post arriving meanwhile
 * waits for it (as a synchronous lock wait on the request loop), so it stays well under 100 ms. At
 * 50 ms, with at least 200 responses a transaction, posts waited up to 1.3 s on a machine with a
 * load of 20 on 2 cores (every transaction stretched); this keeps those waits a few times shorter.
 */
const TRANSACTION_MS = 25;
/**
 * Responses per import writer transaction, at least and at most: with fewer, the commit (one
 * rewrite of every index page touched) costs more than the rows; a busy machine stretches every
 * transaction's time, and the floor keeps an import from crawling then.
 */
const WRITER_MIN_CHUNK = 50;
const WRITER_MAX_CHUNK = 2000;

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

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Checks rows one at a time and keeps the good ones, compactly, until the whole file is known good. */
class RowChecker {
  readonly pending = new PendingResponses();
  /** The file line of each pending response, and the reference of an earlier one it repeats. */
  readonly lines: number[] = [];
  readonly sameAs = new Map<number, string>();
  readonly errors: ImportError[] = [];
  errorCount = 0;
  skipped = 0;
  incomplete = 0;
  fileHash = "";
  private binding: Binding | undefined;
  private firstRow = true;
  private readonly hidden: Map<string, Condition>;
  private readonly seenReferences = new Map<string, number>(); // reference -> line
  /** Nothing was imported before: no key or content hash can be taken, so none is looked up. */
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

  get headed(): Binding | undefined {
    return this.binding;
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
    if (this.firstRow) {
      this.firstRow = false;
      // The notes row of a template (import --template), left in: not a response.
      const notes = templateNotes(this.row.definition);
      const name = (i: number) => b.names[i] ?? "";
      if (
        cells.some((c) => c !== "") &&
        cells.every((c, i) => c === "" || notes.get(name(i)) === unneutralise(c))
      )
        return;
    }
    const fail = (col: number, reason: string) =>
      this.report({ line, column: col < 0 ? "" : (b.headings[col] ?? `(column ${col + 1})`), reason });
    const before = this.errorCount;
    // A short row would shift nothing but silently leave its last questions blank: say so.
    if (cells.length < b.width)
      fail(
        -1,
        `This line has ${cells.length} values but the heading row has ${b.width}: add the missing commas`,
      );
    for (let i = 0; i < cells.length; i++) {
      const c = unneutralise(cells[i] ?? "");
      cells[i] = c;
      // A lookup per cell, not a search of the blank headings (#8: 20,000 blank columns took 14.7 s).
      if ((i >= b.headings.length || b.unnamed[i]) && c.trim() !== "")
        fail(i, "This value has no heading: add one, or delete the value");
    }
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
    const contentHash = sha256(JSON.stringify([kept, time ?? null]));
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
      key = sha256(`${this.fileHash}:${line}`);
      duplicate = !this.firstImport && this.transfer.hasImportKey(this.row.id, key);
    }
    if (this.errorCount > 0) return; // a bad file stores nothing: only keep finding its errors
    if (duplicate) {
      this.skipped++;
      return;
    }
    if (reference === "" && !this.firstImport) {
      const same = this.transfer.sameContent(this.row.id, contentHash);
      if (same !== undefined) this.sameAs.set(this.pending.length, same);
    }
    if (firstIncompletePage(def, kept) !== undefined) this.incomplete++;
    this.lines.push(line);
    this.pending.add(
      reference,
      channel as Channel,
      time ?? this.now,
      key,
      contentHash,
      toAnswerRows(this.catalog, kept),
    );
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
  ) {
    this.transfer = new ResponseTransferRepository(db);
    this.path = ImportWriter.canWrite(db) ? db.name : undefined;
  }

  /** Check a whole file, then store all of it or none of it. */
  importCsv(row: ConsultationRow, bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportResult> {
    const run = this.queue.then(() => this.importNow(row, bytes, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async importNow(
    row: ConsultationRow,
    bytes: Uint8Array,
    opts: ImportOptions,
  ): Promise<ImportResult> {
    const lastId = this.transfer.lastResponseId();
    const checker = new RowChecker(
      row,
      this.consultations.catalog(row.id),
      this.transfer,
      opts.channel ?? "paper",
      this.clock().toISOString(),
    );
    let blankRows = 0;
    let chars = 0;
    const slice = new TimeSlices(SLICE_MS);
    for await (const event of csvEvents(bytes)) {
      if (event.kind === "refused") return refused([{ line: 1, column: "", reason: event.reason }]);
      if (event.kind === "start") {
        checker.fileHash = event.fileHash;
        chars = event.chars;
      }
      if (event.kind === "end") blankRows = event.blankRows;
      if (event.kind === "rows") await checkRows(checker, event, slice, chars, opts);
    }
    opts.onProgress?.({ phase: "checking", done: chars, total: chars });
    const binding = checker.headed;
    if (!binding) checker.report({ line: 1, column: "", reason: "The file is empty" });
    if (checker.errorCount > 0 || !binding) return refused(checker.errors, checker.errorCount);
    // When another response arrived while the file was checked, look for duplicates again.
    const recheck = this.transfer.lastResponseId() !== lastId;
    const stored = await this.store(row, checker, recheck, opts);
    const possibleDuplicates: PossibleDuplicate[] = [];
    for (const [index, matches] of checker.sameAs) {
      const reference = stored.references[index];
      if (reference && possibleDuplicates.length < MAX_REPORTED_DUPLICATES)
        possibleDuplicates.push({ line: checker.lines[index] ?? 0, reference, matches });
    }
    return {
      imported: stored.imported,
      skippedDuplicates: checker.skipped + stored.skipped,
      incomplete: checker.incomplete,
      blankRows,
      unanswered: binding.absent,
      possibleDuplicates,
      possibleDuplicateCount: [...checker.sameAs.keys()].filter((i) => stored.references[i]).length,
      errors: [],
      errorCount: 0,
    };
  }

  /**
   * Write the checked rows as an import batch, a slice of a few milliseconds at a time, then make
   * them visible. Until publishing starts, any failure deletes what was staged; once it has started
   * the file counts as accepted, and a crash is finished at the next start (finishLeftImports).
   */
  private async store(row: ConsultationRow, checker: RowChecker, recheck: boolean, opts: ImportOptions) {
    const pending = checker.pending;
    let imported = 0;
    let skipped = 0;
    const references: string[] = new Array(pending.length);
    const inFile = new Set<string>();
    for (let i = 0; i < pending.length; i++) inFile.add(pending.reference(i));
    const taken = (reference: string) =>
      inFile.has(reference) || this.transfer.referenceOwner(reference) !== undefined;
    /** The response to store for pending row i, with its reference; undefined when it is skipped. */
    const toStore = (i: number): ImportedResponse | undefined => {
      const r = pending.get(i);
      const stored = r.reference !== "" && this.transfer.referenceOwner(r.reference) !== undefined;
      if (recheck && (stored || this.transfer.hasImportKey(row.id, r.key))) {
        skipped++;
        return undefined;
      }
      let reference = r.reference;
      // New references are random: check each against those already stored.
      while (reference === "" || (reference !== r.reference && taken(reference))) reference = newReference();
      // A new reference must not repeat one still to be stored.
      inFile.add(reference);
      references[i] = reference;
      imported++;
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
      if (this.path !== undefined && pending.length >= WRITER_MIN_RESPONSES)
        await this.stageInWorker(this.path, batch, pending.length, toStore, opts);
      else await this.stageHere(batch, pending.length, toStore, opts);
      this.transfer.startPublishing(batch);
    } catch (err) {
      await this.discard(batch);
      throw err;
    }
    const slice = new TimeSlices(SLICE_MS);
    // Publishing: each statement makes some responses visible (with their response_events).
    const publishing = new SliceSize(SLICE_MS / 2, PUBLISH_ROWS);
    for (;;) {
      const started = performance.now();
      const n = this.transfer.publish(batch, publishing.count);
      if (n === 0) break;
      publishing.took(performance.now() - started, n);
      await slice.yield();
    }
    opts.onProgress?.({ phase: "storing", done: pending.length, total: pending.length });
    return { imported, skipped, references };
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

  /**
   * Stage through the import writer (import-writer.ts), one transaction at a time, sized to take
   * about TRANSACTION_MS there. The next chunk is sent only after a turn of this thread's loop: an
   * answer post that found the database locked by the writer has then had its turn, so the writer
   * never holds it for longer than one transaction against a request here.
   */
  private async stageInWorker(
    path: string,
    batch: number,
    total: number,
    toStore: (i: number) => ImportedResponse | undefined,
    opts: ImportOptions,
  ): Promise<void> {
    const writer = new ImportWriter(path);
    const size = new SliceSize(TRANSACTION_MS, WRITER_MIN_CHUNK, WRITER_MIN_CHUNK, WRITER_MAX_CHUNK);
    const slice = new TimeSlices(SLICE_MS);
    try {
      let i = 0;
      while (i < total) {
        const chunk: ImportedResponse[] = [];
        const count = size.count;
        while (i < total && chunk.length < count) {
          const r = toStore(i++);
          if (r) chunk.push(r);
          if (slice.over()) await slice.yield();
        }
        if (chunk.length > 0) size.took(await writer.stage(batch, chunk), chunk.length);
        opts.onProgress?.({ phase: "storing", done: i, total });
        await slice.yield();
      }
    } finally {
      await writer.close();
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

/** Check one batch of parsed rows, pausing whenever a slice of the event loop is used up. */
async function checkRows(
  checker: RowChecker,
  event: CsvEvent & { kind: "rows" },
  slice: TimeSlices,
  total: number,
  opts: ImportOptions,
): Promise<void> {
  for (const row of event.rows) {
    for (const p of row.problems)
      checker.report({
        line: row.line,
        column: p.col < 0 ? "" : (checker.headed?.headings[p.col] ?? `(column ${p.col + 1})`),
        reason: p.reason,
      });
    checker.check(row.cells, row.line);
    if (slice.over()) {
      opts.onProgress?.({ phase: "checking", done: event.offset, total });
      await slice.yield();
    }
  }
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
