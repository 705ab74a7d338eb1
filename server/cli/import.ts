import { readFileSync, writeFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { IMPORT_CHANNELS, type ImportChannel, type ImportResult } from "../services/response-import.js";
import { openForCli } from "./context.js";
import { ProgressBar } from "./progress.js";

interface ImportOpts {
  consultation: string;
  channel: ImportChannel;
  template?: boolean;
  out?: string;
}

export function importCommand(program: Command) {
  program
    .command("import")
    .description(
      "Import responses from paper forms, emails or events: a CSV (UTF-8) with a column per question, " +
        "as `export responses` or `import --template` writes it, or headed with the question texts (grid " +
        "columns may be headed by the statement alone where that is unique). A question with no column is " +
        "left unanswered (and listed). Optional columns: reference, channel, submitted_at (the date received). " +
        "All or nothing: a file with any bad row stores nothing and every problem is listed by line and " +
        "column. Importing the same file again adds nothing; rows that repeat a response from another file " +
        "are kept and listed for you to check.",
    )
    .argument("[file.csv]", "the responses, one row per response")
    .requiredOption("--consultation <slug>", "the consultation")
    .addOption(
      new Option("--channel <channel>", "how the responses came in, for rows without a channel column")
        .choices(IMPORT_CHANNELS)
        .default("paper"),
    )
    .option("--template", "write an empty CSV with every accepted column and a row saying what each may hold")
    .option("--out <file.csv>", "with --template: where to write it (default: standard output)")
    .action(async (file: string | undefined, opts: ImportOpts) => {
      if (opts.template) process.exitCode = writeTemplate(opts.consultation, opts.out);
      else if (!file) {
        console.error("Name the CSV file to import (or use --template for an empty one)");
        process.exitCode = 1;
      } else process.exitCode = await importFile(file, opts.consultation, opts.channel);
    });
}

/** Write the import template for a consultation; returns the exit code. */
export function writeTemplate(slug: string, out?: string): number {
  const { db, services } = openForCli();
  try {
    const row = services.consultations.find(slug);
    if (!row) {
      console.error(`No consultation "${slug}"`);
      return 1;
    }
    const csv = services.transfer.importTemplate(row);
    if (out) {
      writeFileSync(out, csv);
      console.log(`Wrote the import template for "${slug}" to ${out}`);
    } else process.stdout.write(csv);
    return 0;
  } finally {
    db.close();
  }
}

/** Returns the exit code: 0 stored (or nothing new), 1 refused. */
export async function importFile(file: string, slug: string, channel: ImportChannel): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    console.error(`${file}: cannot read it: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const { db, services } = openForCli();
  try {
    const row = services.consultations.find(slug);
    if (!row) {
      console.error(`No consultation "${slug}"`);
      return 1;
    }
    const bar = new ProgressBar(process.stderr);
    const result = await services.transfer.importCsv(row, bytes, {
      channel,
      onProgress: (p) => bar.update(p.phase === "checking" ? "Checking" : "Storing", p.done, p.total),
    });
    bar.done();
    if (result.errorCount > 0) {
      const s = result.errorCount === 1 ? "" : "s";
      console.error(
        `${file}: nothing was imported. Correct ${result.errorCount} problem${s} and import it again:`,
      );
      for (const e of result.errors)
        console.error(`  line ${e.line}${e.column ? `, column "${e.column}"` : ""}: ${e.reason}`);
      if (result.errorCount > result.errors.length)
        console.error(`  ... and ${result.errorCount - result.errors.length} more`);
      return 1;
    }
    for (const line of importSummary(slug, result)) console.log(line);
    return 0;
  } finally {
    db.close();
  }
}

const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

/** What an accepted import did, as lines for the terminal. */
export function importSummary(slug: string, result: ImportResult): string[] {
  const notes = [`${result.skippedDuplicates.toLocaleString("en-GB")} already imported, skipped`];
  if (result.blankRows > 0) notes.push(`${plural(result.blankRows, "blank row", "blank rows")} skipped`);
  if (result.incomplete > 0)
    notes.push(
      `${plural(result.incomplete, "leaves", "leave")} some required questions unanswered, stored as given`,
    );
  const lines = [
    `Imported ${plural(result.imported, "response", "responses")} to "${slug}" (${notes.join("; ")})`,
  ];
  if (result.unanswered.length > 0) {
    lines.push("The file has no column for these questions, so every row leaves them unanswered:");
    for (const q of result.unanswered) lines.push(`  ${q.id}: ${q.text}`);
  }
  if (result.possibleDuplicateCount > 0) {
    lines.push(
      `${plural(result.possibleDuplicateCount, "row has", "rows have")} the same answers and time as a response imported from another file. ` +
        "Both are kept: check whether each is the same form entered twice.",
    );
    for (const d of result.possibleDuplicates)
      lines.push(`  line ${d.line}, stored as ${d.reference}: the same as ${d.matches}`);
    if (result.possibleDuplicateCount > result.possibleDuplicates.length)
      lines.push(`  ... and ${result.possibleDuplicateCount - result.possibleDuplicates.length} more`);
  }
  return lines;
}
