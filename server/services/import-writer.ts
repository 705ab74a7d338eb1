import type { Worker } from "node:worker_threads";
import { type Db, databaseFile } from "../../db/connection.js";
import type { StagedChunk } from "../../db/import-staging.js";
import { startWorker } from "../workers.js";
import type { WriterReply, WriterRequest, WriterSizing } from "./import-writer-worker.js";

/** What a message to the writer did: how long it held the database, how many responses to send next. */
export interface Moved {
  ms: number;
  next: number;
}

/**
 * Writes an import batch's responses in a worker thread with its own connection to the file.
 *
 * Why: every commit rewrites each index page the transaction touched, and the answers index by
 * (item, option, response) is touched at one page per item and option whatever the transaction's
 * size, so small transactions cost several times the work of large ones (measured for 10,000
 * responses: 2,000 answers a transaction took 2.6 s of CPU, 17,000 answers 1.4 s, one transaction
 * 0.9 s). On the request loop a transaction must stay within a slice of ~15 ms, i.e. small. Here
 * it can be larger: the loop is never held, readers never wait (WAL), and a writer on the request
 * loop (an answer post) waits at most one transaction, which the caller keeps to TRANSACTION_MS.
 *
 * An in-memory database (tests) cannot be opened from another thread: the caller stores on its
 * own thread then (see ResponseImporter.store).
 */
export class ImportWriter {
  private readonly worker: Worker;
  private readonly waiting: ((reply: WriterReply) => void)[] = [];
  private failure: Error | undefined;

  constructor(path: string, sizing: WriterSizing) {
    this.worker = startWorker("import-writer-worker", import.meta.url, {
      workerData: { path, ...sizing },
    });
    this.worker.on("message", (reply: WriterReply) => this.waiting.shift()?.(reply));
    const fail = (err: Error) => {
      this.failure ??= err;
      for (const w of this.waiting.splice(0)) w({ ok: false, message: err.message });
    };
    this.worker.on("error", fail);
    this.worker.on("exit", () => fail(new Error("The import writer stopped")));
  }

  /** Whether a database can be written from a worker (a file, not an in-memory database). */
  static canWrite(db: Db): boolean {
    return databaseFile(db) !== undefined;
  }

  /**
   * Stage these responses of the batch (a copy goes to the worker); once enough are staged, the
   * worker moves them into the database in one write transaction. Resolves with how long that
   * transaction held the database, in ms (0: none was needed yet), and how many responses to send
   * next.
   */
  stage(consultationId: number, batch: number, chunk: StagedChunk): Promise<Moved> {
    return this.send({ kind: "stage", consultationId, batch, chunk });
  }

  /** Store the response staged or stored under reference `from` under `to` instead. */
  rename(consultationId: number, batch: number, from: string, to: string): Promise<Moved> {
    return this.send({ kind: "rename", consultationId, batch, from, to });
  }

  /** Move whatever is still staged into the database; resolves as stage does. */
  flush(consultationId: number, batch: number): Promise<Moved> {
    return this.send({ kind: "flush", consultationId, batch });
  }

  /**
   * Make up to `limit` of the batch's responses visible, in one transaction; resolves with how long
   * it held the database and how many it made visible (0: the batch is all published).
   */
  async publish(batch: number, limit: number): Promise<{ ms: number; published: number }> {
    const { ms, next } = await this.send({ kind: "publish", batch, limit });
    return { ms, published: next };
  }

  private send(request: WriterRequest): Promise<Moved> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push((reply) =>
        reply.ok ? resolve({ ms: reply.ms, next: reply.next }) : reject(new Error(reply.message)),
      );
      this.worker.postMessage(request);
    });
  }

  /** Close the worker's connection and let the thread end. */
  async close(): Promise<void> {
    if (this.failure) {
      await this.worker.terminate();
      return;
    }
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.postMessage({ kind: "close" } satisfies WriterRequest);
    await exited;
  }
}
