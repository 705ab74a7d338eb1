import { parentPort, workerData } from "node:worker_threads";
import { trainClassifier } from "../../analysis/themes/classifier.js";
import { modelToBytes } from "../../analysis/themes/model-bytes.js";
import {
  type CodedComment,
  crossValidatedAgreement,
  suggestionsFor,
  trainingFrom,
} from "../../analysis/themes/suggest.js";
import { openDatabase } from "../../db/connection.js";
import { ThemeModelRepository } from "../../db/theme-models.js";
import { codedComments } from "./coded-comments.js";

/**
 * Worker thread: learn a consultation's themes from its officers' coding, measure the agreement by
 * cross-validation, and score every comment nobody coded. Seconds of work for a large
 * consultation, none of it on the thread that serves residents.
 *
 * With a database file ("file"), the worker also reads the comments and stores the model and its
 * suggestions through its own connection, in short transactions: at 100,000 comments the reading
 * and the writing each held the request loop for seconds. An in-memory database (tests) cannot be
 * opened from another thread, so then the caller reads and stores ("data").
 */
export type TrainInput =
  | { kind: "data"; comments: CodedComment[]; themeIds: number[]; seed: number }
  | {
      kind: "file";
      path: string;
      consultationId: number;
      /** The themes that apply to each item's comments, as [item id, theme ids]. */
      themesByItem: [number, number[]][];
      themeIds: number[];
      seed: number;
      /** When the model is stored (the caller's clock). */
      createdAt: string;
    };

export interface TrainResult {
  model: Uint8Array;
  decisions: [number, number, number][];
  agreement: Record<string, unknown>;
  suggestions: { commentId: number; themeId: number; score: number }[];
  margins: [number, number][];
  trainMs: number;
}

/** What a "file" run reports: the counts for the audit trail, and where its time went. */
export interface StoredSummary {
  decisions: number;
  suggestions: number;
  trainMs: number;
  readMs: number;
  storeMs: number;
}

function learn(comments: CodedComment[], themeIds: number[], seed: number): TrainResult {
  const started = performance.now();
  const training = trainingFrom(comments, themeIds);
  const model = trainClassifier(training.data, { seed });
  const agreement = crossValidatedAgreement(training, { seed });
  const { suggestions, margins } = suggestionsFor(model, themeIds, comments);
  return {
    model: modelToBytes(model),
    decisions: training.decisions,
    agreement: Object.fromEntries(themeIds.map((t, j) => [t, agreement[j] ?? null])),
    suggestions,
    margins,
    trainMs: performance.now() - started,
  };
}

function fromFile(input: Extract<TrainInput, { kind: "file" }>): StoredSummary {
  const db = openDatabase(input.path);
  try {
    const models = new ThemeModelRepository(db);
    const readStarted = performance.now();
    const byItem = new Map(input.themesByItem);
    const confirmedTags = models.confirmedCount(input.consultationId);
    const comments = codedComments(models.comments(input.consultationId), (item) => byItem.get(item) ?? []);
    const readMs = performance.now() - readStarted;
    const out = learn(comments, input.themeIds, input.seed);
    const storeStarted = performance.now();
    models.storeInSlices(
      input.consultationId,
      {
        createdAt: input.createdAt,
        confirmedTags,
        themes: input.themeIds,
        model: out.model,
        agreement: JSON.stringify(out.agreement),
        trainMs: out.trainMs,
        training: out.decisions,
      },
      out.suggestions,
      out.margins,
    );
    return {
      decisions: out.decisions.length,
      suggestions: out.suggestions.length,
      trainMs: out.trainMs,
      readMs,
      storeMs: performance.now() - storeStarted,
    };
  } finally {
    db.close();
  }
}

const input = workerData as TrainInput | undefined;
if (input?.kind === "file") parentPort?.postMessage(fromFile(input));
else if (input?.kind === "data") {
  const out = learn(input.comments, input.themeIds, input.seed);
  parentPort?.postMessage(out, [out.model.buffer as ArrayBuffer]);
}
