/**
 * `npm run bench -- themes`: Sounding's theme classifier against scikit-learn on the public NHS
 * feedback benchmark (../shared/benchmarks/themes, or THEMES_BENCH_DIR), side by side in one run.
 *
 * Five-fold cross-validation on the folds written by the benchmark's own folds.py, so both sides
 * train and predict on exactly the same files; both sides' predictions are scored by its score.py.
 * Sounding runs once per seed of its inner split (three seeds); the baseline has no seed. Then the
 * speed and memory targets: training on 5,000 comments and predicting 1,000, and tagging 100,000,
 * each in a process of its own so that its peak memory is its own. When scikit-learn is missing the
 * baseline is skipped with the command that installs it, and Sounding's own figures still print.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Papa from "papaparse";
import { projectRoot } from "../../server/config.js";
import { type Benchmark, fixed, type Table, type Target } from "./lib/report.js";
import { learningCurve } from "./themes-learning-curve.js";

const SEEDS = [1, 2, 3];
const FOLDS = 5;
const PYTHON = "/usr/bin/python3";
const here = dirname(fileURLToPath(import.meta.url));

function benchDir(): string {
  const candidates = [
    process.env.THEMES_BENCH_DIR,
    join(projectRoot(), "..", "shared", "benchmarks", "themes"),
    "/work/shared/benchmarks/themes",
  ].filter((d): d is string => typeof d === "string" && d !== "");
  const found = candidates.find((d) => existsSync(join(d, "nhs-feedback-train.csv")));
  if (!found)
    throw new Error(`No nhs-feedback-train.csv in ${candidates.join(" or ")} (set THEMES_BENCH_DIR)`);
  return found;
}

function run(cmd: string, args: string[]): { out: string; ms: number } {
  const started = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr || r.error?.message}`);
  return { out: r.stdout, ms };
}

interface Scores {
  macro: number;
  samples: number;
  micro: number;
}

function score(dir: string, truth: string, predictions: string): Scores {
  const { out } = run(PYTHON, [join(dir, "score.py"), truth, predictions, "20", truth]);
  const num = (name: string) => Number(new RegExp(`${name}=([0-9.]+)`).exec(out)?.[1] ?? Number.NaN);
  return { macro: num("macro_f1"), samples: num("samples_f1"), micro: num("micro_f1") };
}

interface Job {
  trainMs: number;
  predictMs: number;
  peakMb: number;
}

/** Sounding's `themes predict` in its own process (themes-job.ts). */
function sounding(train: string, input: string, out: string, seed: number): Job {
  const { out: line } = run(process.execPath, [join(here, "themes-job.js"), train, input, out, String(seed)]);
  return JSON.parse(line.trim().split("\n").pop() ?? "{}") as Job;
}

/** The predictions of the five folds as one file, for score.py. */
function joinPredictions(parts: string[], out: string): void {
  const lines = ["Comment ID,labels"];
  for (const p of parts) lines.push(...readFileSync(p, "utf8").trim().split(/\r?\n/).slice(1));
  writeFileSync(out, `${lines.join("\n")}\n`);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const range = (xs: number[]) => `${fixed(Math.min(...xs), 3)}-${fixed(Math.max(...xs), 3)}`;

/** Files for the speed targets: 5,000 labelled training comments, 1,000 others, and 100,000. */
function speedFiles(source: string, work: string): { train5k: string; input1k: string; input100k: string } {
  const [head, ...rows] = Papa.parse<string[]>(readFileSync(source, "utf8"), { skipEmptyLines: true }).data;
  if (!head) throw new Error(`${source} is empty`);
  const labelled = rows.filter((r) => (r[8] ?? "").trim() !== "" && r.slice(11).some((x) => x === "1"));
  const train = labelled.slice(0, 5000);
  const taken = new Set(train);
  const rest = rows.filter((r) => (r[8] ?? "").trim() !== "" && !taken.has(r)).slice(0, 1000);
  const many: string[][] = [];
  for (let i = 0; many.length < 100_000; i++) {
    const r = [...(rows[i % rows.length] as string[])];
    r[0] = `${r[0]}#${i}`;
    if ((r[8] ?? "").trim() !== "") many.push(r);
  }
  const write = (name: string, body: string[][]) => {
    const file = join(work, name);
    writeFileSync(file, Papa.unparse([head, ...body]));
    return file;
  };
  return {
    train5k: write("train5k.csv", train),
    input1k: write("input1k.csv", rest),
    input100k: write("input100k.csv", many),
  };
}

export const themesClassifier: Benchmark = {
  name: "themes",
  title: "Theme suggestions: Sounding's classifier vs scikit-learn, 5-fold CV on the NHS feedback benchmark",
  async run(log) {
    const dir = benchDir();
    const source = join(dir, "nhs-feedback-train.csv");
    const work = mkdtempSync(join(tmpdir(), "sounding-themes-bench-"));
    const notes: string[] = [];
    const targets: Target[] = [];
    const tables: Table[] = [];
    try {
      if (!existsSync(PYTHON))
        throw new Error(`${PYTHON} is needed for the benchmark's folds.py and score.py`);
      log(run(PYTHON, [join(dir, "folds.py"), source, work]).out.trim());
      const fold = (kind: string, k: number) => join(work, `${kind}_${k}.csv`);

      const perSeed: (Scores & { trainS: number; peakMb: number })[] = [];
      for (const seed of SEEDS) {
        const parts: string[] = [];
        let trainMs = 0;
        let peakMb = 0;
        for (let k = 0; k < FOLDS; k++) {
          const out = join(work, `sounding_${seed}_${k}.csv`);
          const job = sounding(fold("train", k), fold("test", k), out, seed);
          trainMs += job.trainMs;
          peakMb = Math.max(peakMb, job.peakMb);
          parts.push(out);
        }
        joinPredictions(parts, join(work, `sounding_${seed}.csv`));
        const s = score(dir, source, join(work, `sounding_${seed}.csv`));
        perSeed.push({ ...s, trainS: trainMs / 1000 / FOLDS, peakMb });
        log(`Sounding, seed ${seed}: macro-F1 ${fixed(s.macro, 4)}, samples-F1 ${fixed(s.samples, 4)}`);
      }

      const sklearn = spawnSync(PYTHON, ["-c", "import sklearn"], { encoding: "utf8" }).status === 0;
      let baseline: (Scores & { seconds: number }) | null = null;
      if (sklearn) {
        const parts: string[] = [];
        let ms = 0;
        for (let k = 0; k < FOLDS; k++) {
          const out = join(work, `baseline_${k}.csv`);
          ms += run(PYTHON, [
            join(dir, "baseline_sklearn.py"),
            fold("train", k),
            fold("test", k),
            out,
            "lr",
          ]).ms;
          parts.push(out);
        }
        joinPredictions(parts, join(work, "baseline.csv"));
        baseline = { ...score(dir, source, join(work, "baseline.csv")), seconds: ms / 1000 / FOLDS };
        log(
          `scikit-learn baseline: macro-F1 ${fixed(baseline.macro, 4)}, samples-F1 ${fixed(baseline.samples, 4)}`,
        );
      } else {
        notes.push(
          "scikit-learn is missing, so the baseline was not run: install it with `sudo apt-get install " +
            "python3-sklearn` and run the benchmark again. Sounding's figures above stand on their own.",
        );
      }

      const m = (f: (s: Scores) => number) => mean(perSeed.map(f));
      tables.push({
        title:
          "Five-fold cross-validation, scored by score.py (Sounding: mean of three seeds, with their range)",
        columns: ["", "macro-F1", "samples-F1", "micro-F1", "train+predict per fold"],
        rows: [
          [
            "Sounding",
            `${fixed(
              m((s) => s.macro),
              4,
            )} (${range(perSeed.map((s) => s.macro))})`,
            `${fixed(
              m((s) => s.samples),
              4,
            )} (${range(perSeed.map((s) => s.samples))})`,
            fixed(
              m((s) => s.micro),
              4,
            ),
            `${fixed(mean(perSeed.map((s) => s.trainS)), 1)} s (training)`,
          ],
          baseline
            ? [
                "scikit-learn (baseline_sklearn.py lr)",
                fixed(baseline.macro, 4),
                fixed(baseline.samples, 4),
                fixed(baseline.micro, 4),
                `${fixed(baseline.seconds, 1)} s (whole script)`,
              ]
            : ["scikit-learn", "not run", "not run", "not run", ""],
        ],
      });
      if (baseline) {
        const b = baseline;
        targets.push(
          {
            name: "themes: macro-F1 >= baseline + 0.015 (mean of 3 seeds)",
            measured: `${fixed(
              m((s) => s.macro),
              4,
            )} vs ${fixed(b.macro + 0.015, 4)}`,
            pass: m((s) => s.macro) >= b.macro + 0.015,
          },
          {
            name: "themes: samples-F1 >= baseline + 0.015 (mean of 3 seeds)",
            measured: `${fixed(
              m((s) => s.samples),
              4,
            )} vs ${fixed(b.samples + 0.015, 4)}`,
            pass: m((s) => s.samples) >= b.samples + 0.015,
          },
        );
      }

      const curve = learningCurve(fold("train", 0), fold("test", 0), source, log);
      tables.push(curve);
      const finalRandom = Number(curve.rows.at(-1)?.[1] ?? Number.NaN);
      const reached = curve.rows.find((r) => Number(r[2]) >= finalRandom);
      notes.push(
        `Least sure first reached the macro-F1 that random order reached with ${curve.rows.at(-1)?.[0]} coded ` +
          `comments (${fixed(finalRandom, 3)}) ${reached ? `with ${reached[0]}` : "not within the curve"}.`,
      );
      const files = speedFiles(source, work);
      const small = SEEDS.map((seed) =>
        sounding(files.train5k, files.input1k, join(work, "out1k.csv"), seed),
      );
      const big = sounding(files.train5k, files.input100k, join(work, "out100k.csv"), 1);
      const smallS = mean(small.map((j) => (j.trainMs + j.predictMs) / 1000));
      const peak = Math.max(big.peakMb, ...small.map((j) => j.peakMb), ...perSeed.map((s) => s.peakMb));
      tables.push({
        title: "Speed and memory (each run a process of its own; times exclude reading the CSV files)",
        columns: ["", "Sounding", "target"],
        rows: [
          ["train on 5,000 + predict 1,000 (mean of 3 seeds)", `${fixed(smallS, 2)} s`, "<= 5 s"],
          ["tag 100,000 comments", `${fixed(big.predictMs / 1000, 2)} s`, "<= 5 s"],
          ["peak memory (resident set, largest run)", `${fixed(peak, 0)} MB`, "<= 300 MB"],
        ],
      });
      targets.push(
        {
          name: "themes: train 5,000 + predict 1,000 <= 5 s",
          measured: `${fixed(smallS, 2)} s`,
          pass: smallS <= 5,
        },
        {
          name: "themes: tag 100,000 comments <= 5 s",
          measured: `${fixed(big.predictMs / 1000, 2)} s`,
          pass: big.predictMs <= 5000,
        },
        { name: "themes: peak memory <= 300 MB", measured: `${fixed(peak, 0)} MB`, pass: peak <= 300 },
      );
      notes.push(
        "The baseline has no seed, so it runs once; its time is the whole script per fold (Python start, " +
          "reading, fitting, predicting), Sounding's the training alone.",
      );
      return { tables, notes, targets };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
