import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { migrate, openDatabase } from "../../db/connection.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { projectRoot } from "../../server/config.js";
import { responseColumns } from "../../server/services/response-columns.js";
import { FIXTURE_SLUG, fixtureDefinition } from "../support/import-fixture.js";
import { runCli } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "sounding-template-"));
function databaseFile(name: string): string {
  const path = join(dir, name);
  const db = openDatabase(path);
  migrate(db, join(projectRoot(), "db", "migrations"));
  new ConsultationRepository(db).save(fixtureDefinition());
  db.close();
  return path;
}
const env = (db: string) => ({ SOUNDING_DB: db, SOUNDING_SEED_DEMO: "0" });

describe("npx sounding import --template, and what an import reports (#9 item 4)", () => {
  it("writes every accepted column and a row saying what each may hold, which the import skips", async () => {
    const db = databaseFile("template.db");
    const out = join(dir, "template.csv");
    const run = await runCli(["import", "--template", "--consultation", FIXTURE_SLUG, "--out", out], env(db));
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const [header, notes, ...rest] = Papa.parse<string[]>(readFileSync(out, "utf8").replace(/^\uFEFF/, ""), {
      skipEmptyLines: true,
    }).data;
    expect(rest).toEqual([]);
    expect(header).toEqual(responseColumns(fixtureDefinition()).map((c) => c.name));
    const note = (name: string) => notes?.[header?.indexOf(name) ?? -1];
    expect(note("reference")).toContain("Blank for a new response");
    expect(note("submitted_at")).toContain("14/03/2025 10:30");
    expect(note("ward")).toContain("ward-1 (Ward 1); ward-2 (Ward 2)");
    expect(note("visits")).toBe("A whole number from 0 to 100; blank if not answered.");
    expect(note("visitor__dog")).toBe('1 if "With a dog; on a lead" is ticked; 0 or blank if not.');
    expect(note("visitor__other_text")).toContain("up to 200 characters");
    expect(note("dog-areas")).toContain('Only when "visitor" is dog, else blank.');
    expect(note("ideas")).toBe("Text, up to 200 characters; blank if not answered.");

    // Filled in under the notes row, which is left as it was: one response.
    const row = header?.map((h) => ({ ward: "Ward 4", visits: "2", submitted_at: "14/03/2025" })[h] ?? "");
    appendFileSync(out, `${Papa.unparse([row ?? []])}\r\n,,\r\n`);
    const imported = await runCli(["import", out, "--consultation", FIXTURE_SLUG], env(db));
    expect(imported.stderr.replace(/\r?[^\n]*\r/g, "")).not.toContain("line");
    expect(imported.stdout).toContain(`Imported 1 response to "${FIXTURE_SLUG}"`);
    const stored = openDatabase(db);
    expect(stored.prepare("SELECT submitted_at FROM responses").pluck().all()).toEqual([
      "2025-03-14T00:00:00.000Z",
    ]);
    stored.close();
  });

  it("lists questions without a column, blank rows and possible duplicates from another file", async () => {
    const db = databaseFile("report.db");
    const monday = join(dir, "monday.csv");
    const tuesday = join(dir, "tuesday.csv");
    writeFileSync(monday, "ward,visits\r\nWard 2,5\r\n");
    writeFileSync(tuesday, "ward,visits\r\nWard 2,5\r\n,\r\nWard 3,1\r\n");
    expect((await runCli(["import", monday, "--consultation", FIXTURE_SLUG], env(db))).status).toBe(0);
    const run = await runCli(["import", tuesday, "--consultation", FIXTURE_SLUG], env(db));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      `Imported 2 responses to "${FIXTURE_SLUG}" (0 already imported, skipped; 1 blank row skipped`,
    );
    expect(run.stdout).toContain(
      "The file has no column for these questions, so every row leaves them unanswered:",
    );
    expect(run.stdout).toContain("  ideas: What would you improve?");
    expect(run.stdout).toContain(
      "1 row has the same answers and time as a response imported from another file.",
    );
    expect(run.stdout).toMatch(/ {2}line 2, stored as SND-[0-9A-Z-]+: the same as SND-[0-9A-Z-]+/);
  });
});
