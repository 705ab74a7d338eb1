import { readFile } from "node:fs/promises";
import { startWorker } from "../workers.js";
import { type CsvEvent, readCsv } from "./csv-rows.js";
import type { CheckContext, CheckedRows } from "./response-import-checks.js";

/**
 * Files up to this size are read on the calling thread (about 5 ms of work); larger ones in a
 * worker thread, so that decoding, hashing and parsing a 50 MB upload never holds the event loop.
 */
export const INLINE_BYTES = 1024 * 1024;
const IN_FLIGHT = 2;

/**
 * The CSV worker's old-generation heap limit for a file of `bytes`: room for its text at two bytes
 * a character (a file with a curly quote or a euro sign decodes to such a string) and 64 MB more.
 * Without a limit V8 let the worker's heap grow with the garbage of the rows it had parsed: 180 MB
 * for a 27 MB file, half of the import's peak RSS, against 80 MB with one.
 */
export const checkerHeapMb = (bytes: number): number => Math.ceil((2 * bytes) / 2 ** 20) + 64;

export interface CsvSourceOptions {
  /** Files up to this many bytes are read here, in one go (default INLINE_BYTES). */
  inlineBytes?: number;
  /**
   * Check the rows in the worker as well (response-import-checks.ts): a file read there then gives
   * "checked" events instead of "rows". A file read here still gives "rows", for the caller to check.
   */
  check?: CheckContext;
}

/**
 * A file to read: its bytes, or a file on disk (an upload, see temp-upload.ts), which a worker
 * reads itself: reading 50 MB into fresh memory took the request loop about 0.4 s on a shared
 * machine, most of it the first touch of each page (issue 8's responsiveness benchmark).
 */
export type CsvSource = Uint8Array | { path: string; size: number };

/** The events of readCsv for this file, as they come: from a worker for a large file. */
export async function* csvEvents(
  source: CsvSource,
  opts: CsvSourceOptions = {},
): AsyncGenerator<CsvEvent | CheckedRows> {
  const size = source instanceof Uint8Array ? source.byteLength : source.size;
  if (size <= (opts.inlineBytes ?? INLINE_BYTES)) {
    const bytes = source instanceof Uint8Array ? source : await readFile(source.path);
    const events: CsvEvent[] = [];
    readCsv(bytes, (e) => events.push(e));
    yield* events;
    return;
  }
  const queue: (CsvEvent | CheckedRows)[] = [];
  let failure: Error | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  // Bytes are copied for the worker to own (the caller may use its own again); a file it reads.
  const given = source instanceof Uint8Array ? new Uint8Array(source) : undefined;
  // Batches the worker may send ahead of the ones taken (see csv-rows-worker.ts).
  const credits = new Int32Array(new SharedArrayBuffer(4));
  credits[0] = IN_FLIGHT;
  const worker = startWorker("csv-rows-worker", import.meta.url, {
    workerData: {
      bytes: given,
      path: source instanceof Uint8Array ? undefined : source.path,
      credits,
      check: opts.check,
    },
    transferList: given ? [given.buffer as ArrayBuffer] : [],
    resourceLimits: { maxOldGenerationSizeMb: checkerHeapMb(size) },
  });
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on("message", (e: CsvEvent | CheckedRows) => {
    queue.push(e);
    if (e.kind === "end" || e.kind === "refused") finished = true;
    notify();
  });
  worker.on("error", (err) => {
    failure = err;
    notify();
  });
  worker.on("exit", () => {
    if (!finished) failure ??= new Error("The CSV reader stopped before the end of the file");
    finished = true;
    notify();
  });
  try {
    for (;;) {
      const next = queue.shift();
      if (next) {
        yield next;
        if (next.kind === "rows" || next.kind === "checked") {
          Atomics.add(credits, 0, 1);
          Atomics.notify(credits, 0);
        }
        if (next.kind === "end" || next.kind === "refused") return;
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    await worker.terminate();
  }
}
