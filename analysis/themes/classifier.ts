import { bestF1Threshold, fitSigmoid, type Sigmoid, sigmoid } from "./calibration.js";
import {
  type CommentExample,
  featureRow,
  fitVectorizer,
  rowBuffer,
  type SparseRows,
  transform,
  type Vectorizer,
} from "./hashed-features.js";
import { sparseDot, trainSvm } from "./linear-svm.js";
import { seededRandom, shuffled } from "./seeded-random.js";

/**
 * The multi-label theme classifier: hashed TF-IDF features (hashed-features.ts), one linear SVM
 * per theme (linear-svm.ts, one-vs-rest), and for each theme a decision threshold and a score
 * scale fitted on inner cross-validation folds (calibration.ts). Officers' confirmed tags are the
 * positives; their rejections, and comments they coded with other themes, are the negatives; a
 * comment nobody coded teaches nothing.
 */

export interface ClassifierOptions {
  /** Bits per hashed block (default 18: 262,144 word-gram and as many character-gram slots). */
  bits?: number;
  /** The SVM's cost C, spread over the two classes so each weighs the same (default 0.5). */
  cost?: number;
  /** Inner folds for the thresholds and scores (default 3). */
  innerFolds?: number;
  /** A theme needs this many positive comments to be learned (default 5). */
  minPositives?: number;
  seed?: number;
  /** Passes over the comments per SVM at most (default 40). */
  maxEpochs?: number;
  /**
   * Weigh each theme's two classes equally (default false: the thresholds fitted on the inner
   * folds already make up for rare themes, and without weights training converges in half the time).
   */
  balance?: boolean;
}

export interface ThemeClassifier {
  labelCount: number;
  vectorizer: Vectorizer;
  /** Feature-major weights: feature f's weight for label j is weights[f * labelCount + j]. */
  weights: Float32Array;
  bias: Float64Array;
  /** Decision value at or above which a label is given. */
  threshold: Float64Array;
  /** Decision value -> probability that an officer would give the label. */
  scale: Sigmoid[];
  /** 1 for a label with enough positives to be learned; the others are never given. */
  learned: Uint8Array;
}

/**
 * What the officers said, per comment and label: `targets[i * labelCount + j]` is 1 when comment i
 * has label j, -1 when it does not, 0 when nobody decided.
 */
export interface TrainingData {
  examples: readonly CommentExample[];
  labelCount: number;
  targets: Int8Array;
}

const DEFAULTS = {
  bits: 18,
  cost: 0.5,
  innerFolds: 3,
  minPositives: 5,
  seed: 1,
  maxEpochs: 40,
  balance: false,
};

function labelRows(data: TrainingData, rows: Int32Array, j: number): { rows: Int32Array; y: Int8Array } {
  const y = new Int8Array(data.examples.length);
  const kept: number[] = [];
  for (const r of rows) {
    const t = data.targets[r * data.labelCount + j] as number;
    if (t === 0) continue;
    y[r] = t;
    kept.push(r);
  }
  return { rows: Int32Array.from(kept), y };
}

function positives(y: Int8Array, rows: Int32Array): number {
  let p = 0;
  for (const r of rows) if ((y[r] as number) > 0) p++;
  return p;
}

/**
 * Trains label j's SVM on `rows`, leaving its weights in `w` (zeroed first) and returning the bias,
 * or null when the rows hold no positive or no negative.
 */
function trainLabel(
  x: SparseRows,
  data: TrainingData,
  rows: Int32Array,
  j: number,
  w: Float64Array,
  cost: number,
  maxEpochs: number,
  balance: boolean,
  random: () => number,
): { bias: number; rows: Int32Array; y: Int8Array } | null {
  const chosen = labelRows(data, rows, j);
  const p = positives(chosen.y, chosen.rows);
  const n = chosen.rows.length;
  if (p === 0 || p === n) return null;
  w.fill(0);
  const bias = trainSvm(x, chosen.rows, chosen.y, w, {
    costPositive: balance ? (cost * n) / (2 * p) : cost,
    costNegative: balance ? (cost * n) / (2 * (n - p)) : cost,
    maxEpochs,
    random,
  });
  return { bias, ...chosen };
}

function dot(x: SparseRows, r: number, w: Float64Array, bias: number): number {
  return sparseDot(w, x.index, x.value, x.start[r] as number, x.start[r + 1] as number, bias);
}

export function trainClassifier(data: TrainingData, options: ClassifierOptions = {}): ThemeClassifier {
  const o = { ...DEFAULTS, ...options };
  const random = seededRandom(o.seed);
  const n = data.examples.length;
  const L = data.labelCount;
  const vectorizer = fitVectorizer(data.examples, o.bits);
  const x = transform(vectorizer, data.examples);
  const dim = vectorizer.dimension;
  const w = new Float64Array(dim);

  // Held-out decision values from the inner folds, for the thresholds and the score scales.
  const fold = new Int32Array(n);
  shuffled(n, random).forEach((r, k) => {
    fold[r] = k % o.innerFolds;
  });
  const heldOut = new Float64Array(n * L);
  // Themes with too few examples are left out from the start: they would never be given.
  const learnable = Array.from({ length: L }, (_, j) => j).filter((j) => {
    let p = 0;
    for (let r = 0; r < n; r++) if ((data.targets[r * L + j] as number) > 0) p++;
    return p >= o.minPositives;
  });
  for (let f = 0; f < o.innerFolds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let r = 0; r < n; r++) (fold[r] === f ? test : train).push(r);
    const trainRows = Int32Array.from(train);
    for (const j of learnable) {
      const fit = trainLabel(x, data, trainRows, j, w, o.cost, o.maxEpochs, o.balance, random);
      for (const r of test) heldOut[r * L + j] = fit ? dot(x, r, w, fit.bias) : -1;
    }
  }

  const model: ThemeClassifier = {
    labelCount: L,
    vectorizer,
    weights: new Float32Array(dim * L),
    bias: new Float64Array(L).fill(-1),
    threshold: new Float64Array(L).fill(Number.POSITIVE_INFINITY),
    scale: Array.from({ length: L }, () => ({ a: 1, b: 0 })),
    learned: new Uint8Array(L),
  };
  const all = Int32Array.from({ length: n }, (_, i) => i);
  for (const j of learnable) {
    const fit = trainLabel(x, data, all, j, w, o.cost, o.maxEpochs, o.balance, random);
    if (!fit || positives(fit.y, fit.rows) < o.minPositives) continue;
    model.learned[j] = 1;
    model.bias[j] = fit.bias;
    for (let f = 0; f < dim; f++) {
      const v = w[f] as number;
      if (v !== 0) model.weights[f * L + j] = v;
    }
    const d = Array.from(fit.rows, (r) => heldOut[r * L + j] as number);
    const y = Array.from(fit.rows, (r) => fit.y[r] as number);
    model.threshold[j] = bestF1Threshold(d, y);
    model.scale[j] = fitSigmoid(d, y);
  }
  return model;
}

/** A model's learned labels' weights, feature-major, so each feature's weights are one short run. */
interface PackedWeights {
  learned: Int32Array;
  w: Float32Array;
}

/** Packed once per model: the copy costs as much as tagging a few thousand comments. */
const packedCache = new WeakMap<ThemeClassifier, PackedWeights>();

function packedWeights(model: ThemeClassifier): PackedWeights {
  const cached = packedCache.get(model);
  if (cached) return cached;
  const L = model.labelCount;
  const list: number[] = [];
  for (let j = 0; j < L; j++) if (model.learned[j] === 1) list.push(j);
  const learned = Int32Array.from(list);
  const K = learned.length;
  const dim = model.vectorizer.dimension;
  const w = new Float32Array(dim * K);
  for (let f = 0; f < dim; f++)
    for (let k = 0; k < K; k++) w[f * K + k] = model.weights[f * L + (learned[k] as number)] as number;
  const packed = { learned, w };
  packedCache.set(model, packed);
  return packed;
}

/**
 * Decision values of every label for some comments: row i's are [i * labelCount, (i + 1) * labelCount).
 * Labels never learned keep their bias (-1). Each comment's features are built in a buffer reused
 * from comment to comment and multiplied at once into the learned labels' weights: a sparse row
 * times a dense matrix, with no feature matrix kept.
 */
export function decisionValues(model: ThemeClassifier, examples: readonly CommentExample[]): Float64Array {
  const L = model.labelCount;
  const { learned, w } = packedWeights(model);
  const K = learned.length;
  const out = new Float64Array(examples.length * L);
  const acc = new Float64Array(K);
  const buf = rowBuffer(model.vectorizer);
  for (let r = 0; r < examples.length; r++) {
    featureRow(model.vectorizer, examples[r] as CommentExample, buf);
    const { index, value, length } = buf;
    acc.fill(0);
    // Four features per pass over the labels: a quarter of the loads and stores of `acc`, twice
    // as fast, and the same sums in the same order (JavaScript adds left to right).
    let e = 0;
    for (; e + 3 < length; e += 4) {
      const v0 = value[e] as number;
      const v1 = value[e + 1] as number;
      const v2 = value[e + 2] as number;
      const v3 = value[e + 3] as number;
      const a0 = (index[e] as number) * K;
      const a1 = (index[e + 1] as number) * K;
      const a2 = (index[e + 2] as number) * K;
      const a3 = (index[e + 3] as number) * K;
      for (let k = 0; k < K; k++)
        acc[k] =
          (acc[k] as number) +
          v0 * (w[a0 + k] as number) +
          v1 * (w[a1 + k] as number) +
          v2 * (w[a2 + k] as number) +
          v3 * (w[a3 + k] as number);
    }
    for (; e < length; e++) {
      const v = value[e] as number;
      const at = (index[e] as number) * K;
      for (let k = 0; k < K; k++) acc[k] = (acc[k] as number) + v * (w[at + k] as number);
    }
    const base = r * L;
    for (let j = 0; j < L; j++) out[base + j] = model.bias[j] as number;
    for (let k = 0; k < K; k++) {
      const j = learned[k] as number;
      out[base + j] = (out[base + j] as number) + (acc[k] as number);
    }
  }
  return out;
}

/** The probability that an officer would give label j, from its decision value. */
export function labelScore(model: ThemeClassifier, j: number, decision: number): number {
  return sigmoid(model.scale[j] as Sigmoid, decision);
}

/**
 * The labels given to each comment: those at or above their threshold. With `atLeastOne`, a comment
 * that reaches no threshold gets the learned label it comes closest to (every benchmark comment has
 * at least one theme; in the workbench an officer decides instead).
 */
export function chooseLabels(
  model: ThemeClassifier,
  decision: Float64Array,
  atLeastOne: boolean,
): number[][] {
  const L = model.labelCount;
  const out: number[][] = [];
  for (let base = 0; base < decision.length; base += L) {
    const given: number[] = [];
    let nearest = -1;
    let nearestGap = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < L; j++) {
      if (model.learned[j] !== 1) continue;
      const gap = (decision[base + j] as number) - (model.threshold[j] as number);
      if (gap >= 0) given.push(j);
      if (gap > nearestGap) {
        nearestGap = gap;
        nearest = j;
      }
    }
    if (given.length === 0 && atLeastOne && nearest >= 0) given.push(nearest);
    out.push(given);
  }
  return out;
}
