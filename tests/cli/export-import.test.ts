import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrate, openDatabase } from "../../db/connection.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { loadDemo } from "../../db/seed/demo.js";
import { ProgressBar } from "../../server/cli/progress.js";
import { projectRoot } from "../../server/config.js";
import { BOM } from "../../server/services/csv.js";
import { runCli } from "../support/cli.js";

const SLUG = "commissioning-procurement-2015";
const root = projectRoot();
/** The CLI would load the demo into a database without it: these databases are set up by hand. */
const env = (db: string) => ({ SOUNDING_DB: db, SOUNDING_SEED_DEMO: "0" });

/** A database file holding the demo (source) or only the commissioning definition (copy). */
function databaseFile(dir: string, name: string, demo: boolean): string {
  const path = join(dir, name);
  const db = openDatabase(path);
  migrate(db, join(root, "db", "migrations"));
  if (demo) loadDemo(db, root, new Date("2026-01-05T09:00:00Z"));
  else {
    const source = openDatabase(":memory:");
    migrate(source, join(root, "db", "migrations"));
    loadDemo(source, root);
    const row = new ConsultationRepository(source).findBySlug(SLUG);
    if (!row) throw new Error("no demo");
    new ConsultationRepository(db).save(row.definition);
    source.close();
  }
  db.close();
  return path;
}

function submitted(path: string): number {
  const db = openDatabase(path);
  try {
    return new ConsultationRepository(db).submittedCount(
      new ConsultationRepository(db).findBySlug(SLUG)?.id ?? 0,
    );
  } finally {
    db.close();
  }
}

describe("npx sounding export responses / import", () => {
  const dir = mkdtempSync(join(tmpdir(), "sounding-transfer-"));
  const source = databaseFile(dir, "source.db", true);
  const copy = databaseFile(dir, "copy.db", false);
  const exported = join(dir, "responses.csv");

  it("exports raw responses, imports them into a fresh copy and gives the same summary", async () => {
    const run = await runCli(["export", "responses", "--consultation", SLUG, "--out", exported], {
      ...env(source),
    });
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(`Wrote 43 responses to ${exported}`);
    const text = readFileSync(exported, "utf8");
    expect(text.startsWith(`${BOM}reference,channel,submitted_at,roles__public,`)).toBe(true);
    expect(text).toContain("perceptions-before__best-job");

    const labelled = join(dir, "labels.csv");
    await runCli(["export", "responses", "--consultation", SLUG, "--out", labelled, "--labels"], {
      ...env(source),
    });
    expect(readFileSync(labelled, "utf8")).toContain("Strongly agree");

    const imported = await runCli(["import", "--consultation", SLUG, exported], env(copy));
    expect(imported.stdout).toContain(`Imported 43 responses to "${SLUG}" (0 already imported, skipped)`);
    // Not a terminal here: the progress bar prints a line per tenth.
    expect(imported.stderr).toContain("Checking: 100%");
    expect(imported.stderr).toContain("Storing: 100%");
    expect(imported.status).toBe(0);

    const summaries: string[] = [];
    for (const name of ["source", "copy"]) {
      const out = join(dir, `${name}-summary.csv`);
      await runCli(["export", "summary", "--consultation", SLUG, "--out", out], {
        ...env(name === "source" ? source : copy),
      });
      // The comment themes are the officers' coding, not part of the responses: left out here.
      summaries.push(
        readFileSync(out, "utf8")
          .split("\r\n")
          .filter((line) => !line.includes(",themes,Themes in the comments"))
          .join("\r\n"),
      );
    }
    expect(summaries[1]).toBe(summaries[0]);

    const again = await runCli(["import", "--consultation", SLUG, exported, "--channel", "email"], {
      ...env(copy),
    });
    expect(again.stdout).toContain("Imported 0 responses");
    expect(again.stdout).toContain("43 already imported, skipped");
    expect(submitted(copy)).toBe(43);
  }, 180_000);

  it("prints the report and exits 1, storing nothing, when a row is bad", async () => {
    const lines = readFileSync(exported, "utf8").split("\r\n");
    lines[5] =
      lines[5]?.replace(/,(strongly-agree|agree|neither|disagree|strongly-disagree|dont-know),/, ",maybe,") ??
      "";
    lines[9] = lines[9]?.replace(/^SND-/, "XYZ-") ?? "";
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, lines.join("\r\n"));
    const fresh = databaseFile(dir, "fresh.db", false);
    const run = await runCli(["import", "--consultation", SLUG, bad, "--channel", "paper"], env(fresh));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("nothing was imported. Correct 2 problems");
    expect(run.stderr).toMatch(/line 6, column "[a-z-]+(__[a-z-]+)?": "maybe" is not an option here/);
    expect(run.stderr).toContain('line 10, column "reference": Enter a reference like SND-7F3K-9Q2M');
    expect(submitted(fresh)).toBe(0);

    const unknown = await runCli(["import", "--consultation", "no-such", bad], env(fresh));
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No consultation "no-such"');
    const channel = await runCli(["import", "--consultation", SLUG, bad, "--channel", "fax"], env(fresh));
    expect(channel.status).toBe(1);
    expect(channel.stderr).toContain("Allowed choices are paper, email, event");
  }, 180_000);
});

describe("the import progress bar", () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    const s = { isTTY, write: (chunk: string) => written.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
    return { s, written };
  };

  it("redraws one line on a terminal", () => {
    const { s, written } = stream(true);
    const bar = new ProgressBar(s, 10);
    bar.update("Checking", 0, 100);
    bar.update("Checking", 100, 100);
    bar.update("Storing", 100, 100);
    bar.done();
    expect(written.join("")).toBe(
      "\rChecking  [          ] 0%\rChecking  [##########] 100%\n\rStoring   [##########] 100%\n",
    );
  });

  it("prints a line per tenth elsewhere", () => {
    const { s, written } = stream(false);
    const bar = new ProgressBar(s);
    for (let i = 0; i <= 1000; i++) bar.update("Checking", i, 1000);
    bar.done();
    expect(written).toHaveLength(11);
    expect(written[10]).toBe("Checking: 100%\n");
  });
});
