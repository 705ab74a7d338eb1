import {
  type Agreement,
  type AgreementWithIntervals,
  agreementByLength,
  agreementWithIntervals,
  type CodedPair,
  type LengthBand,
  lengthBand,
} from "./agreement.js";
import {
  type ClassifierOptions,
  chooseLabels,
  decisionValues,
  labelScore,
  type ThemeClassifier,
  type TrainingData,
  trainClassifier,
} from "./classifier.js";
import { seededRandom, shuffled } from "./seeded-random.js";

/**
 * From the officers' coding of a consultation's comments to a model, its measured agreement and
 * its suggestions. What counts as an answer: a confirmed tag is a positive; a rejection is a
 * negative; a comment an officer coded (confirmed any theme on, or marked reviewed) is a negative
 * for every other theme of its question. Unconfirmed rule and model tags teach nothing.
 */
export interface CodedComment {
  id: number;
  text: string;
  closed: readonly string[];
  reviewed: boolean;
  confirmed: readonly number[];
  rejected: readonly number[];
  tagged: readonly number[];
  /** The themes that apply to its question. */
  themes: readonly number[];
}

/** A theme needs this many confirmed comments before the model suggests it. */
export const MIN_CONFIRMED = 5;

export interface Training {
  data: TrainingData;
  /** The comments taught, by their index in the input. */
  rows: number[];
  /** What the model learned from, as [comment id, theme id, 1 or -1]. */
  decisions: [number, number, number][];
}

export function trainingFrom(comments: readonly CodedComment[], themeIds: readonly number[]): Training {
  const label = new Map(themeIds.map((t, j) => [t, j]));
  const L = themeIds.length;
  const rows: number[] = [];
  const decisions: [number, number, number][] = [];
  const targets: number[] = [];
  comments.forEach((c, i) => {
    const coded = c.reviewed || c.confirmed.length > 0;
    if (!coded && c.rejected.length === 0) return;
    const row = new Array<number>(L).fill(0);
    if (coded)
      for (const t of c.themes) if (label.has(t) && !c.tagged.includes(t)) row[label.get(t) as number] = -1;
    for (const t of c.rejected) if (label.has(t)) row[label.get(t) as number] = -1;
    for (const t of c.confirmed) if (label.has(t)) row[label.get(t) as number] = 1;
    rows.push(i);
    targets.push(...row);
    row.forEach((v, j) => {
      if (v !== 0) decisions.push([c.id, themeIds[j] as number, v]);
    });
  });
  return {
    data: {
      examples: rows.map((i) => ({
        text: (comments[i] as CodedComment).text,
        closed: (comments[i] as CodedComment).closed,
      })),
      labelCount: L,
      targets: Int8Array.from(targets),
    },
    rows,
    decisions,
  };
}

export interface ThemeAgreement {
  overall: AgreementWithIntervals;
  byLength: Record<LengthBand, Agreement>;
}

/**
 * Model-versus-officer agreement per theme by k-fold cross-validation over the coded comments:
 * each comment is judged by a model trained without it. A theme with fewer than MIN_CONFIRMED
 * positives gets no figure (null).
 */
export function crossValidatedAgreement(
  training: Training,
  options: ClassifierOptions & { folds?: number; resamples?: number } = {},
): (ThemeAgreement | null)[] {
  const { data } = training;
  const n = data.examples.length;
  const L = data.labelCount;
  const k = Math.min(options.folds ?? 5, n);
  const fold = new Int32Array(n);
  shuffled(n, seededRandom(options.seed ?? 1)).forEach((r, i) => {
    fold[r] = i % k;
  });
  const said = new Uint8Array(n * L);
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let r = 0; r < n; r++) (fold[r] === f ? test : train).push(r);
    const targets = new Int8Array(train.length * L);
    train.forEach((r, i) => {
      targets.set(data.targets.subarray(r * L, (r + 1) * L), i * L);
    });
    const model = trainClassifier(
      {
        examples: train.map((r) => data.examples[r] as TrainingData["examples"][number]),
        labelCount: L,
        targets,
      },
      options,
    );
    const given = chooseLabels(
      model,
      decisionValues(
        model,
        test.map((r) => data.examples[r] as TrainingData["examples"][number]),
      ),
      false,
    );
    test.forEach((r, i) => {
      for (const j of given[i] ?? []) said[r * L + j] = 1;
    });
  }
  const bands = data.examples.map((e) => lengthBand(e.text));
  return Array.from({ length: L }, (_, j) => {
    const pairs: CodedPair[] = [];
    const pairBands: LengthBand[] = [];
    let positives = 0;
    for (let r = 0; r < n; r++) {
      const t = data.targets[r * L + j] as number;
      if (t === 0) continue;
      if (t > 0) positives++;
      pairs.push({ said: said[r * L + j] === 1, truth: t > 0 });
      pairBands.push(bands[r] as LengthBand);
    }
    if (positives < MIN_CONFIRMED) return null;
    return {
      overall: agreementWithIntervals(pairs, options.resamples ?? 1000, options.seed ?? 1),
      byLength: agreementByLength(pairs, pairBands),
    };
  });
}

export interface Suggestions {
  suggestions: { commentId: number; themeId: number; score: number }[];
  /**
   * How sure the model is about each comment nobody coded, as [comment id, margin]: the smallest
   * distance, on the log-odds scale, between a theme's score and its threshold. Smallest first is
   * the order in which an officer's coding teaches the model most.
   */
  margins: [number, number][];
}

/** The model's suggestions for the comments nobody coded, over the themes of each comment's question. */
export function suggestionsFor(
  model: ThemeClassifier,
  themeIds: readonly number[],
  comments: readonly CodedComment[],
): Suggestions {
  const label = new Map(themeIds.map((t, j) => [t, j]));
  const open = comments.filter((c) => !c.reviewed && c.confirmed.length === 0);
  const L = model.labelCount;
  const d = decisionValues(model, open);
  const suggestions: Suggestions["suggestions"] = [];
  const margins: [number, number][] = [];
  open.forEach((c, i) => {
    let margin = Number.POSITIVE_INFINITY;
    for (const t of c.themes) {
      const j = label.get(t);
      if (j === undefined || model.learned[j] !== 1) continue;
      const v = d[i * L + j] as number;
      const gap = (model.scale[j]?.a ?? 1) * (v - (model.threshold[j] as number));
      margin = Math.min(margin, Math.abs(gap));
      if (gap >= 0 && !c.tagged.includes(t) && !c.rejected.includes(t))
        suggestions.push({ commentId: c.id, themeId: t, score: labelScore(model, j, v) });
    }
    if (Number.isFinite(margin)) margins.push([c.id, margin]);
  });
  return { suggestions, margins };
}
