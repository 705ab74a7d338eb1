import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../../db/connection.js";
import { type ImportedResponse, ResponseTransferRepository } from "../../db/response-transfer.js";

/**
 * Worker thread: writes an import batch's checked responses through its own connection to the
 * database file (see import-writer.ts for why). Each message is one transaction; the reply says how
 * long it held the database, or why it failed. A "close" message closes the connection and ends.
 */
export type WriterRequest =
  | { kind: "stage"; batch: number; responses: ImportedResponse[] }
  | { kind: "close" };
export type WriterReply = { ok: true; ms: number } | { ok: false; message: string };

const { path } = workerData as { path: string };
const db = openDatabase(path);
const transfer = new ResponseTransferRepository(db);

parentPort?.on("message", (m: WriterRequest) => {
  if (m.kind === "close") {
    db.close();
    parentPort?.close();
    return;
  }
  const started = performance.now();
  try {
    transfer.stage(m.batch, (store) => {
      for (const r of m.responses) store(r);
    });
    parentPort?.postMessage({ ok: true, ms: performance.now() - started } satisfies WriterReply);
  } catch (err) {
    parentPort?.postMessage({ ok: false, message: String(err) } satisfies WriterReply);
  }
});
