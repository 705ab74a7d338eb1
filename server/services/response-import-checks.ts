import { createHash } from "node:crypto";
import { pruneHiddenAnswers } from "../../analysis/answers.js";
import { firstIncompletePage } from "../../analysis/completeness.js";
import type { Condition, ConsultationDefinition } from "../../analysis/definition.js";
import type { Catalog } from "../../db/consultations.js";
import { type Channel, toAnswerRows } from "../../db/responses.js";
import type { CsvRow } from "./csv-rows.js";
import { templateNotes } from "./import-template.js";
import { type PendingData, PendingResponses } from "./pending-responses.js";
import { REFERENCE_PATTERN } from "./references.js";
import {
  type Binding,
  bindHeadings,
  type ImportError,
  questionColumn,
  readAnswers,
  unneutralise,
} from "./response-import-rows.js";
import { parseTime } from "./response-import-text.js";

/**
 * The checks of an imported file's rows that need nothing but the file and the consultation (its
 * definition and the ids of its items and options): everything except the look-ups in the
 * database. They run in the CSV worker thread beside the parser for a large file
 * (csv-rows-worker.ts), so the request loop never spends its time on them (issue 8: checking a
 * 50 MB upload took a quarter of the loop while other residents waited), and on the calling thread
 * for a small one. What they find is posted as CheckedRows: the errors by line, and the good rows
 * packed ready to store; the importer then does the database look-ups (references and import keys
 * stored before) and keeps or refuses the file as a whole (response-import.ts).
 */

const CHANNELS: readonly string[] = ["online", "paper", "email", "event"];

/** The report keeps this many errors; errorCount says how many there were. */
export const MAX_REPORTED_ERRORS = 1000;

/** What the checks need to know, as plain data (it is posted to the worker). */
export interface CheckContext {
  definition: ConsultationDefinition;
  catalog: Catalog;
  /** The channel of rows with no channel column or a blank channel cell. */
  defaultChannel: Channel;
  /** The time given to rows with no time of their own (ISO 8601). */
  now: string;
}

/** A reference the file gives, well formed and on no earlier line: the database decides the rest. */
export interface GivenReference {
  line: number;
  reference: string;
  /** The row's index among this batch's good rows, or -1 when the row had an error. */
  index: number;
}

/** One batch of checked rows. */
export interface CheckedRows {
  kind: "checked";
  /** Set in the batch that read the heading row. */
  headed?: {
    /** Questions with no column in the file: unanswered in every row. */
    absent: { id: string; text: string }[];
    /** The reference column's heading ("" when there is none). */
    referenceHeading: string;
  };
  /** The rows with no error, while the file has none so far (after the first error none is kept). */
  good: PendingData;
  /** For each good row: its line in the file, and whether it leaves a required question unanswered. */
  lines: number[];
  incomplete: boolean[];
  references: GivenReference[];
  /** Errors in these rows, in line order (as many as MAX_REPORTED_ERRORS leaves room for). */
  errors: ImportError[];
  errorCount: number;
  /** How far into the text (in characters) these rows end. */
  offset: number;
}

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

export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Checks rows one at a time, collecting a batch of CheckedRows until `take` is called. */
export class RowChecks {
  /** Set from the file's "start" event: rows without a reference are keyed by it and their line. */
  fileHash = "";
  private binding: Binding | undefined;
  private firstRow = true;
  private readonly hidden: Map<string, Condition>;
  private readonly seenReferences = new Map<string, number>(); // reference -> line
  private errorsSoFar = 0;
  private reportedSoFar = 0;
  private batch = this.emptyBatch();
  private good = new PendingResponses();

  constructor(private readonly context: CheckContext) {
    this.hidden = conditions(context.definition);
  }

  private emptyBatch(): CheckedRows {
    return {
      kind: "checked",
      good: new PendingResponses().toData(),
      lines: [],
      incomplete: [],
      references: [],
      errors: [],
      errorCount: 0,
      offset: 0,
    };
  }

  private report(e: ImportError): void {
    this.errorsSoFar++;
    this.batch.errorCount++;
    if (this.reportedSoFar < MAX_REPORTED_ERRORS) {
      this.reportedSoFar++;
      this.batch.errors.push(e);
    }
  }

  /** The rows checked since the last call, ending at `offset` in the text. */
  take(offset: number): CheckedRows {
    const batch = this.batch;
    batch.good = this.good.toData();
    batch.offset = offset;
    this.batch = this.emptyBatch();
    this.good = new PendingResponses();
    return batch;
  }

  /** Check one parsed row (the first is the heading row): its parser problems, then its values. */
  check(row: CsvRow): void {
    const { cells, line } = row;
    for (const p of row.problems)
      this.report({
        line,
        column: p.col < 0 ? "" : (this.binding?.headings[p.col] ?? `(column ${p.col + 1})`),
        reason: p.reason,
      });
    const def = this.context.definition;
    if (!this.binding) {
      const bound = bindHeadings(def, cells, line);
      this.binding = bound.binding;
      this.batch.headed = {
        absent: bound.binding.absent,
        referenceHeading: bound.binding.headings[bound.binding.reference] ?? "",
      };
      for (const e of bound.errors) this.report(e);
      if (bound.errors.some((e) => /[;\t]/.test(e.column)))
        this.report({ line, column: "", reason: "Save the file as CSV with commas between values" });
      return;
    }
    const b = this.binding;
    if (this.firstRow) {
      this.firstRow = false;
      // The notes row of a template (import --template), left in: not a response.
      const notes = templateNotes(def);
      const name = (i: number) => b.names[i] ?? "";
      if (
        cells.some((c) => c !== "") &&
        cells.every((c, i) => c === "" || notes.get(name(i)) === unneutralise(c))
      )
        return;
    }
    const fail = (col: number, reason: string) =>
      this.report({ line, column: col < 0 ? "" : (b.headings[col] ?? `(column ${col + 1})`), reason });
    const before = this.errorsSoFar;
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
    if (answered.length === 0 && this.errorsSoFar === before) fail(-1, "This row has no answers");

    const channelCell = b.channel >= 0 ? (cells[b.channel] ?? "").trim().toLowerCase() : "";
    const channel = channelCell || this.context.defaultChannel;
    if (!CHANNELS.includes(channel)) fail(b.channel, "Enter paper, email, event or online");
    const timeCell = b.submittedAt >= 0 ? (cells[b.submittedAt] ?? "").trim() : "";
    const time = timeCell === "" ? undefined : parseTime(timeCell);
    if (timeCell !== "" && !time)
      fail(b.submittedAt, "Enter the time as 2025-03-14T10:30:00Z or 14/03/2025 10:30");

    const reference = b.reference >= 0 ? (cells[b.reference] ?? "").trim().toUpperCase() : "";
    let given: GivenReference | undefined;
    if (reference !== "") {
      const earlier = this.seenReferences.get(reference);
      if (!REFERENCE_PATTERN.test(reference))
        fail(b.reference, "Enter a reference like SND-7F3K-9Q2M, or leave it blank for a new one");
      else if (earlier !== undefined) fail(b.reference, `This reference is also on line ${earlier}`);
      else {
        given = { line, reference, index: -1 };
        this.batch.references.push(given);
      }
      this.seenReferences.set(reference, line);
    }
    if (this.errorsSoFar > 0) return; // a bad file stores nothing: only keep finding its errors
    if (given) given.index = this.batch.lines.length;
    this.batch.lines.push(line);
    this.batch.incomplete.push(firstIncompletePage(def, kept) !== undefined);
    this.good.add(
      reference,
      channel as Channel,
      time ?? this.context.now,
      reference !== "" ? reference : sha256(`${this.fileHash}:${line}`),
      sha256(JSON.stringify([kept, time ?? null])),
      toAnswerRows(this.context.catalog, kept),
    );
  }
}
