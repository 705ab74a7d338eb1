import { createRequire } from "node:module";
import PorterStemmer from "natural/lib/natural/stemmers/porter_stemmer.js";
import type SentimentAnalyzer from "natural/lib/natural/sentiment/SentimentAnalyzer.js";
import { words } from "./minhash.js";
import { stems } from "./tokens.js";

/**
 * Stance: whether a comment supports, opposes or is mixed on its question's proposal.
 *
 * Two ways, chosen by what the consultation holds:
 * - learned: a logistic regression over the comment's stemmed words and word pairs,
 *   trained on labels taken from the same respondents' own closed answers (an "agree" beside the
 *   comment labels it "supports", a "disagree" "opposes", the middle "mixed"). It needs no hand
 *   labels, and it reads the comment, so a respondent who agreed but wrote a complaint is read
 *   as opposing. Both sides weigh the same: closed answers are usually lopsided (most people
 *   agree, or most object), and the larger side would otherwise drown the words.
 * - lexicon: natural's SentimentAnalyzer (AFINN-165 with negations), for consultations with no
 *   closed answer beside the comment.
 */
export type Stance = "supports" | "opposes" | "mixed";
export const STANCES: readonly Stance[] = ["supports", "mixed", "opposes"];

export interface StanceResult {
  stance: Stance;
  /** From -1 (opposes) to 1 (supports): for ranking and correlation. */
  score: number;
}

/** A closed answer's scale group read as a stance label (excluded answers teach nothing). */
export function stanceOfGroup(group: string | undefined): Stance | undefined {
  if (group === "positive") return "supports";
  if (group === "negative") return "opposes";
  if (group === "neutral") return "mixed";
  return undefined;
}

const NEGATIONS = new Set([
  "not",
  "no",
  "never",
  "nor",
  "cannot",
  "cant",
  "dont",
  "didnt",
  "doesnt",
  "wont",
  "isnt",
  "wasnt",
  "arent",
  "werent",
  "without",
  "hardly",
]);

/** Features of a comment: its stems, with the three after a negation marked, and adjacent pairs. */
export function stanceFeatures(text: string): string[] {
  const raw = words(text);
  const st = stems(text);
  // stems() and words() split alike except for hyphens and slashes; negation marks use words().
  const negated = new Set<string>();
  let left = 0;
  for (const w of raw) {
    if (NEGATIONS.has(w)) left = 3;
    else if (left > 0) {
      negated.add(PorterStemmer.stem(w));
      left--;
    }
  }
  const out = new Set<string>();
  for (const s of st) out.add(negated.has(s) ? `not_${s}` : s);
  for (let i = 0; i + 1 < st.length; i++) out.add(`${st[i]} ${st[i + 1]}`);
  return [...out];
}

export interface StanceModel {
  /** Weight of each feature (features seen in at least two training comments). */
  weights: Map<string, number>;
  bias: number;
  /** Training comments labelled supports and opposes. */
  counts: { supports: number; opposes: number };
  /**
   * Probabilities of "supports" between these two are read as mixed: 0.45-0.55 by default, the
   * best of three bands tried by cross-validation on the public NHS benchmark file.
   */
  mixedBand: [number, number];
}

/** A seeded generator (mulberry32) for the training order, so a model is the same every time. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Train on comments labelled from their respondents' closed answers: a logistic regression of
 * "supports" against "opposes" (mixed answers are left out: a middle answer says little about the
 * words), each side weighted equally whatever its size, by stochastic gradient descent with L2
 * regularisation. A comment is then mixed when the model is unsure either way.
 */
export function trainStance(
  examples: readonly { text: string; stance: Stance }[],
  opts: { epochs?: number; l2?: number; seed?: number; mixedBand?: [number, number] } = {},
): StanceModel {
  const labelled = examples.filter((e) => e.stance !== "mixed");
  const docs = labelled.map((e) => stanceFeatures(e.text));
  const df = new Map<string, number>();
  for (const d of docs) for (const f of d) df.set(f, (df.get(f) ?? 0) + 1);
  const weights = new Map<string, number>();
  for (const [f, n] of df) if (n >= 2) weights.set(f, 0);
  const y = labelled.map((e) => (e.stance === "supports" ? 1 : 0));
  const pos = y.filter((v) => v === 1).length;
  const neg = y.length - pos;
  const classWeight = [neg === 0 ? 0 : y.length / (2 * neg), pos === 0 ? 0 : y.length / (2 * pos)];
  const kept = docs.map((d) => d.filter((f) => weights.has(f)));
  const rand = random(opts.seed ?? 1);
  const order = labelled.map((_, i) => i);
  const l2 = opts.l2 ?? 1e-4;
  let bias = 0;
  const epochs = opts.epochs ?? 15;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const rate = 0.5 / (1 + epoch);
    for (const i of order) {
      const fs = kept[i] as string[];
      const scale = fs.length === 0 ? 0 : 1 / Math.sqrt(fs.length);
      let z = bias;
      for (const f of fs) z += (weights.get(f) ?? 0) * scale;
      const label = y[i] as number;
      const g = (sigmoid(z) - label) * (classWeight[label] as number);
      bias -= rate * g;
      for (const f of fs) {
        const w = weights.get(f) ?? 0;
        weights.set(f, w - rate * (g * scale + l2 * w));
      }
    }
  }
  return {
    weights,
    bias,
    counts: { supports: pos, opposes: neg },
    mixedBand: opts.mixedBand ?? [0.45, 0.55],
  };
}

/** Whether a model has enough of each side to be worth using (else the lexicon is used). */
export function usableModel(model: StanceModel, minimum = 20): boolean {
  return model.counts.supports >= minimum && model.counts.opposes >= minimum;
}

/** The learned stance of a comment. */
export function predictStance(model: StanceModel, text: string): StanceResult {
  const fs = stanceFeatures(text).filter((f) => model.weights.has(f));
  // No word the model knows: nothing to go on either way.
  if (fs.length === 0) return { stance: "mixed", score: 0 };
  const scale = fs.length === 0 ? 0 : 1 / Math.sqrt(fs.length);
  let z = model.bias;
  for (const f of fs) z += (model.weights.get(f) ?? 0) * scale;
  const p = sigmoid(z);
  const [lo, hi] = model.mixedBand;
  return { stance: p >= hi ? "supports" : p <= lo ? "opposes" : "mixed", score: 2 * p - 1 };
}

let analyzer: SentimentAnalyzer | undefined;
/**
 * Loaded on first use, not with this module: the analyser's module reads every language's word
 * lists (seconds on a busy machine), and the server imports this module for its small helpers on
 * every start, while only the fallback for comments without closed answers needs the lexicon.
 */
const loadAnalyzer = (): typeof SentimentAnalyzer =>
  createRequire(import.meta.url)("natural/lib/natural/sentiment/SentimentAnalyzer.js");

/**
 * The lexicon stance: natural's SentimentAnalyzer (AFINN, English, Porter stemmer) gives the
 * mean word polarity; near zero (within `band`) is "mixed" (no or balanced sentiment).
 */
export function lexiconStance(text: string, band = 0.05): StanceResult {
  analyzer ??= new (loadAnalyzer())("English", PorterStemmer, "afinn");
  const ws = words(text);
  const mean = ws.length === 0 ? 0 : analyzer.getSentiment(ws);
  const score = Number.isFinite(mean) ? Math.max(-1, Math.min(1, mean / 2)) : 0;
  return { stance: mean > band ? "supports" : mean < -band ? "opposes" : "mixed", score };
}
