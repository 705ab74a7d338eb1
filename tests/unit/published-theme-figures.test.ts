import { describe, expect, it } from "vitest";
import { buildTestApp } from "../support/app.js";

/**
 * The theme counts the Commissioning and Procurement feedback summary published (seed 002: "use of
 * the VCS 6, C&P delivery model 3, communication of messages 7, service delivery 6"), computed by
 * the real theme service from the demo's codebook and officer tags, and as the report states them.
 */
const t = buildTestApp();
const row = t.services.consultations.find("commissioning-procurement-2015");
if (!row) throw new Error("no demo");

describe("Commissioning and Procurement Strategy (seed 002): comment themes", () => {
  const [result, ...others] = t.services.themes.results(row, null);

  it("codes the comments to the disagreement question only", () => {
    expect(result?.question.id).toBe("disagree-reasons");
    expect(others).toEqual([]);
  });

  it("counts use of the VCS 6, delivery model 3, communication of messages 7, service delivery 6", () => {
    expect(Object.fromEntries(result?.themes.map((x) => [x.name, x.count]) ?? [])).toEqual({
      "Use of the VCS": 6,
      "Commissioning and procurement process delivery model": 3,
      "Communication of messages": 7,
      "Service delivery": 6,
    });
    // Every demo comment to the question is coded: the summary counted them all.
    expect(result?.uncoded).toBe(0);
    expect(result?.commented).toBe(22);
  });

  it("quotes what the council's summary quoted", () => {
    const vcs = result?.themes.find((x) => x.name === "Use of the VCS");
    expect(result?.quotes[vcs?.themeId ?? -1]).toContain(
      "the community cannot always meet the needs required",
    );
  });

  it("states the counts in the report, the summary CSV and the dashboard", async () => {
    const report = t.services.report.current(row).report;
    const section = report.sections.find((s) => s.kind === "themes");
    expect(section?.list).toEqual([
      "Communication of messages: 7 comments (32% of the 22 who commented)",
      "Service delivery: 6 comments (27% of the 22 who commented)",
      "Use of the VCS: 6 comments (27% of the 22 who commented)",
      "Commissioning and procurement process delivery model: 3 comments (14% of the 22 who commented)",
    ]);
    const { summaryCsv } = await import("../../server/services/summary-export.js");
    const csv = summaryCsv(t.services.results, row, undefined, t.services.themes);
    expect(csv).toContain("Communication of messages,7,22,0.3182,1,");
    expect(csv).toContain("uncoded,No confirmed theme yet,0,22,0,1,");
  });
});
