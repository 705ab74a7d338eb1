/**
 * The "least sure first" order, measured: an officer codes comments in batches; after each batch
 * the model learns again. In one run the next batch is drawn at random, in the other it is the
 * comments the current model is least sure about (the workbench's order). Both start from the
 * same random first batch and are scored on the same held-out fold, so the curve shows how many
 * coded comments each order needs to reach a given macro-F1.
 */
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import {
  chooseLabels,
  decisionValues,
  type ThemeClassifier,
  trainClassifier,
} from "../../analysis/themes/classifier.js";
import type { CommentExample } from "../../analysis/themes/hashed-features.js";
import { seededRandom, shuffled } from "../../analysis/themes/seeded-random.js";
import { fixed, type Table } from "./lib/report.js";

const BATCH = 50;
const STEPS = 16;

interface Labelled {
  examples: CommentExample[];
  labels: number[][];
}

function load(file: string): { names: string[]; data: Labelled } {
  const [head, ...rows] = Papa.parse<string[]>(readFileSync(file, "utf8"), { skipEmptyLines: true }).data;
  if (!head) throw new Error(`${file} is empty`);
  const kept = rows.filter((r) => (r[8] ?? "").trim() !== "" && r.slice(11).some((x) => x === "1"));
  return {
    names: head.slice(11),
    data: {
      examples: kept.map((r) => ({ text: r[8] ?? "", closed: [`rating=${r[6] ?? ""}`] })),
      labels: kept.map((r) => r.slice(11).flatMap((x, j) => (x === "1" ? [j] : []))),
    },
  };
}

function train(pool: Labelled, picked: readonly number[], L: number): ThemeClassifier {
  const targets = new Int8Array(picked.length * L).fill(-1);
  picked.forEach((p, i) => {
    for (const j of pool.labels[p] ?? []) targets[i * L + j] = 1;
  });
  return trainClassifier({
    examples: picked.map((p) => pool.examples[p] as CommentExample),
    labelCount: L,
    targets,
  });
}

/** Macro-F1 over the scored labels, as the benchmark's score.py counts it. */
function macroF1(model: ThemeClassifier, test: Labelled, scored: readonly number[]): number {
  const given = chooseLabels(model, decisionValues(model, test.examples), true);
  let sum = 0;
  for (const j of scored) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    test.labels.forEach((truth, i) => {
      const a = given[i]?.includes(j) ?? false;
      const b = truth.includes(j);
      if (a && b) tp++;
      else if (a) fp++;
      else if (b) fn++;
    });
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / scored.length;
}

/** The pool comments, not yet picked, the model is least sure about (smallest log-odds margin). */
function leastSure(model: ThemeClassifier, pool: Labelled, left: readonly number[], n: number): number[] {
  const L = model.labelCount;
  const d = decisionValues(
    model,
    left.map((p) => pool.examples[p] as CommentExample),
  );
  const margin = left.map((_, i) => {
    let m = Number.POSITIVE_INFINITY;
    for (let j = 0; j < L; j++) {
      if (model.learned[j] !== 1) continue;
      const gap = Math.abs(
        (model.scale[j]?.a ?? 1) * ((d[i * L + j] as number) - (model.threshold[j] as number)),
      );
      if (gap < m) m = gap;
    }
    return m;
  });
  return left
    .map((p, i) => [p, margin[i] as number] as const)
    .sort((a, b) => a[1] - b[1])
    .slice(0, n)
    .map(([p]) => p);
}

export function learningCurve(
  trainFile: string,
  testFile: string,
  fullFile: string,
  log: (line: string) => void,
): Table {
  const { names, data: pool } = load(trainFile);
  const { data: test } = load(testFile);
  // The labels score.py scores: at least 20 examples in the public file, "Not assigned" aside.
  const { data: full } = load(fullFile);
  const L = names.length;
  const scored = names.flatMap((name, j) =>
    name !== "Not assigned" && full.labels.filter((ls) => ls.includes(j)).length >= 20 ? [j] : [],
  );
  const order = Array.from(shuffled(pool.examples.length, seededRandom(7)));
  const first = order.slice(0, BATCH);
  const rows: string[][] = [];
  const random = [...first];
  const unsure = [...first];
  for (let step = 1; step <= STEPS; step++) {
    const mRandom = train(pool, random, L);
    const mUnsure = train(pool, unsure, L);
    const fRandom = macroF1(mRandom, test, scored);
    const fUnsure = macroF1(mUnsure, test, scored);
    rows.push([String(random.length), fixed(fRandom, 3), fixed(fUnsure, 3)]);
    log(
      `learning curve: ${random.length} coded, macro-F1 random ${fixed(fRandom, 3)}, least sure ${fixed(fUnsure, 3)}`,
    );
    if (step === STEPS) break;
    random.push(...order.slice(random.length, random.length + BATCH));
    const taken = new Set(unsure);
    unsure.push(
      ...leastSure(
        mUnsure,
        pool,
        order.filter((p) => !taken.has(p)),
        BATCH,
      ),
    );
  }
  return {
    title: `Least sure first vs random order: macro-F1 on fold 0's test comments as comments are coded ${BATCH} at a time`,
    columns: ["comments coded", "random order", "least sure first"],
    rows,
  };
}
