import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Papa from "papaparse";
import { projectRoot } from "../../../server/config.js";

/** One comment of the public NHS feedback benchmark with its human labels. */
export interface NhsComment {
  id: string;
  text: string;
  /** FFT rating, 1 very good ... 5 very poor; 6 don't know, 7 not given (as in the file). */
  rating: number | null;
  /** Labeller's sentiment, 1 very positive ... 5 very negative (3 mixed); null where blank. */
  sentiment: number | null;
  labels: string[];
}

const FILE = "nhs-feedback-train.csv";

/** Where the benchmark folder is: THEMES_BENCHMARK_DIR, else ../shared beside the repository (or its worktree's parent). */
export function benchmarkDir(): string {
  const candidates = [
    process.env.THEMES_BENCHMARK_DIR,
    join(projectRoot(), "..", "shared", "benchmarks", "themes"),
    join(projectRoot(), "..", "..", "shared", "benchmarks", "themes"),
  ].filter((x): x is string => typeof x === "string");
  const found = candidates.find((d) => existsSync(join(d, FILE)));
  if (!found)
    throw new Error(`${FILE} not found: set THEMES_BENCHMARK_DIR (looked in ${candidates.join(", ")})`);
  return found;
}

/** The public file's comments that have text (a blank or "Did not answer" is no comment). */
export function loadNhsComments(): NhsComment[] {
  const text = readFileSync(join(benchmarkDir(), FILE), "utf8");
  const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  const [head, ...body] = rows;
  if (!head) return [];
  const labelNames = head.slice(11);
  const num = (s: string | undefined) => (s && /^\d$/.test(s.trim()) ? Number(s.trim()) : null);
  return body.flatMap((r) => {
    const t = (r[8] ?? "").trim();
    if (t === "" || t.toLowerCase() === "did not answer") return [];
    return [
      {
        id: r[0] ?? "",
        text: t,
        rating: num(r[6]),
        sentiment: num(r[10]),
        labels: labelNames.filter((_, i) => (r[11 + i] ?? "").trim() === "1"),
      },
    ];
  });
}
