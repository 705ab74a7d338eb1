import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../../db/connection.js";

/**
 * Worker thread: copies the write-ahead log back into the database file for the request loop's
 * connection (see wal-checkpoint.ts for why). Each "checkpoint" message runs one PASSIVE
 * checkpoint, which never waits for a reader or a writer, and replies with SQLite's counts.
 */
export type CheckpointRequest = { kind: "checkpoint" } | { kind: "close" };
export type CheckpointReply =
  | { ok: true; busy: number; log: number; checkpointed: number }
  | { ok: false; message: string };

const { path } = workerData as { path: string };
const db = openDatabase(path);
// This connection never writes, so it would never checkpoint by itself; say so anyway.
db.pragma("wal_autocheckpoint = 0");

parentPort?.on("message", (m: CheckpointRequest) => {
  if (m.kind === "close") {
    db.close();
    parentPort?.close();
    return;
  }
  try {
    const [row] = db.pragma("wal_checkpoint(PASSIVE)") as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    parentPort?.postMessage({
      ok: true,
      busy: row?.busy ?? 0,
      log: row?.log ?? 0,
      checkpointed: row?.checkpointed ?? 0,
    } satisfies CheckpointReply);
  } catch (err) {
    parentPort?.postMessage({ ok: false, message: String(err) } satisfies CheckpointReply);
  }
});
