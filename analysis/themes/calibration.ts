/**
 * Turning a label's held-out decision values into a decision rule and a score an officer can read.
 * Both are fitted on decision values of comments the model did not train on (inner folds), so
 * they describe how the model does on new comments rather than on the ones it has memorised.
 */

/**
 * The cut on the decision value that gives the best F1 on the held-out values (`y` +1 or -1), half
 * way between the last comment taken and the next; 0 (the SVM's own margin) when there is no positive.
 */
export function bestF1Threshold(decision: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = decision.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (decision[b] as number) - (decision[a] as number),
  );
  let positives = 0;
  for (let i = 0; i < n; i++) if ((y[i] as number) > 0) positives++;
  if (positives === 0 || positives === n) return 0;
  let tp = 0;
  let best = -1;
  let cut = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    if ((y[i] as number) > 0) tp++;
    const next = k + 1 < n ? (decision[order[k + 1] as number] as number) : Number.NEGATIVE_INFINITY;
    const here = decision[i] as number;
    if (next === here) continue; // a cut can only fall between different values
    const f1 = (2 * tp) / (k + 1 + positives);
    if (f1 > best) {
      best = f1;
      cut = Number.isFinite(next) ? (here + next) / 2 : here - 1;
    }
  }
  return cut;
}

/** Platt's sigmoid p = 1 / (1 + exp(-(a d + b))) over a decision value d. */
export interface Sigmoid {
  a: number;
  b: number;
}

export const sigmoid = (s: Sigmoid, d: number) => 1 / (1 + Math.exp(-(s.a * d + s.b)));

/**
 * Fits Platt's sigmoid by Newton's method on the log-loss, with Platt's smoothed targets
 * ((P+1)/(P+2) and 1/(N+2)) so that a perfectly separated label still gets a finite slope.
 */
export function fitSigmoid(decision: ArrayLike<number>, y: ArrayLike<number>): Sigmoid {
  const n = decision.length;
  let pos = 0;
  for (let i = 0; i < n; i++) if ((y[i] as number) > 0) pos++;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  let a = 1;
  let b = Math.log((pos + 1) / (n - pos + 1));
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < n; i++) {
      const d = decision[i] as number;
      const p = 1 / (1 + Math.exp(-(a * d + b)));
      const t = (y[i] as number) > 0 ? hi : lo;
      const r = p - t;
      const v = p * (1 - p);
      ga += r * d;
      gb += r;
      haa += v * d * d;
      hab += v * d;
      hbb += v;
    }
    const det = haa * hbb - hab * hab;
    if (det <= 0) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-7) break;
  }
  return { a, b };
}
