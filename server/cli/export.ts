import { createWriteStream, writeFileSync } from "node:fs";
import { finished } from "node:stream/promises";
import type { Command } from "commander";
import type { Db } from "../../db/connection.js";
import { createServices } from "../services/create.js";
import { summaryCsv } from "../services/summary-export.js";
import { openForCli } from "./context.js";

export function exportCommands(program: Command) {
  const exp = program.command("export").description("Export results as CSV (UTF-8 with BOM, RFC 4180)");
  exp
    .command("summary")
    .description(
      "The analysis tables in long form: counts, bases, shares (to 4 decimal places), paired shifts and tests",
    )
    .requiredOption("--consultation <slug>", "the consultation")
    .requiredOption("--out <file.csv>", "where to write the CSV")
    .option("--group-by <question id>", "repeat every table for each option of this closed question")
    .option("--full-precision", "every digit of shares, shifts and p values instead of 4 places or figures")
    .action((opts: { consultation: string; out: string; groupBy?: string; fullPrecision?: boolean }) => {
      const { db, services } = openForCli();
      try {
        const row = services.consultations.find(opts.consultation);
        if (!row) throw new Error(`No consultation "${opts.consultation}"`);
        const csv = summaryCsv(services.results, row, opts.groupBy, services.themes, {
          fullPrecision: opts.fullPrecision === true,
        });
        writeFileSync(opts.out, csv);
        console.log(`Wrote ${csv.split("\r\n").length - 2} rows to ${opts.out}`);
      } finally {
        db.close();
      }
    });
  exp
    .command("responses")
    .description(
      "The raw responses: one row per response (reference, channel, submitted time), a column per " +
        "question or statement, a 0/1 column per option of a multiple-choice question",
    )
    .requiredOption("--consultation <slug>", "the consultation")
    .requiredOption("--out <file.csv>", "where to write the CSV")
    .option("--labels", "question texts as column headings and option labels instead of option codes")
    .action(async (opts: { consultation: string; out: string; labels?: boolean }) => {
      const { db } = openForCli();
      try {
        const n = await exportResponsesFile(db, opts.consultation, opts.out, opts.labels === true);
        console.log(`Wrote ${n} responses to ${opts.out}`);
      } finally {
        db.close();
      }
    });
}

/**
 * Stream a consultation's raw responses to a file; returns the number of responses. This command's
 * connection reads each database page once, so a small page cache is enough: it keeps the peak
 * memory of a 500,000-response export near 130 MB instead of 200 MB (npm run bench -- export).
 */
export async function exportResponsesFile(
  db: Db,
  slug: string,
  file: string,
  labels: boolean,
): Promise<number> {
  db.pragma("cache_size = -8192");
  const services = createServices(db, () => new Date());
  const row = services.consultations.find(slug);
  if (!row) throw new Error(`No consultation "${slug}"`);
  const out = createWriteStream(file);
  try {
    return await services.transfer.exportCsv(row, out, { labels });
  } finally {
    out.end();
    await finished(out);
  }
}
