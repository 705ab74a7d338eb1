import { parentPort, workerData } from "node:worker_threads";
import { readCsv } from "./csv-rows.js";

/**
 * Worker thread: decode, hash and parse one uploaded file, posting its rows in batches. It waits
 * for a credit before each batch (csv-rows-source.ts gives one back per batch it has checked), so
 * a fast parser never piles the whole file up as row objects on the checking thread, where every
 * queued row would survive garbage collection after garbage collection.
 */
const { bytes, credits } = workerData as { bytes: Uint8Array; credits: Int32Array };
readCsv(bytes, (event) => {
  if (event.kind === "rows") {
    while (Atomics.load(credits, 0) <= 0) Atomics.wait(credits, 0, Atomics.load(credits, 0), 1000);
    Atomics.sub(credits, 0, 1);
  }
  parentPort?.postMessage(event);
});
