import { once } from "node:events";
import { getPriority } from "node:os";
import { describe, expect, it } from "vitest";
import { startWorker } from "../../server/workers.js";

/**
 * Issue 8, responsiveness: a worker building a report or a download runs at the lowest priority,
 * so that on a machine with few cores it does not take the core the request loop needs. Linux
 * applies the priority to the calling thread only: the request loop keeps its own.
 */
describe("runAtLowPriority", () => {
  it.runIf(process.platform === "linux")(
    "lowers the worker thread's priority and not the process's",
    async () => {
      const before = getPriority(0);
      const worker = startWorker("low-priority-probe", import.meta.url);
      const [inWorker] = (await once(worker, "message")) as [number];
      await worker.terminate();
      expect(inWorker).toBe(19);
      expect(getPriority(0)).toBe(before);
    },
  );
});
