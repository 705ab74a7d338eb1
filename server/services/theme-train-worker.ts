import { parentPort, workerData } from "node:worker_threads";
import { trainClassifier } from "../../analysis/themes/classifier.js";
import { modelToBytes } from "../../analysis/themes/model-bytes.js";
import {
  type CodedComment,
  crossValidatedAgreement,
  suggestionsFor,
  trainingFrom,
} from "../../analysis/themes/suggest.js";

/**
 * Worker thread: learn a consultation's themes from its officers' coding, measure the agreement by
 * cross-validation, and score every comment nobody coded. Seconds of work for a large
 * consultation, none of it on the thread that serves residents.
 */
export interface TrainInput {
  comments: CodedComment[];
  themeIds: number[];
  seed: number;
}

const { comments, themeIds, seed } = workerData as TrainInput;
const started = performance.now();
const training = trainingFrom(comments, themeIds);
const model = trainClassifier(training.data, { seed });
const agreement = crossValidatedAgreement(training, { seed });
const { suggestions, margins } = suggestionsFor(model, themeIds, comments);
const bytes = modelToBytes(model);
parentPort?.postMessage(
  {
    model: bytes,
    decisions: training.decisions,
    agreement: Object.fromEntries(themeIds.map((t, j) => [t, agreement[j] ?? null])),
    learned: themeIds.filter((_, j) => model.learned[j] === 1),
    suggestions,
    margins,
    trainMs: performance.now() - started,
  },
  [bytes.buffer as ArrayBuffer],
);
