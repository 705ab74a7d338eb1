import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/connection.js";
import { createApp } from "../../server/app.js";
import { testConfig } from "../../server/config.js";
import { createServices } from "../../server/services/create.js";
import expected from "../fixtures/library/expected.json" with { type: "json" };
import { runCli } from "../support/cli.js";
import { signedInAs } from "../support/officer.js";

/**
 * A consultation unlike the demos, end to end: its own satisfaction and frequency scales, a paired
 * set asked before and after an open day, a single choice of 60 areas, no neutral middle on one
 * scale. Loaded, imported and reported through the CLI, shown on the dashboard; its shift figures
 * are checked against SciPy and statsmodels (tests/fixtures/library/make_fixture.py).
 */
const FIXTURE = join(import.meta.dirname, "../fixtures/library");
const SLUG = "library-services-2026";

/** Words that belong to the demos or to an agreement scale, which this consultation does not use. */
const DEMO_WORDS =
  /strateg|reading the|agreed|agreement|disagree|\bagree\b|Neither|importan|commission|procurement|commercial|communities approach/i;

describe("a consultation unlike the demos, from definition to report", () => {
  const dir = mkdtempSync(join(tmpdir(), "sounding-library-"));
  const db = join(dir, "library.db");
  const env = { SOUNDING_DB: db, SOUNDING_SEED_DEMO: "0" };
  const summaryOut = join(dir, "summary.csv");
  const groupedOut = join(dir, "grouped.csv");
  const reportOut = join(dir, "report.html");

  it("loads, imports, exports its summary and writes its report", async () => {
    const load = await runCli(["definition", "load", join(FIXTURE, "definition.json")], env);
    expect(load.stderr).not.toMatch(/error|invalid|problem/i);
    expect(load.status).toBe(0);
    const imported = await runCli(["import", "--consultation", SLUG, join(FIXTURE, "responses.csv")], env);
    expect(imported.stdout).toContain(`Imported 180 responses to "${SLUG}"`);
    expect(imported.status).toBe(0);
    for (const args of [
      ["export", "summary", "--consultation", SLUG, "--out", summaryOut, "--full-precision"],
      ["export", "summary", "--consultation", SLUG, "--out", groupedOut, "--group-by", "library-use"],
      ["report", "--consultation", SLUG, "--out", reportOut],
    ]) {
      const run = await runCli(args, env);
      expect(run.stderr).not.toMatch(/error|invalid|problem/i);
      expect(run.status).toBe(0);
    }
  });

  const csv = (file: string) =>
    Papa.parse<Record<string, string>>(readFileSync(file, "utf8").slice(1), {
      header: true,
      skipEmptyLines: true,
    }).data;

  it("matches SciPy and statsmodels on every shift, and counts everyone left out", () => {
    const rows = csv(summaryOut);
    expect(rows.find((r) => r.question_id === "respondents")?.count).toBe(String(expected.respondents));
    for (const e of expected.shifts) {
      const row = rows.find((r) => r.option_code === "(shift)" && r.item_id === e.statement);
      expect(row?.option_label).toBe("Complete pairs (rated on the scale both times)");
      expect(Number(row?.pairs)).toBe(e.pairs);
      expect(Number(row?.positive_before)).toBeCloseTo(e.positiveBefore, 12);
      expect(Number(row?.positive_after)).toBeCloseTo(e.positiveAfter, 12);
      expect(Number(row?.shift)).toBeCloseTo(e.shift, 12);
      expect(Number(row?.wilcoxon_p)).toBeCloseTo(e.wilcoxonP, 12);
      expect(Number(row?.mcnemar_p)).toBeCloseTo(e.mcnemarP, 12);
    }
    const mean = (question: string, item: string) =>
      rows.find((r) => r.question_id === question && r.item_id === item && r.option_code === "(mean)");
    for (const [key, e] of Object.entries(expected.means)) {
      const [question, item = ""] = key.split("__");
      const row = mean(question as string, item);
      expect(Number(row?.count)).toBe(e.n);
      expect(Number(row?.mean)).toBeCloseTo(e.mean, 12);
      expect(Number(row?.mean_lower)).toBeCloseTo(e.lower, 12);
      expect(Number(row?.mean_upper)).toBeCloseTo(e.upper, 12);
    }
    // The report counts everyone left out of a shift, those who left both halves blank included.
    const report = readFileSync(reportOut, "utf8");
    const leftOut = expected.shifts.map((s) => s.leftOut);
    expect(report).toContain(
      `Respondents who answered ‘No opinion’ or left a statement blank either time, or both times, are not counted for that statement: from ${Math.min(...leftOut)} to ${Math.max(...leftOut)} respondents, depending on the statement`,
    );
  });

  it("words every total in the scales' own words, with no neutral row where a scale has none", () => {
    const rows = csv(summaryOut);
    const labels = (question: string) =>
      new Set(
        rows
          .filter((r) => r.question_id === question && r.option_code?.startsWith("("))
          .map((r) => r.option_label),
      );
    expect(labels("services-before")).toEqual(
      new Set([
        "Satisfied (total)",
        "Dissatisfied (total)",
        "Not answered",
        "Mean score (1 = Very dissatisfied to 4 = Very satisfied)",
      ]),
    );
    expect(labels("library-use")).toContain("A few times a year (total)");
    expect(labels("library-use")).toContain("At least monthly (total)");
    // All 60 areas are listed, the one nobody chose included.
    expect(rows.filter((r) => r.question_id === "home-area").length).toBe(60);
    expect(rows.some((r) => r.option_code === "(positive)" && r.low_base === "")).toBe(false);
  });

  it("leaves the interval and tests blank for a group with no pairs", () => {
    const never = csv(groupedOut).filter((r) => r.group === "Never" && r.option_code === "(shift)");
    expect(never.length).toBe(3);
    for (const r of never) {
      expect(r.pairs).toBe("0");
      expect(r.low_base).toBe("1");
      for (const column of [
        "positive_before",
        "positive_after",
        "shift",
        "shift_lower",
        "shift_upper",
        "wilcoxon_p",
        "mcnemar_p",
      ])
        expect(r[column]).toBe("");
    }
  });

  /** What a reader sees: the page without its style sheet, scripts and tags. */
  const visible = (html: string) =>
    html
      .replace(/<style[\s\S]*?<\/style>/g, "")
      .replace(/<script[\s\S]*?<\/script>/g, "")
      .replace(/<[^>]+>/g, " ");

  it("says its own moments and scale words in the report, and no demo word", () => {
    const report = visible(readFileSync(reportOut, "utf8"));
    expect(report).toContain("After the open day, satisfaction rose");
    expect(report).toContain(
      "Respondents rated the same 3 statements before the open day and again after the open day",
    );
    expect(report).toContain("Ratings along the whole scale");
    expect(report).toMatch(/Wilcoxon signed-rank test[^.]*Pratt/);
    expect(report).toContain("McNemar’s exact test");
    expect(report).toContain("the share who were satisfied");
    expect(report).not.toMatch(DEMO_WORDS);
  });

  it("shows its dashboard in its own words, and no demo word", async () => {
    const config = testConfig({ dbPath: db, seedDemo: false });
    const conn = openDatabase(db);
    const clock = { now: new Date("2026-05-10T12:00:00Z") };
    const services = createServices(conn, () => clock.now, config);
    const errors: unknown[] = [];
    const app = createApp({ config, db: conn, clock: () => clock.now, services, log: (e) => errors.push(e) });
    const t = { app, db: conn, config, clock, errors, services };
    const agent = await signedInAs(t);
    const page = await agent.get(`/officer/consultations/${SLUG}`).expect(200);
    const text = page.text;
    expect(text).toContain("Before the open day and after the open day");
    expect(text).toContain("Asked before the open day.");
    expect(text).toContain("Satisfied: before the open day");
    expect(text).toContain("Satisfied (total)");
    expect(text).toContain("Mean score (95% interval)");
    expect(text).toContain("Outside the county");
    // p values as the report prints them, never "0.000".
    expect(text).toContain("&lt; 0.001");
    expect(text).not.toMatch(/>\s*0\.000\s*</);
    expect(visible(text)).not.toMatch(DEMO_WORDS);
    const hub = await request(app).get("/").expect(200);
    expect(hub.text).not.toContain("app-demo-tag");
    expect(errors).toEqual([]);
    conn.close();
  });
});
