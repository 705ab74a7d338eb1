import type { Worker } from "node:worker_threads";
import type { Db } from "../../db/connection.js";
import { startWorker } from "../workers.js";
import type { CheckpointReply, CheckpointRequest } from "./wal-checkpoint-worker.js";

/** SQLite's own default: checkpoint once the log holds this many pages. */
const SQLITE_AUTOCHECKPOINT = 1000;

export interface WalCheckpoints {
  /** Run one checkpoint now; resolves with SQLite's counts (frames in the log, frames copied). */
  checkpoint(): Promise<{ log: number; checkpointed: number }>;
  stop(): Promise<void>;
}

/**
 * Checkpoints for the request loop's connection, in a worker thread.
 *
 * Why: in WAL mode the connection that commits the 1,000th page of the log copies the whole log back
 * into the database file and syncs it to disk, inside that commit. On the request loop that is one
 * resident's answer post every few hundred, holding every other request while the disk syncs (10 to
 * 60 ms each on this machine, measured with 40,000 draft saves: a fifth of the CPU of a save). Here
 * the loop's connection never checkpoints (`wal_autocheckpoint = 0`); a worker with its own
 * connection runs a PASSIVE checkpoint every `everyMs`, which waits for nobody: readers and the
 * writer go on while it copies. Should the worker fail, the loop's connection checkpoints for itself
 * again, as before, so the log never grows without bound.
 *
 * Only a database file has a log to share; an in-memory database (tests) is left as it is.
 */
export function startWalCheckpoints(
  db: Db,
  opts: { everyMs?: number; log?: (line: string) => void } = {},
): WalCheckpoints | undefined {
  if (db.memory || db.name === "" || db.name === ":memory:") return undefined;
  const log = opts.log ?? console.error;
  const worker: Worker = startWorker("wal-checkpoint-worker", import.meta.url, {
    workerData: { path: db.name },
  });
  const waiting: ((reply: CheckpointReply) => void)[] = [];
  let failed = false;
  let inFlight = false;
  db.pragma("wal_autocheckpoint = 0");

  const fail = (err: Error) => {
    if (failed) return;
    failed = true;
    clearInterval(timer);
    db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT}`);
    for (const w of waiting.splice(0)) w({ ok: false, message: err.message });
  };
  worker.on("message", (reply: CheckpointReply) => waiting.shift()?.(reply));
  worker.on("error", (err) => {
    log(`The checkpoint worker failed (${err.message}): the server checkpoints on its own connection again.`);
    fail(err);
  });
  worker.on("exit", () => fail(new Error("The checkpoint worker stopped")));
  worker.unref();

  const checkpoint = (): Promise<{ log: number; checkpointed: number }> => {
    if (failed) return Promise.reject(new Error("The checkpoint worker has stopped"));
    return new Promise((resolve, reject) => {
      waiting.push((reply) =>
        reply.ok
          ? resolve({ log: reply.log, checkpointed: reply.checkpointed })
          : reject(new Error(reply.message)),
      );
      worker.postMessage({ kind: "checkpoint" } satisfies CheckpointRequest);
    });
  };
  const timer = setInterval(() => {
    if (inFlight || failed) return;
    inFlight = true;
    checkpoint()
      .catch(() => undefined)
      .finally(() => {
        inFlight = false;
      });
  }, opts.everyMs ?? 1000);
  timer.unref();

  return {
    checkpoint,
    async stop() {
      clearInterval(timer);
      if (failed) return;
      failed = true;
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage({ kind: "close" } satisfies CheckpointRequest);
      await exited;
      db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT}`);
    },
  };
}
