import { startWorker } from "../workers.js";
import { type CsvEvent, readCsv } from "./csv-rows.js";
import type { CheckContext, CheckedRows } from "./response-import-checks.js";

/**
 * Files up to this size are read on the calling thread (about 5 ms of work); larger ones in a
 * worker thread, so that decoding, hashing and parsing a 50 MB upload never holds the event loop.
 */
export const INLINE_BYTES = 1024 * 1024;
const IN_FLIGHT = 2;

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
 * The events of readCsv for this file, as they come: from a worker for a large file. Bytes in a
 * SharedArrayBuffer must stay as they are until the events end (the worker reads them in place).
 */
export async function* csvEvents(
  bytes: Uint8Array,
  opts: CsvSourceOptions = {},
): AsyncGenerator<CsvEvent | CheckedRows> {
  if (bytes.byteLength <= (opts.inlineBytes ?? INLINE_BYTES)) {
    const events: CsvEvent[] = [];
    readCsv(bytes, (e) => events.push(e));
    yield* events;
    return;
  }
  const queue: (CsvEvent | CheckedRows)[] = [];
  let failure: Error | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  // Bytes in shared memory (an upload, see shared-storage.ts) are read there as they are: copying
  // 50 MB held the request loop for a quarter of a second. Others are copied for the worker to own,
  // since the caller may use its bytes again.
  const shared = bytes.buffer instanceof SharedArrayBuffer;
  const given = shared ? bytes : new Uint8Array(bytes);
  // Batches the worker may send ahead of the ones taken (see csv-rows-worker.ts).
  const credits = new Int32Array(new SharedArrayBuffer(4));
  credits[0] = IN_FLIGHT;
  const worker = startWorker("csv-rows-worker", import.meta.url, {
    workerData: { bytes: given, credits, check: opts.check },
    transferList: shared ? [] : [given.buffer as ArrayBuffer],
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
