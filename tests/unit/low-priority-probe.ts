import { getPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { runAtLowPriority } from "../../server/workers.js";

/** Worker thread for low-priority.test.ts: lowers its own priority and says what it is now. */
runAtLowPriority();
parentPort?.postMessage(getPriority(0));
