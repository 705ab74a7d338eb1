import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { parseDefinition } from "../../analysis/definition.js";
import { ConsultationRepository } from "../../db/consultations.js";
import strategicPlan from "../../db/seed/definitions/strategic-plan-2022.json" with { type: "json" };
import { testConfig } from "../../server/config.js";
import { openConfiguredDatabase } from "../../server/database.js";
import { runCli } from "../support/cli.js";

function counts(path: string) {
  const conn = new Database(path, { readonly: true });
  const one = (sql: string) => (conn.prepare(sql).get() as { n: number }).n;
  const result = {
    consultations: one("SELECT count(*) AS n FROM consultations"),
    demo: one("SELECT count(*) AS n FROM consultations WHERE is_demo = 1"),
    responses: one("SELECT count(*) AS n FROM responses"),
  };
  conn.close();
  return result;
}

describe("the demo is loaded once, into a database being created", () => {
  const dir = mkdtempSync(join(tmpdir(), "sounding-demo-"));

  it("marks the demo consultations of a new database as demo", () => {
    const path = join(dir, "fresh.db");
    const lines: string[] = [];
    const db = openConfiguredDatabase(testConfig({ dbPath: path, seedDemo: true }), (l) => lines.push(l));
    const rows = new ConsultationRepository(db).list();
    db.close();
    expect(rows.length).toBe(4);
    expect(rows.every((r) => r.demo)).toBe(true);
    expect(lines.join("\n")).toContain("Loaded demo consultations");
    expect(counts(path).responses).toBeGreaterThan(0);
  });

  it("adds nothing when an existing database is opened with the demo switched on", () => {
    const path = join(dir, "existing.db");
    const first = openConfiguredDatabase(testConfig({ dbPath: path, seedDemo: false }), () => {});
    const parsed = parseDefinition(strategicPlan);
    if (!parsed.ok) throw new Error("the demo definition should parse");
    // A council's own consultation that happens to use a demo's slug, with no responses yet.
    new ConsultationRepository(first).save(parsed.definition);
    first.close();
    const before = counts(path);
    const lines: string[] = [];
    const again = openConfiguredDatabase(testConfig({ dbPath: path, seedDemo: true }), (l) => lines.push(l));
    again.close();
    expect(counts(path)).toEqual(before);
    expect(before).toEqual({ consultations: 1, demo: 0, responses: 0 });
    expect(lines.join("\n")).not.toContain("demo");
  });

  it("does not leak demo responses into a definition loaded without the demo (the issue's reproduction)", async () => {
    const path = join(dir, "leak.db");
    const file = join(import.meta.dirname, "../../db/seed/definitions/strategic-plan-2022.json");
    const load = await runCli(["definition", "load", file], { SOUNDING_DB: path, SOUNDING_SEED_DEMO: "0" });
    expect(load.status).toBe(0);
    // The next command runs without SOUNDING_SEED_DEMO, whose default is to load the demo.
    const out = join(dir, "summary.csv");
    const summary = await runCli(
      ["export", "summary", "--consultation", "strategic-plan-2022", "--out", out],
      {
        SOUNDING_DB: path,
      },
    );
    expect(summary.status).toBe(0);
    expect(summary.stderr).not.toContain("Loaded demo");
    expect(counts(path)).toEqual({ consultations: 1, demo: 0, responses: 0 });
  });
});
