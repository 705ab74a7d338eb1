import { startWorker } from "../workers.js";
import { type CsvEvent, readCsv } from "./csv-rows.js";

/**
 * Files up to this size are read on the calling thread (about 5 ms of work); larger ones in a
 * worker thread, so that decoding, hashing and parsing a 50 MB upload never holds the event loop.
 */
export const INLINE_BYTES = 1024 * 1024;
const IN_FLIGHT = 2;

/** The events of readCsv for this file, as they come: from a worker for a large file. */
export async function* csvEvents(bytes: Uint8Array, inlineBytes = INLINE_BYTES): AsyncGenerator<CsvEvent> {
  if (bytes.byteLength <= inlineBytes) {
    const events: CsvEvent[] = [];
    readCsv(bytes, (e) => events.push(e));
    yield* events;
    return;
  }
  const queue: CsvEvent[] = [];
  let failure: Error | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  const copy = new Uint8Array(bytes); // a copy for the worker to own: the caller may use its bytes again
  // Batches the worker may send ahead of the ones checked (see csv-rows-worker.ts).
  const credits = new Int32Array(new SharedArrayBuffer(4));
  credits[0] = IN_FLIGHT;
  const worker = startWorker("csv-rows-worker", import.meta.url, {
    workerData: { bytes: copy, credits },
    transferList: [copy.buffer as ArrayBuffer],
  });
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on("message", (e: CsvEvent) => {
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
        if (next.kind === "rows") {
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
