/**
 * `npm run bench [-- name ...]`: run the benchmarks (all, or those whose name contains one of the
 * given words, e.g. `npm run bench -- posting`), print a table per benchmark and a PASS/FAIL line
 * per target. Exits 1 when a target is missed, 2 on a bad name or a benchmark that broke.
 *
 * Environment: BENCH_SECONDS (answer posting, default and minimum 20), BENCH_CPU_PROF=DIR (write a
 * CPU profile of the measured Sounding process there and print where its time went), SOAK_SECONDS
 * (the soak run, default 600).
 */
import { availableParallelism, loadavg } from "node:os";
import { answerPosting } from "./answer-posting.js";
import { durability } from "./durability.js";
import { exportImport } from "./export-import.js";
import { type Benchmark, formatTable, type Target, verdict } from "./lib/report.js";
import { redactionBench } from "./redaction.js";
import { responsiveness } from "./responsiveness.js";
import { resultsCount, resultsDashboard, resultsMatrix, resultsTexts } from "./results-queries.js";
import { soak } from "./soak.js";
import { campaigns, stance, themeDiscovery } from "./theme-discovery.js";
import { themesClassifier } from "./themes-classifier.js";
import { themesTraining } from "./themes-training.js";
import { themesWorkbench } from "./themes-workbench.js";

const ALL: Benchmark[] = [
  answerPosting,
  durability,
  resultsCount,
  resultsTexts,
  resultsDashboard,
  resultsMatrix,
  exportImport,
  responsiveness,
  soak,
  themesWorkbench,
  redactionBench,
  themesClassifier,
  themesTraining,
  themeDiscovery,
  stance,
  campaigns,
];

function pick(args: string[]): Benchmark[] {
  const words = args.filter((a) => a.trim() !== "");
  if (words.length === 0) return ALL;
  // A word that is a benchmark's whole name picks that one alone ("themes" is not "themes-workbench").
  const exact = ALL.filter((b) => words.some((w) => b.name === w.toLowerCase()));
  if (exact.length === words.length) return exact;
  const chosen = ALL.filter((b) => words.some((w) => b.name.includes(w.toLowerCase())));
  const unknown = words.filter((w) => !ALL.some((b) => b.name.includes(w.toLowerCase())));
  if (unknown.length > 0 || chosen.length === 0) {
    console.error(`Unknown benchmark: ${unknown.join(", ")}. Known: ${ALL.map((b) => b.name).join(", ")}`);
    process.exit(2);
  }
  return chosen;
}

/** The 1-minute load average: above the core count, other processes compete with the benchmark. */
const load = () => (loadavg()[0] ?? 0).toFixed(1);

async function main() {
  const benches = pick(process.argv.slice(2));
  const targets: Target[] = [];
  let broken = 0;
  for (const bench of benches) {
    console.log(`\n=== ${bench.title}`);
    const started = performance.now();
    const loadBefore = load();
    try {
      const outcome = await bench.run((line) => console.log(line));
      for (const table of outcome.tables) console.log(`\n${formatTable(table)}`);
      if (outcome.notes.length > 0) console.log(`\n${outcome.notes.map((n) => `Note: ${n}`).join("\n")}`);
      targets.push(...outcome.targets);
    } catch (err) {
      broken++;
      console.error(
        `\n${bench.name} broke: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      targets.push({ name: `${bench.name}: ran to completion`, measured: "broke", pass: false });
    }
    console.log(
      `(${bench.name}: ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${load()} ` +
        `on ${availableParallelism()} cores at the end, ${loadBefore} at the start: ` +
        "other work on the machine lowers every figure)",
    );
    globalThis.gc?.();
  }

  console.log("\n=== Targets");
  for (const t of targets) console.log(`${verdict(t.pass)}  ${t.name}  [${t.measured}]`);
  const pass = targets.every((t) => t.pass);
  console.log(
    `\nOVERALL: ${verdict(pass)} (${targets.filter((t) => t.pass).length}/${targets.length} targets met)`,
  );
  process.exitCode = broken > 0 ? 2 : pass ? 0 : 1;
}

await main();
