import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../../db/connection.js";
import { ImportStaging, type StagedChunk } from "../../db/import-staging.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";

/**
 * Worker thread: writes an import batch's checked responses through its own connection to the
 * database file (see import-writer.ts for why). Each chunk is first written to the connection's
 * staging tables, which locks nothing; once enough are staged for a write transaction of about
 * `transactionMs`, they are moved into the database in one (db/import-staging.ts). A "flush" moves
 * what is left. Each reply says how long the write lock was held (0: nothing was moved) and how
 * many responses to send next, or why it failed. At most one transaction is made per message: the
 * importer sends the next only after a turn of the request loop, so an answer post waiting there
 * for the lock gets it before the writer takes it again. A "publish" makes some of the batch's
 * responses visible, in one transaction. A "close" message closes the connection and ends the thread.
 */
export type WriterRequest =
  | { kind: "stage"; consultationId: number; batch: number; chunk: StagedChunk }
  | { kind: "flush"; consultationId: number; batch: number }
  | { kind: "publish"; batch: number; limit: number }
  | { kind: "rename"; consultationId: number; batch: number; from: string; to: string }
  | { kind: "close" };
/**
 * `next`: how many responses the next chunk should have, to be moved in one transaction; for a
 * "publish", how many responses it made visible (0: the batch is all published and gone).
 */
export type WriterReply = { ok: true; ms: number; next: number } | { ok: false; message: string };

export interface WriterSizing {
  /** How long one write transaction should hold the database, in ms... */
  transactionMs: number;
  /** ...with at least and at most this many responses. */
  minMove: number;
  maxMove: number;
  /** Responses moved between two copies of the write-ahead log into the database file. */
  checkpointResponses: number;
}

const { path, transactionMs, minMove, maxMove, checkpointResponses } = workerData as {
  path: string;
} & WriterSizing;
const db = openDatabase(path);
// This thread copies the log back itself, every checkpointResponses, not after every commit.
db.pragma("wal_autocheckpoint = 0");
const staging = new ImportStaging(db);
const transfer = new ResponseTransferRepository(db);
/** Responses moved per write transaction: sized from the last ones to hold the lock ~transactionMs. */
let moveAt = minMove;
let sinceCheckpoint = 0;

function move(consultationId: number, batch: number, last: boolean): number {
  const n = staging.count;
  const ms = staging.move(consultationId, batch);
  if (n > 0) {
    const fits = Math.floor(transactionMs / (Math.max(ms, 0.01) / n));
    // Halfway towards what fits, so that one slow transaction (a GC, a busy machine) swings it little.
    moveAt = Math.max(minMove, Math.min(maxMove, Math.round((moveAt + fits) / 2)));
  }
  sinceCheckpoint += n;
  if (last || sinceCheckpoint >= checkpointResponses) {
    // PASSIVE: copies what no reader still needs, and never waits for, or blocks, anyone.
    db.pragma("wal_checkpoint(PASSIVE)");
    sinceCheckpoint = 0;
  }
  return ms;
}

parentPort?.on("message", (m: WriterRequest) => {
  if (m.kind === "close") {
    db.close();
    parentPort?.close();
    return;
  }
  try {
    let ms = 0;
    if (m.kind === "publish") {
      // Publishing (each response made visible fires the response_events trigger) is done here
      // too: on the request loop it was 0.75 s of work for 90,000 responses (issue 8).
      const started = performance.now();
      const published = transfer.publish(m.batch, m.limit);
      if (published === 0) db.pragma("wal_checkpoint(PASSIVE)");
      parentPort?.postMessage({
        ok: true,
        ms: performance.now() - started,
        next: published,
      } satisfies WriterReply);
      return;
    }
    if (m.kind === "stage") {
      staging.add(m.chunk);
      if (staging.count >= moveAt) ms = move(m.consultationId, m.batch, false);
    } else if (m.kind === "rename") staging.rename(m.batch, m.from, m.to);
    else ms = move(m.consultationId, m.batch, true);
    parentPort?.postMessage({ ok: true, ms, next: moveAt } satisfies WriterReply);
  } catch (err) {
    try {
      staging.clear();
    } catch {
      // The connection is unusable: the reply below says why, and the importer discards the batch.
    }
    parentPort?.postMessage({ ok: false, message: String(err) } satisfies WriterReply);
  }
});
