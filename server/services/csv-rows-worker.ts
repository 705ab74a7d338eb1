import { parentPort, workerData } from "node:worker_threads";
import { readCsv } from "./csv-rows.js";

/** Worker thread: decode, hash and parse one uploaded file, posting its rows in batches. */
const { bytes } = workerData as { bytes: Uint8Array };
readCsv(bytes, (event) => parentPort?.postMessage(event));
