import type { SparseRows } from "./hashed-features.js";

/**
 * One label's L2-regularised, L2-loss (squared hinge) linear SVM, trained in the dual by
 * coordinate descent with shrinking: the method of Hsieh et al., "A dual coordinate descent method
 * for large-scale linear SVM" (ICML 2008), which liblinear implements. Each step updates one
 * comment's dual variable in closed form and the weights by that comment's few hundred features,
 * so an epoch costs one pass over the non-zero features; comments that are clearly on their side
 * are shrunk out of later passes. The bias is an extra feature fixed at 1, as in liblinear.
 */

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
    for (let k = x.start[r] as number; k < (x.start[r + 1] as number); k++) sq += (x.value[k] as number) ** 2;
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
      const from = x.start[r] as number;
      const to = x.start[r + 1] as number;
      let dot = bias;
      for (let k = from; k < to; k++) dot += (w[x.index[k] as number] as number) * (x.value[k] as number);
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
        for (let k = from; k < to; k++) {
          const f = x.index[k] as number;
          w[f] = (w[f] as number) + d * (x.value[k] as number);
        }
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
