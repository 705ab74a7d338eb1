import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import commercial from "../../db/seed/definitions/commercial-strategy-2018.json" with { type: "json" };
import { runCli, runCliProcess } from "../support/cli.js";

describe("npx sounding definition load", () => {
  const dir = mkdtempSync(join(tmpdir(), "sounding-cli-"));
  const db = join(dir, "cli.db");

  it("stores a valid definition and projects its questions", () => {
    const file = join(dir, "ok.json");
    writeFileSync(file, JSON.stringify({ ...commercial, slug: "cli-test" }));
    // In a process of its own, as `npx sounding` runs: the entry point and its exit code.
    const run = runCliProcess(["definition", "load", file], { SOUNDING_DB: db });
    // Only the database's own first-use lines (migration, demo) go to stderr.
    expect(run.stderr).not.toMatch(/invalid|error|cannot/i);
    expect(run.stdout).toContain('Stored consultation "cli-test"');
    expect(run.status).toBe(0);
    const conn = new Database(db, { readonly: true });
    const n = conn
      .prepare(
        "SELECT count(*) AS n FROM questions q JOIN consultations c ON c.id = q.consultation_id WHERE c.slug = 'cli-test'",
      )
      .get() as { n: number };
    conn.close();
    expect(n.n).toBe(12);
  });

  it("reports every error with its JSON path and stores nothing", async () => {
    const broken = structuredClone(commercial) as Record<string, unknown> & {
      pages: { questions: Record<string, unknown>[] }[];
    };
    broken.slug = "Bad Slug";
    const q = broken.pages[5]?.questions[0];
    if (q) q.scale = "no-such-scale";
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(broken));
    const run = await runCli(["definition", "load", file], { SOUNDING_DB: db });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("$.slug:");
    expect(run.stderr).toContain("$.pages[5].questions[0].scale:");
    const conn = new Database(db, { readonly: true });
    const n = conn.prepare("SELECT count(*) AS n FROM consultations WHERE slug = 'Bad Slug'").get() as {
      n: number;
    };
    conn.close();
    expect(n.n).toBe(0);
  });

  it("reports structural and cross-reference errors in one run, in plain words", async () => {
    const broken = structuredClone(commercial) as Record<string, unknown> & {
      pages: { questions: Record<string, unknown>[] }[];
    };
    delete broken.title; // structural: missing
    const q = broken.pages[5]?.questions[0];
    if (q) q.scale = "no-such-scale"; // cross-reference
    const file = join(dir, "both.json");
    writeFileSync(file, JSON.stringify(broken));
    const run = await runCli(["definition", "load", file], { SOUNDING_DB: db });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("$.title: This field is missing");
    expect(run.stderr).toContain('$.pages[5].questions[0].scale: Unknown scale "no-such-scale"');
    expect(run.stderr).toContain("nothing was stored");
    expect(run.stderr).not.toMatch(/Invalid input|received undefined/);
  });

  it("says file not found for a missing file", async () => {
    const run = await runCli(["definition", "load", join(dir, "nowhere.json")], { SOUNDING_DB: db });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("nowhere.json: file not found");
  });

  it("stores nothing for any refused definition (fast-check)", async () => {
    const count = () => {
      const conn = new Database(db, { readonly: true });
      const n = (conn.prepare("SELECT count(*) AS n FROM consultations").get() as { n: number }).n;
      conn.close();
      return n;
    };
    await runCli(["definition", "load", join(dir, "nowhere.json")], { SOUNDING_DB: db });
    const before = count();
    const samples = fc.sample(
      fc.record({
        field: fc.constantFrom("slug", "opens", "pages", "pairedSets", "documents", "scales"),
        value: fc.oneof(
          fc.constant(null),
          fc.string(),
          fc.integer(),
          fc.constant([]),
          fc.constant("constructor"),
        ),
      }),
      { numRuns: 12, seed: 20261201 },
    );
    for (const [i, { field, value }] of samples.entries()) {
      const file = join(dir, `refused-${i}.json`);
      writeFileSync(file, JSON.stringify({ ...commercial, slug: `refused-${i}`, [field]: value }));
      const run = await runCli(["definition", "load", file], { SOUNDING_DB: db });
      if (run.status === 0) continue; // a harmless value (an empty list of documents) is a valid definition
      expect(run.stderr).toContain("nothing was stored");
      expect(count()).toBe(before);
    }
  });

  it("saves a new version of a consultation with responses, or refuses a change saying why", async () => {
    const slug = "cli-versions";
    const file = join(dir, "versions.json");
    writeFileSync(file, JSON.stringify({ ...commercial, slug }));
    expect((await runCli(["definition", "load", file], { SOUNDING_DB: db })).status).toBe(0);
    // One response answering "micro" to the organisation size.
    const conn = new Database(db);
    const ids = conn
      .prepare(
        `SELECT c.id AS consultation, i.id AS item, o.id AS option FROM consultations c
           JOIN questions q ON q.consultation_id = c.id AND q.question_key = 'organisation-size'
           JOIN items i ON i.question_id = q.id JOIN options o ON o.question_id = q.id AND o.code = 'micro'
          WHERE c.slug = ?`,
      )
      .get(slug) as { consultation: number; item: number; option: number };
    const response = conn
      .prepare(
        `INSERT INTO responses (consultation_id, status, reference, channel, started_at, updated_at, submitted_at)
         VALUES (?, 'submitted', 'CLI-VERSIONS-1', 'paper', '2018-02-01T00:00:00Z', '2018-02-01T00:00:00Z', '2018-02-01T00:00:00Z')`,
      )
      .run(ids.consultation).lastInsertRowid;
    conn
      .prepare("INSERT INTO answers (response_id, item_id, option_id) VALUES (?, ?, ?)")
      .run(response, ids.item, ids.option);
    conn.close();

    const later = { ...commercial, slug, title: "A corrected title", closes: "2030-01-01T00:00:00Z" };
    writeFileSync(file, JSON.stringify(later));
    const saved = await runCli(["definition", "load", file], { SOUNDING_DB: db });
    expect(saved.status).toBe(0);
    expect(saved.stdout).toContain(`Saved version 2 of consultation "${slug}"`);
    expect(saved.stdout).toContain("The title is now ‘A corrected title’");

    const removed = structuredClone(later);
    for (const page of removed.pages)
      for (const q of page.questions as { id: string; options?: { code: string }[] }[])
        if (q.id === "organisation-size") q.options = q.options?.filter((o) => o.code !== "micro");
    writeFileSync(file, JSON.stringify(removed));
    const refused = await runCli(["definition", "load", file], { SOUNDING_DB: db });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/\$\.pages\[1\]\.questions\[2\]\.options: The option ‘Micro.*has answers/);
    const check = new Database(db, { readonly: true });
    const version = check.prepare("SELECT version, title FROM consultations WHERE slug = ?").get(slug);
    check.close();
    expect(version).toEqual({ version: 2, title: "A corrected title" });
  });

  it("says so when the file is not JSON", async () => {
    const file = join(dir, "not.json");
    writeFileSync(file, "{ nope");
    const run = await runCli(["definition", "load", file], { SOUNDING_DB: db });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot read it as JSON/);
  });
});
