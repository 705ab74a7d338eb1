import { readFileSync, writeFileSync } from "node:fs";
import Papa from "papaparse";
import { chooseLabels, decisionValues, trainClassifier } from "../../analysis/themes/classifier.js";
import type { CommentExample } from "../../analysis/themes/hashed-features.js";
import { toCsv } from "./csv.js";
import { decodeCsv } from "./csv-rows.js";

/**
 * `sounding themes predict`: learn themes from a labelled CSV (one 0/1 column per theme) and write
 * the themes of another file's comments, as `Comment ID,labels` with the labels joined by "|".
 * The same classifier the workbench trains, on files instead of the database, so it can be
 * measured against other tools on a public benchmark.
 */
export interface PredictFileOptions {
  train: string;
  input: string;
  out: string;
  idColumn: string;
  textColumn: string;
  /** The closed answer used as a feature beside the text; "" for none. */
  ratingColumn: string;
  /** The first theme column, by name or 1-based number; every column from it on is a theme. */
  firstLabelColumn: string;
  seed: number;
}

export const PREDICT_DEFAULTS = {
  idColumn: "Comment ID",
  textColumn: "FFT answer",
  ratingColumn: "FFT categorical answer",
  firstLabelColumn: "12",
  seed: 1,
} as const;

interface Table {
  file: string;
  head: string[];
  rows: string[][];
}

/**
 * A CSV file's header and rows; with `keep`, only the columns of those names (the others of a
 * 100,000-row file with 60 columns would be most of the command's memory).
 */
function readTable(file: string, keep?: readonly string[]): Table {
  const decoded = decodeCsv(readFileSync(file));
  if ("error" in decoded) throw new Error(`${file}: ${decoded.error}`);
  const seen: { head: string[] | null; at: number[] } = { head: null, at: [] };
  const rows: string[][] = [];
  Papa.parse<string[]>(decoded.text, {
    skipEmptyLines: true,
    step: (result) => {
      const row = result.data;
      if (seen.head === null) {
        seen.at = keep ? keep.map((name) => row.indexOf(name)) : row.map((_, i) => i);
        // A column asked for and missing is named by columnOf, as for a file read whole.
        seen.head = (keep ? [...keep] : row).map((name, i) =>
          (seen.at[i] as number) < 0 ? `${name} (missing)` : name,
        );
        return;
      }
      rows.push(seen.at.map((i) => (i < 0 ? "" : (row[i] ?? ""))));
    },
  });
  if (seen.head === null) throw new Error(`${file} is empty`);
  return { file, head: seen.head, rows };
}

function columnOf(table: Table, name: string, what: string): number {
  const at = table.head.indexOf(name);
  if (at < 0) throw new Error(`${table.file} has no ${what} column "${name}"`);
  return at;
}

function firstLabelOf(table: Table, spec: string): number {
  const n = /^\d{1,4}$/.test(spec) ? Number(spec) - 1 : table.head.indexOf(spec);
  if (n < 0 || n >= table.head.length) throw new Error(`${table.file} has no label column "${spec}"`);
  return n;
}

function examplesOf(table: Table, o: PredictFileOptions, rows: string[][]): CommentExample[] {
  const text = columnOf(table, o.textColumn, "text");
  const rating = o.ratingColumn === "" ? -1 : columnOf(table, o.ratingColumn, "rating");
  return rows.map((r) => ({
    text: r[text] ?? "",
    closed:
      rating >= 0 && (r[rating] ?? "").trim() !== "" ? [`${o.ratingColumn}=${(r[rating] ?? "").trim()}`] : [],
  }));
}

export interface PredictFileSummary {
  trained: number;
  themes: number;
  learned: number;
  predicted: number;
  /** Milliseconds spent learning (features, SVMs, inner folds) and giving themes (features, scores). */
  trainMs: number;
  predictMs: number;
}

export function predictThemesFile(o: PredictFileOptions): PredictFileSummary {
  const train = readTable(o.train);
  const input = readTable(o.input, [
    o.idColumn,
    o.textColumn,
    ...(o.ratingColumn === "" ? [] : [o.ratingColumn]),
  ]);
  const first = firstLabelOf(train, o.firstLabelColumn);
  const labels = train.head.slice(first);
  const text = columnOf(train, o.textColumn, "text");
  // A training comment has text and at least one theme; the others say nothing about the themes.
  const labelled = train.rows.filter(
    (r) => (r[text] ?? "").trim() !== "" && r.slice(first).some((x) => x.trim() === "1"),
  );
  const L = labels.length;
  const targets = new Int8Array(labelled.length * L);
  labelled.forEach((r, i) => {
    for (let j = 0; j < L; j++) targets[i * L + j] = (r[first + j] ?? "").trim() === "1" ? 1 : -1;
  });
  const trainStart = performance.now();
  const model = trainClassifier(
    { examples: examplesOf(train, o, labelled), labelCount: L, targets },
    { seed: o.seed },
  );

  const trainMs = performance.now() - trainStart;
  const id = columnOf(input, o.idColumn, "id");
  const inputText = columnOf(input, o.textColumn, "text");
  const withText = input.rows.filter((r) => (r[inputText] ?? "").trim() !== "");
  const predictStart = performance.now();
  // A slice at a time, so the decision values of 100,000 comments are never all held at once.
  const out: string[][] = [];
  for (let from = 0; from < withText.length; from += 5000) {
    const slice = withText.slice(from, from + 5000);
    const chosen = chooseLabels(model, decisionValues(model, examplesOf(input, o, slice)), true);
    slice.forEach((r, i) => {
      out.push([r[id] ?? "", (chosen[i] ?? []).map((j) => labels[j]).join("|")]);
    });
  }
  const predictMs = performance.now() - predictStart;
  // No byte order mark: the file is for scoring scripts rather than spreadsheets.
  writeFileSync(o.out, toCsv(["Comment ID", "labels"], out, false));
  return {
    trained: labelled.length,
    themes: L,
    learned: model.learned.reduce((a, b) => a + b, 0),
    predicted: out.length,
    trainMs,
    predictMs,
  };
}
