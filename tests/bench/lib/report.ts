/** One pass/fail target a benchmark checks. */
export interface Target {
  /** What is required, e.g. "requests/s ratio Sounding/baseline >= 0.5". */
  name: string;
  /** The measured value, e.g. "0.62". */
  measured: string;
  pass: boolean;
}

/** A side-by-side table: the first column names each row, the others are the things compared. */
export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
}

export interface Outcome {
  tables: Table[];
  notes: string[];
  targets: Target[];
}

export interface Benchmark {
  /** Short name used to pick it on the command line. */
  name: string;
  title: string;
  run(log: (line: string) => void): Promise<Outcome>;
}

export function formatTable(table: Table): string {
  const all = [table.columns, ...table.rows];
  const widths = table.columns.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [table.title, line(table.columns), rule, ...table.rows.map(line)].join("\n");
}

export const int = (n: number) => Math.round(n).toLocaleString("en-GB");
export const ms = (n: number) => `${n.toFixed(1)} ms`;
export const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
export const verdict = (pass: boolean) => (pass ? "PASS" : "FAIL");
