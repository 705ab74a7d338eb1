import { setPriority } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Start a worker thread from a module beside the caller: `sibling("csv-rows-worker", import.meta.url)`.
 * Built code runs the .js file; under the test runner the sources are TypeScript, so the worker
 * first registers tsx's loader (a development dependency, never needed by the built app).
 */
export function startWorker(name: string, callerUrl: string, options: WorkerOptions = {}): Worker {
  const ext = extname(fileURLToPath(callerUrl));
  const url = new URL(`./${name}${ext}`, callerUrl);
  if (ext !== ".ts") return new Worker(url, options);
  const boot = `import("tsx/esm/api").then((m) => m.register()).then(() => import(${JSON.stringify(url.href)}))`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * Lower the calling worker thread's scheduling priority to the lowest (nice 19) for work that may
 * wait: building a report, reading a file, writing a download. On a machine with few cores such a
 * thread otherwise takes the core the request loop needs: while a public report was built at start,
 * pages took up to half a second with nothing else running (issue 8's responsiveness benchmark).
 * On Linux a priority set for "this process" (0) applies to the calling thread only. Not for a
 * thread that holds the database's write lock (the import writer): a request waiting for the lock
 * would wait behind every other thread on the machine too. Where it is refused it does nothing.
 */
export function runAtLowPriority(): void {
  try {
    setPriority(0, 19);
  } catch {
    // Not permitted here: the thread runs at the process's priority, as before.
  }
}
