import type { Writable } from "node:stream";
import { startWorker } from "../workers.js";
import { ExportAbortedError } from "./response-export.js";
import type { ExportMessage } from "./response-export-worker.js";

/** Chunks the worker may post ahead of those written to the download. */
const IN_FLIGHT = 4;

/**
 * A download of every response, built in a worker thread (response-export-worker.ts) with its own
 * connection to the database file: the request loop only passes the bytes on to the socket.
 * Reading the pages and building the CSV in slices on the loop took a third to two fifths of its
 * time while 500,000 responses were exported (issue 8's responsiveness benchmark), and every other
 * resident's request waited behind those slices. Resolves with the number of responses; rejects
 * with ExportAbortedError when the download is closed first (the worker is stopped then).
 */
export function exportInWorker(
  path: string,
  slug: string,
  out: Writable,
  opts: { labels?: boolean } = {},
): Promise<number> {
  const credits = new Int32Array(new SharedArrayBuffer(4));
  credits[0] = IN_FLIGHT;
  const worker = startWorker("response-export-worker", import.meta.url, {
    workerData: { path, slug, labels: opts.labels === true, credits },
  });
  const credit = () => {
    Atomics.add(credits, 0, 1);
    Atomics.notify(credits, 0);
  };
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      out.off("close", closed);
      fn();
      void worker.terminate();
    };
    const closed = () => settle(() => reject(new ExportAbortedError("The output was closed")));
    out.on("close", closed);
    worker.on("message", (m: ExportMessage) => {
      if (m.kind === "done") settle(() => resolve(m.rows));
      else if (m.kind === "failed") settle(() => reject(new Error(m.message)));
      else if (out.destroyed) closed();
      else if (out.write(m.bytes)) credit();
      else out.once("drain", credit);
    });
    worker.on("error", (err) => settle(() => reject(err)));
    worker.on("exit", () => settle(() => reject(new Error("The export stopped before the end"))));
  });
}
