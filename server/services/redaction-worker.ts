import { parentPort } from "node:worker_threads";
import { findRedactions, type RedactionOptions } from "../../analysis/redaction.js";

/**
 * Worker thread: finds what to redact in a batch of comments. Names need a language model
 * (compromise), which takes milliseconds for a short comment and seconds for a very long one, so it
 * never runs on the thread that serves residents.
 */
export interface RedactionRequest {
  id: number;
  texts: string[];
  options: RedactionOptions;
}

export interface RedactionReply {
  id: number;
  found?: [number, number, string][][];
  error?: string;
}

parentPort?.on("message", (req: RedactionRequest) => {
  try {
    const found = req.texts.map((t) =>
      findRedactions(t, req.options).map((r): [number, number, string] => [r.start, r.end, r.kind]),
    );
    parentPort?.postMessage({ id: req.id, found } satisfies RedactionReply);
  } catch (err) {
    parentPort?.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) });
  }
});
