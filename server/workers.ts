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
