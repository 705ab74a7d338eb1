import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../server/config.js";
import { runCli } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "sounding-retention-"));
const env = { SOUNDING_DB: join(dir, "retention.db"), SOUNDING_SEED_DEMO: "0" };

describe("npx sounding retention run", () => {
  it("erases the free text of a consultation whose retention period has passed, and logs the run", async () => {
    const definition = JSON.parse(
      readFileSync(join(projectRoot(), "tests", "fixtures", "library", "definition.json"), "utf8"),
    ) as Record<string, unknown>;
    // Closed more than two years before any day this test can run.
    const file = join(dir, "definition.json");
    writeFileSync(
      file,
      JSON.stringify({ ...definition, opens: "2022-01-01T09:00:00Z", closes: "2022-03-01T17:00:00Z" }),
    );
    expect((await runCli(["definition", "load", file], env)).status).toBe(0);
    const csv = join(dir, "paper.csv");
    writeFileSync(csv, "home-area,comments\narea-1,I am John Smith of 12 High Street\narea-2,\n");
    const slug = String(definition.slug);
    const imported = await runCli(["import", "--consultation", slug, csv], env);
    expect(imported.status, imported.stderr).toBe(0);

    const run = await runCli(["retention", "run"], env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `Retention: ${slug}: 0 unfinished response(s) deleted, 1 text answer(s) erased`,
    );

    const db = new Database(env.SOUNDING_DB, { readonly: true });
    try {
      const rows = db
        .prepare("SELECT a.text_value AS text FROM answers a WHERE a.text_value IS NOT NULL")
        .all() as { text: string }[];
      expect(rows).toEqual([{ text: "" }]);
      // The choices stay: both responses still answer home-area.
      expect(
        (db.prepare("SELECT count(*) AS n FROM answers WHERE option_id IS NOT NULL").get() as { n: number })
          .n,
      ).toBe(2);
      const runs = db.prepare("SELECT trigger, texts_erased, consultations_erased FROM retention_runs").all();
      expect(runs).toEqual([{ trigger: "command", texts_erased: 1, consultations_erased: 1 }]);
    } finally {
      db.close();
    }

    const again = await runCli(["retention", "run"], env);
    expect(again.stdout).toContain("nothing was due for deletion");
    const log = await runCli(["retention", "log"], env);
    expect(log.stdout.trim().split("\n")).toHaveLength(2);
  });
});
