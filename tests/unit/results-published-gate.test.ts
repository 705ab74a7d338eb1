import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resultsArePublic } from "../../server/services/consultations.js";
import { buildTestApp } from "../support/app.js";

/** Issue 12, item 3: "results published" is what makes a closed consultation's report public. */
describe("the results-published stage", () => {
  it("is what makes results public, not closing alone", () => {
    expect(resultsArePublic({ status: "closed", resultsPublishedAt: null })).toBe(false);
    expect(resultsArePublic({ status: "closed", resultsPublishedAt: "2026-01-01T00:00:00Z" })).toBe(true);
    expect(resultsArePublic({ status: "open", resultsPublishedAt: "2026-01-01T00:00:00Z" })).toBe(false);
  });

  it("is set by the demo loader for every demo already closed, and for none still open", () => {
    const t = buildTestApp();
    const overview = t.services.consultations.overview();
    const closed = overview.filter((c) => c.status === "closed");
    expect(closed.length).toBeGreaterThan(0);
    for (const c of overview)
      expect(t.services.consultations.find(c.slug)?.lifecycle, c.slug).toBe(
        c.status === "closed" ? "results published" : c.lifecycle,
      );
    expect(overview.some((c) => c.status === "open" && c.lifecycle === "open")).toBe(true);
  });

  it("is given by its migration to consultations already closed, whose reports were public before", () => {
    const t = buildTestApp();
    const sql = readFileSync(
      join(process.cwd(), "db", "migrations", "0025_results_published_gate.sql"),
      "utf8",
    );
    t.db.prepare("UPDATE consultations SET results_published_at = NULL").run();
    t.db.exec(sql);
    const rows = t.db
      .prepare("SELECT slug, closes_at AS closesAt, results_published_at AS publishedAt FROM consultations")
      .all() as { slug: string; closesAt: string; publishedAt: string | null }[];
    const now = new Date().toISOString();
    for (const r of rows) expect(r.publishedAt, r.slug).toBe(r.closesAt <= now ? r.closesAt : null);
    expect(rows.some((r) => r.publishedAt === null)).toBe(true);
    expect(rows.some((r) => r.publishedAt !== null)).toBe(true);
  });
});
