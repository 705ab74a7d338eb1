import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { ConsultationRepository } from "../../db/consultations.js";
import { ResultsRepository } from "../../db/results.js";
import { ResultsService } from "../services/results.js";
import { summaryCsv } from "../services/summary-export.js";
import { openForCli } from "./context.js";

export function exportCommands(program: Command) {
  const exp = program.command("export").description("Export results as CSV (UTF-8 with BOM, RFC 4180)");
  exp
    .command("summary")
    .description("The analysis tables in long form: counts, bases, unrounded shares, paired shifts and tests")
    .requiredOption("--consultation <slug>", "the consultation")
    .requiredOption("--out <file.csv>", "where to write the CSV")
    .option("--group-by <question id>", "repeat every table for each option of this closed question")
    .action((opts: { consultation: string; out: string; groupBy?: string }) => {
      const { db } = openForCli();
      try {
        const consultations = new ConsultationRepository(db);
        const row = consultations.findBySlug(opts.consultation);
        if (!row) throw new Error(`No consultation "${opts.consultation}"`);
        const csv = summaryCsv(
          new ResultsService(new ResultsRepository(db), consultations),
          row,
          opts.groupBy,
        );
        writeFileSync(opts.out, csv);
        console.log(`Wrote ${csv.split("\r\n").length - 2} rows to ${opts.out}`);
      } finally {
        db.close();
      }
    });
}
