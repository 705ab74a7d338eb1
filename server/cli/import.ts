import { readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { IMPORT_CHANNELS, type ImportChannel } from "../services/response-import.js";
import { openForCli } from "./context.js";
import { ProgressBar } from "./progress.js";

export function importCommand(program: Command) {
  program
    .command("import")
    .description(
      "Import responses from paper forms, emails or events: a CSV (UTF-8) with a column per question, " +
        "as `export responses` writes it or headed with the question texts. All or nothing: a file with " +
        "any bad row stores nothing and every problem is listed by line and column. Importing the same " +
        "file again adds nothing.",
    )
    .argument("<file.csv>", "the responses, one row per response")
    .requiredOption("--consultation <slug>", "the consultation")
    .addOption(
      new Option("--channel <channel>", "how the responses came in, for rows without a channel column")
        .choices(IMPORT_CHANNELS)
        .default("paper"),
    )
    .action(async (file: string, opts: { consultation: string; channel: ImportChannel }) => {
      process.exitCode = await importFile(file, opts.consultation, opts.channel);
    });
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
    const notes = [`${result.skippedDuplicates} already imported, skipped`];
    if (result.incomplete > 0)
      notes.push(`${result.incomplete} leave some required questions unanswered, stored as given`);
    console.log(`Imported ${result.imported} responses to "${slug}" (${notes.join("; ")})`);
    return 0;
  } finally {
    db.close();
  }
}
