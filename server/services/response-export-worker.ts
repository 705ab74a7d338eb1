import { Writable } from "node:stream";
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../../db/connection.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { runAtLowPriority } from "../workers.js";
import { writeResponsesCsv } from "./response-export.js";

/**
 * Worker thread: one download of a consultation's raw responses (response-export-offloop.ts says
 * why). It reads through its own connection and posts the CSV as UTF-8 bytes, waiting for a credit
 * before each chunk so that a slow download holds a few chunks in memory, never the whole file.
 */
export type ExportMessage =
  | { kind: "chunk"; bytes: Uint8Array }
  | { kind: "done"; rows: number }
  | { kind: "failed"; message: string };

const { path, slug, labels, credits } = workerData as {
  path: string;
  slug: string;
  labels: boolean;
  credits: Int32Array;
};
const post = (m: ExportMessage, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(m, transfer);
const encoder = new TextEncoder();

/** Hands each chunk to the parent, as bytes of its own (transferred, not copied). */
const toParent = new Writable({
  decodeStrings: false,
  write(chunk: string | Buffer, _enc, done) {
    while (Atomics.load(credits, 0) <= 0) Atomics.wait(credits, 0, Atomics.load(credits, 0), 1000);
    Atomics.sub(credits, 0, 1);
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : new Uint8Array(chunk);
    post({ kind: "chunk", bytes }, [bytes.buffer as ArrayBuffer]);
    done();
  },
});

// A download can wait a moment; the request loop cannot (see runAtLowPriority).
runAtLowPriority();
const db = openDatabase(path);
// One pass over the file: a small page cache keeps this thread's memory flat (as the CLI's export).
db.pragma("cache_size = -8192");
try {
  const consultations = new ConsultationRepository(db);
  const row = consultations.findBySlug(slug);
  if (!row) throw new Error(`No consultation "${slug}"`);
  const rows = await writeResponsesCsv(
    new ResponseTransferRepository(db),
    row,
    consultations.catalog(row.id),
    toParent,
    { labels },
  );
  post({ kind: "done", rows });
} catch (err) {
  post({ kind: "failed", message: String(err) });
} finally {
  db.close();
}
