import { seededRandom } from "./seeded-random.js";

/**
 * How far two coders agree on one theme over the same comments: the model against the officers
 * (cross-validated, so the model never saw the comment it is judged on), or one officer against
 * another on a double-coded sample. The first coder is the one judged ("said"), the second the
 * reference ("truth"): precision is the share of the first's tags the second agrees with, recall
 * the share of the second's tags the first found.
 */
export interface CodedPair {
  said: boolean;
  truth: boolean;
}

export interface Agreement {
  precision: number;
  recall: number;
  f1: number;
  /** Cohen's kappa: agreement beyond what two coders tagging at these rates would reach by chance. */
  kappa: number;
  /** Comments the reference tagged with the theme. */
  support: number;
  /** Comments compared. */
  compared: number;
}

export interface Interval {
  value: number;
  lower: number;
  upper: number;
}

export type AgreementWithIntervals = { [K in keyof Agreement]: Interval } & { compared: number };

function counts(pairs: readonly CodedPair[], pick?: Int32Array) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const n = pick ? pick.length : pairs.length;
  for (let k = 0; k < n; k++) {
    const p = pairs[pick ? (pick[k] as number) : k] as CodedPair;
    if (p.said && p.truth) tp++;
    else if (p.said) fp++;
    else if (p.truth) fn++;
    else tn++;
  }
  return { tp, fp, fn, tn };
}

function measure(c: { tp: number; fp: number; fn: number; tn: number }): Agreement {
  const n = c.tp + c.fp + c.fn + c.tn;
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f1 = c.tp === 0 ? 0 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
  const observed = n === 0 ? 0 : (c.tp + c.tn) / n;
  const chance = n === 0 ? 0 : ((c.tp + c.fp) * (c.tp + c.fn) + (c.fn + c.tn) * (c.fp + c.tn)) / (n * n);
  // Both coders gave every comment the same answer: kappa is 1 if they agree, else undefined (0).
  const kappa = chance === 1 ? (observed === 1 ? 1 : 0) : (observed - chance) / (1 - chance);
  return { precision, recall, f1, kappa, support: c.tp + c.fn, compared: n };
}

export function agreement(pairs: readonly CodedPair[]): Agreement {
  return measure(counts(pairs));
}

const quantile = (sorted: Float64Array, q: number) => {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
};

/**
 * The agreement with a percentile bootstrap 95% interval on each figure: the comments resampled
 * with replacement `resamples` times (Efron and Tibshirani, "An Introduction to the Bootstrap",
 * ch. 13). Seeded, so a page shows the same interval every time it is drawn.
 */
export function agreementWithIntervals(
  pairs: readonly CodedPair[],
  resamples = 1000,
  seed = 1,
): AgreementWithIntervals {
  const point = agreement(pairs);
  const random = seededRandom(seed);
  const keys = ["precision", "recall", "f1", "kappa", "support"] as const;
  const draws = Object.fromEntries(keys.map((k) => [k, new Float64Array(resamples)])) as Record<
    (typeof keys)[number],
    Float64Array
  >;
  const pick = new Int32Array(pairs.length);
  for (let b = 0; b < resamples; b++) {
    for (let k = 0; k < pick.length; k++) pick[k] = Math.floor(random() * pairs.length);
    const m = measure(counts(pairs, pick));
    for (const key of keys) draws[key][b] = m[key];
  }
  const out = { compared: point.compared } as AgreementWithIntervals;
  for (const key of keys) {
    const sorted = draws[key].sort();
    out[key] = { value: point[key], lower: quantile(sorted, 0.025), upper: quantile(sorted, 0.975) };
  }
  return out;
}

export type LengthBand = "short" | "medium" | "long";

/** Comment length bands by words: short up to 10, medium up to 40, long beyond. */
export function lengthBand(text: string): LengthBand {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words <= 10 ? "short" : words <= 40 ? "medium" : "long";
}

/** The agreement within each length band (the band of each pair's comment given by `bands`). */
export function agreementByLength(
  pairs: readonly CodedPair[],
  bands: readonly LengthBand[],
): Record<LengthBand, Agreement> {
  const split: Record<LengthBand, CodedPair[]> = { short: [], medium: [], long: [] };
  pairs.forEach((p, i) => {
    split[bands[i] ?? "medium"].push(p);
  });
  return { short: agreement(split.short), medium: agreement(split.medium), long: agreement(split.long) };
}
