import type { Command } from "commander";
import { openForCli } from "./context.js";

/** `sounding retention run` (the server's daily job, now) and `sounding retention log`. */
export function retentionCommands(program: Command) {
  const retention = program
    .command("retention")
    .description(
      "Delete what the privacy notice says goes: drafts after closing, free text after the retention period",
    );
  retention
    .command("run")
    .description(
      "Run the retention job now: unfinished responses 30 days after closing; free text once a consultation's retention period (default 24 months after closing) has passed",
    )
    .action(async () => {
      const { db, services } = openForCli();
      try {
        const details = await services.retention.run("command");
        if (details.length === 0) console.log("Retention: nothing was due for deletion");
        for (const d of details)
          console.log(
            `Retention: ${d.slug}: ${d.draftsDeleted} unfinished response(s) deleted` +
              (d.erased
                ? `, ${d.textsErased} text answer(s) erased, ${d.quotesKept} approved quote(s) kept redacted`
                : ""),
          );
      } finally {
        db.close();
      }
    });
  retention
    .command("log")
    .description("List the retention job's recent runs, newest first")
    .option("--limit <n>", "how many runs", "20")
    .action((opts: { limit: string }) => {
      const limit = Number.parseInt(opts.limit, 10);
      if (!Number.isInteger(limit) || limit < 1)
        throw new Error("--limit must be a whole number of 1 or more");
      const { db, services } = openForCli();
      try {
        for (const r of services.retention.runs(limit))
          console.log(
            [
              r.startedAt,
              r.trigger,
              `${r.draftsDeleted} drafts`,
              `${r.textsErased} texts`,
              r.error ?? "ok",
            ].join("\t"),
          );
      } finally {
        db.close();
      }
    });
}
