import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import Papa from "papaparse";
import { LineCounter } from "./response-import-text.js";

/**
 * Reading an uploaded CSV into rows: decoding, hashing and parsing, with no knowledge of any
 * consultation. It runs in a worker thread for large files (csv-rows-source.ts), so it only takes
 * and gives plain data.
 */

/** Longer than any answer a definition allows (text is at most 10,000 characters). */
export const MAX_CELL_LENGTH = 50_000;
/** Rows and characters per message to the checking thread: small enough to read in a few ms. */
const BATCH_ROWS = 1000;
const BATCH_CHARS = 512 * 1024;

export interface CsvProblem {
  /** The cell's index in the row, or -1 for the whole line. */
  col: number;
  reason: string;
}

export interface CsvRow {
  /** The line the row starts on, as a text editor numbers it. */
  line: number;
  cells: string[];
  problems: CsvProblem[];
}

export type CsvEvent =
  | { kind: "start"; fileHash: string; chars: number }
  /** offset: how far into the text (in characters) these rows end */
  | { kind: "rows"; rows: CsvRow[]; offset: number }
  | { kind: "refused"; reason: string }
  | { kind: "end"; blankRows: number };

/** Why a file cannot be read as UTF-8, or undefined when it can. */
export function encodingProblem(bytes: Uint8Array): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return 'The file is saved as UTF-16 ("Unicode text"). Save it as "CSV UTF-8 (Comma delimited)" and try again.';
  if (!isUtf8(bytes))
    return (
      'The file is not UTF-8: it may be saved as "CSV (Comma delimited)", which uses another encoding ' +
      '(such as Windows-1252). Save it as "CSV UTF-8 (Comma delimited)" and try again.'
    );
  return undefined;
}

/** Decode a file as UTF-8 (dropping a byte order mark), or say why it cannot be read. */
export function decodeCsv(bytes: Uint8Array): { text: string } | { error: string } {
  const error = encodingProblem(bytes);
  if (error) return { error };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** The hash that, with a line number, keys a row without a reference (the same file adds nothing). */
export const fileHashOf = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Read a whole file, calling `emit` with its hash, its rows in batches, then the end (or a refusal). */
export function readCsv(bytes: Uint8Array, emit: (event: CsvEvent) => void): void {
  parseCsv(openCsv(bytes), emit);
}

/**
 * A file decoded and hashed, or why it cannot be read: all that parsing needs, so that the caller
 * can let the bytes go first (the CSV worker does: a 55 MB file is 55 MB less held while it parses).
 */
export function openCsv(bytes: Uint8Array): { text: string; fileHash: string } | { error: string } {
  const decoded = decodeCsv(bytes);
  if ("error" in decoded) return decoded;
  return { text: decoded.text, fileHash: fileHashOf(bytes) };
}

/** Parse an opened file: its hash, its rows in batches, then the end (or the refusal openCsv gave). */
export function parseCsv(opened: ReturnType<typeof openCsv>, emit: (event: CsvEvent) => void): void {
  if ("error" in opened) {
    emit({ kind: "refused", reason: opened.error });
    return;
  }
  const text = opened.text;
  emit({ kind: "start", fileHash: opened.fileHash, chars: text.length });
  let lines: LineCounter | undefined;
  let cursor = 0;
  let blankRows = 0;
  let batch: CsvRow[] = [];
  let chars = 0;
  Papa.parse<string[]>(text, {
    delimiter: ",",
    step: (result) => {
      lines ??= new LineCounter(text, result.meta.linebreak === "\r" ? "\r" : "\n");
      const line = lines.at(cursor);
      const start = cursor;
      cursor = result.meta.cursor;
      const problems: CsvProblem[] = result.errors.map((e) => ({
        col: -1,
        reason:
          e.code === "MissingQuotes"
            ? 'A quoted value is not closed: check for a stray " on this line'
            : `The line cannot be read as CSV: ${e.message}`,
      }));
      const cells = result.data;
      if (problems.length === 0 && cells.every((c) => c.trim() === "")) {
        // The empty "row" after the file's last line break is not a row anyone left blank.
        if (start < text.length) blankRows++;
        return;
      }
      cells.forEach((c, col) => {
        if (c.length <= MAX_CELL_LENGTH) return;
        problems.push({
          col,
          reason: `This value is ${c.length.toLocaleString("en-GB")} characters long: no answer can be`,
        });
        cells[col] = "";
      });
      batch.push({ line, cells, problems });
      chars += cursor - start;
      if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) {
        emit({ kind: "rows", rows: batch, offset: cursor });
        batch = [];
        chars = 0;
      }
    },
  });
  if (batch.length > 0) emit({ kind: "rows", rows: batch, offset: cursor });
  emit({ kind: "end", blankRows });
}
