import type { SparseRows } from "./hashed-features.js";

/**
 * One label's L2-regularised, L2-loss (squared hinge) linear SVM, trained in the dual by
 * coordinate descent with shrinking: the method of Hsieh et al., "A dual coordinate descent method
 * for large-scale linear SVM" (ICML 2008), which liblinear implements. Each step updates one
 * comment's dual variable in closed form and the weights by that comment's few hundred features,
 * so an epoch costs one pass over the non-zero features; comments that are clearly on their side
 * are shrunk out of later passes. The bias is an extra feature fixed at 1, as in liblinear.
 */

/**
 * start + the sum of w[index[k]] * value[k] over k in [from, to), four terms per step: the same
 * sum in the same order (JavaScript adds left to right) with a quarter of the loop's overhead.
 */
export function sparseDot(
  w: Float64Array,
  index: Int32Array,
  value: Float32Array,
  from: number,
  to: number,
  start: number,
): number {
  let sum = start;
  let k = from;
  for (; k + 3 < to; k += 4)
    sum =
      sum +
      (w[index[k] as number] as number) * (value[k] as number) +
      (w[index[k + 1] as number] as number) * (value[k + 1] as number) +
      (w[index[k + 2] as number] as number) * (value[k + 2] as number) +
      (w[index[k + 3] as number] as number) * (value[k + 3] as number);
  for (; k < to; k++) sum += (w[index[k] as number] as number) * (value[k] as number);
  return sum;
}

/** w[index[k]] += d * value[k] for k in [from, to) (a row's indexes are distinct). */
export function sparseAxpy(
  w: Float64Array,
  index: Int32Array,
  value: Float32Array,
  from: number,
  to: number,
  d: number,
): void {
  let k = from;
  for (; k + 3 < to; k += 4) {
    const f0 = index[k] as number;
    const f1 = index[k + 1] as number;
    const f2 = index[k + 2] as number;
    const f3 = index[k + 3] as number;
    w[f0] = (w[f0] as number) + d * (value[k] as number);
    w[f1] = (w[f1] as number) + d * (value[k + 1] as number);
    w[f2] = (w[f2] as number) + d * (value[k + 2] as number);
    w[f3] = (w[f3] as number) + d * (value[k + 3] as number);
  }
  for (; k < to; k++) {
    const f = index[k] as number;
    w[f] = (w[f] as number) + d * (value[k] as number);
  }
}

export interface SvmOptions {
  /** Cost of a positive and of a negative comment's loss (class weights folded in). */
  costPositive: number;
  costNegative: number;
  /** Stop when the projected gradient's spread is below this (liblinear's default 0.1). */
  tolerance?: number;
  maxEpochs?: number;
  /** Uniform numbers in [0, 1) for the order of each pass. */
  random: () => number;
}

/**
 * Trains on the rows listed in `rows` with labels `y` (+1 or -1, by row). Writes the weights into
 * `w` (zeroed by the caller, of the vectorizer's dimension) and returns the bias.
 */
export function trainSvm(
  x: SparseRows,
  rows: Int32Array,
  y: Int8Array,
  w: Float64Array,
  options: SvmOptions,
): number {
  const n = rows.length;
  // Locals rather than property reads in the inner loops: V8 then keeps them in registers.
  const { start, index, value } = x;
  const eps = options.tolerance ?? 0.1;
  const maxEpochs = options.maxEpochs ?? 300;
  const alpha = new Float64Array(n);
  const diag = new Float64Array(n);
  const qd = new Float64Array(n);
  const order = new Int32Array(n);
  let bias = 0;
  for (let s = 0; s < n; s++) {
    const r = rows[s] as number;
    diag[s] = 0.5 / ((y[r] as number) > 0 ? options.costPositive : options.costNegative);
    let sq = 1; // the bias feature
    for (let k = start[r] as number; k < (start[r + 1] as number); k++) sq += (value[k] as number) ** 2;
    qd[s] = sq + (diag[s] as number);
    order[s] = s;
  }
  let active = n;
  let pgMaxOld = Number.POSITIVE_INFINITY;
  let epoch = 0;
  for (; epoch < maxEpochs; epoch++) {
    for (let s = active - 1; s > 0; s--) {
      const j = Math.floor(options.random() * (s + 1));
      const t = order[s] as number;
      order[s] = order[j] as number;
      order[j] = t;
    }
    let pgMax = Number.NEGATIVE_INFINITY;
    let pgMin = Number.POSITIVE_INFINITY;
    for (let s = 0; s < active; s++) {
      const i = order[s] as number;
      const r = rows[i] as number;
      const yi = y[r] as number;
      const from = start[r] as number;
      const to = start[r + 1] as number;
      const dot = sparseDot(w, index, value, from, to, bias);
      const a = alpha[i] as number;
      const g = yi * dot - 1 + a * (diag[i] as number);
      let pg = g;
      if (a === 0) {
        if (g > pgMaxOld) {
          // Clearly outside the margin: leave it out of the passes until the final check.
          active--;
          order[s] = order[active] as number;
          order[active] = i;
          s--;
          continue;
        }
        if (g > 0) pg = 0;
      }
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (Math.abs(pg) > 1e-12) {
        const next = Math.max(a - g / (qd[i] as number), 0);
        alpha[i] = next;
        const d = (next - a) * yi;
        sparseAxpy(w, index, value, from, to, d);
        bias += d;
      }
    }
    if (pgMax - pgMin <= eps) {
      if (active === n) break;
      active = n;
      pgMaxOld = Number.POSITIVE_INFINITY;
      continue;
    }
    pgMaxOld = pgMax <= 0 ? Number.POSITIVE_INFINITY : pgMax;
  }
  return bias;
}
