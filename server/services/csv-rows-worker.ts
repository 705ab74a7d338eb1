import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { type CsvEvent, openCsv, parseCsv } from "./csv-rows.js";
import { type CheckContext, type CheckedRows, RowChecks } from "./response-import-checks.js";

/**
 * Worker thread: decode, hash and parse one uploaded file and, given a CheckContext, check its rows
 * too (response-import-checks.ts), posting them in batches. It waits for a credit before each batch
 * (csv-rows-source.ts gives one back per batch it has taken), so a fast parser never piles the whole
 * file up as row objects on the receiving thread, where every queued row would survive garbage
 * collection after garbage collection.
 */
const given = workerData as {
  /** The file's bytes, or (undefined) the file to read here, off the request loop. */
  bytes?: Uint8Array;
  path?: string;
  credits: Int32Array;
  check?: CheckContext;
};
const { credits, check } = given;
// Decoded and hashed, the bytes are let go before parsing (no reference to them is kept here).
const opened = openCsv(given.bytes ?? readFileSync(given.path ?? ""));
given.bytes = undefined;
const checks = check ? new RowChecks(check) : undefined;

const post = (event: CsvEvent | CheckedRows) => {
  if (event.kind === "rows" || event.kind === "checked") {
    while (Atomics.load(credits, 0) <= 0) Atomics.wait(credits, 0, Atomics.load(credits, 0), 1000);
    Atomics.sub(credits, 0, 1);
  }
  parentPort?.postMessage(event);
};

const onEvent = (event: CsvEvent) => {
  if (!checks) return post(event);
  if (event.kind === "start") checks.fileHash = event.fileHash;
  if (event.kind !== "rows") return post(event);
  for (const row of event.rows) checks.check(row);
  post(checks.take(event.offset));
};
parseCsv(opened, onEvent);
