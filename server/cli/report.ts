import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import type { Command } from "commander";
import ejs from "ejs";
import { reportPageLocals } from "../routes/report/page.js";
import type { BuiltReport } from "../services/report.js";
import { viewOptions } from "../view-options.js";
import { openForCli } from "./context.js";
import { DEFAULT_CHROMIUM, printPdf } from "./report-pdf.js";

function asset(root: string, ...path: string[]): string {
  const file = join(root, ...path);
  if (!existsSync(file))
    throw new Error(`${path.join("/")} is missing: build the assets first (node scripts/copy-assets.mjs)`);
  return readFileSync(file, "utf8");
}

/**
 * The report as one self-contained HTML file: the compiled stylesheet, Chart.js and the chart
 * script inlined, so it opens anywhere without a server. Without JavaScript the tables carry every
 * figure, as on the web page.
 */
export async function standaloneHtml(root: string, council: string, built: BuiltReport): Promise<string> {
  const assets = {
    css: asset(root, "public", "vendor", "app.css"),
    scripts: [asset(root, "public", "vendor", "chart.umd.min.js"), asset(root, "public", "js", "charts.js")],
  };
  return ejs.renderFile(
    join(root, "views", "report", "report.ejs"),
    {
      ...reportPageLocals(built, "standalone"),
      council,
      assets,
    },
    viewOptions(root),
  );
}

export function reportCommand(program: Command) {
  program
    .command("report")
    .description(
      "Write the consultation summary report: a self-contained HTML file, or a PDF printed by chromium",
    )
    .requiredOption("--consultation <slug>", "the consultation")
    .requiredOption("--out <file.html|file.pdf>", "where to write it; the extension chooses the format")
    .option("--chromium <path>", "the chromium that prints PDFs", DEFAULT_CHROMIUM)
    .option(
      "--officers",
      "quote every comment as written, for officers only; without it only comments an officer approved are quoted, redacted",
    )
    .action(async (opts: { consultation: string; out: string; chromium: string; officers?: boolean }) => {
      const format = extname(opts.out).toLowerCase();
      if (![".html", ".htm", ".pdf"].includes(format))
        throw new Error(`--out must end in .html or .pdf, not "${format || opts.out}"`);
      const { config, db, services } = openForCli();
      try {
        const row = services.consultations.find(opts.consultation);
        if (!row) throw new Error(`No consultation "${opts.consultation}"`);
        // A file is easily passed on: unless asked for officers, it quotes what the public report does.
        const built = services.report.build(row, undefined, undefined, opts.officers ? "officer" : "public");
        const html = await standaloneHtml(config.root, config.council, built);
        if (format === ".pdf")
          await printPdf(html, opts.out, {
            footer: `${built.report.consultationTitle}: consultation summary report`,
            chromiumPath: opts.chromium,
          });
        else writeFileSync(opts.out, html);
        console.log(
          `Wrote the summary report of "${row.slug}" (${built.report.respondents} responses) to ${opts.out}`,
        );
      } finally {
        db.close();
      }
    });
}
