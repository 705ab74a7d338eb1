import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

describe("npx sounding export summary", () => {
  const dir = mkdtempSync(join(tmpdir(), "sounding-summary-"));
  const db = join(dir, "demo.db");

  it("writes the long-form tables, split by a group question", async () => {
    const out = join(dir, "summary.csv");
    // A fresh database: the CLI migrates it and loads the demo, as the server's first start does.
    const seeded = await runCli(
      [
        "export",
        "summary",
        "--consultation",
        "commissioning-procurement-2015",
        "--out",
        out,
        "--group-by",
        "roles",
      ],
      {
        SOUNDING_DB: db,
      },
    );
    expect(seeded.stderr).toContain("Loaded demo consultations");
    expect(seeded.status).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = Papa.parse<Record<string, string>>(text.slice(1), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const respondents = rows.filter((r) => r.question_id === "respondents");
    expect(respondents.map((r) => [r.group, r.count])).toEqual([
      ["All respondents", "43"],
      ["Member of the public", "14"],
      ["Service user", "4"],
      ["Voluntary or community sector organisation", "4"],
      ["Business", "3"],
      ["Supplier to the council", "9"],
      ["Council employee", "16"],
      ["Other", "2"],
    ]);
    expect(rows.every((r) => r.group_question === "roles")).toBe(true);

    // Low bases flagged as the dashboard flags them; the shift row says what its count is.
    const other = rows.find(
      (r) => r.group === "Other" && r.question_id === "best-way-forward" && r.option_code === "agree",
    );
    expect(other?.low_base).toBe("1");
    const all = rows.filter((r) => r.group === "All respondents");
    const shift = all.find((r) => r.option_code === "(shift)" && r.item_id === "best-job");
    expect(shift?.option_label).toBe("Complete pairs (rated on the scale both times)");
    expect(shift?.count).toBe(shift?.pairs);
    expect(shift?.low_base).toBe("0");
    // Means with their intervals for scales with scores: 22 of 42 agreed with best-way-forward.
    const mean = all.find((r) => r.question_id === "best-way-forward" && r.option_code === "(mean)");
    expect(mean?.option_label).toBe("Mean score (1 = Strongly disagree to 5 = Strongly agree)");
    expect(Number(mean?.mean_lower)).toBeLessThan(Number(mean?.mean));
    expect(Number(mean?.mean)).toBeLessThan(Number(mean?.mean_upper));
    expect(
      all.find((r) => r.question_id === "best-way-forward" && r.option_code === "(positive)")?.option_label,
    ).toBe("Agree (total)");
  });

  it("labels an importance scale's totals in its own words, with no neutral row where it has no middle", async () => {
    const out = join(dir, "plan.csv");
    const run = await runCli(["export", "summary", "--consultation", "strategic-plan-2022", "--out", out], {
      SOUNDING_DB: db,
    });
    expect(run.status).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(out, "utf8").slice(1), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const aims = rows.filter((r) => r.question_id === "clean-green-aims");
    expect(
      new Set(aims.filter((r) => (r.option_code ?? "").startsWith("(")).map((r) => r.option_label)),
    ).toEqual(
      new Set([
        "Important (total)",
        "Not important (total)",
        "Not answered",
        "Mean score (1 = Not at all important to 4 = Very important)",
      ]),
    );
    expect(
      rows.some(
        (r) => /Agree|Disagree|Neither/.test(r.option_label ?? "") && r.question_id === "clean-green-aims",
      ),
    ).toBe(false);
  });

  it("refuses a question that cannot group the results", async () => {
    const run = await runCli(
      [
        "export",
        "summary",
        "--consultation",
        "commissioning-procurement-2015",
        "--out",
        join(dir, "x.csv"),
        "--group-by",
        "head-office-town",
      ],
      {
        SOUNDING_DB: db,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('"head-office-town" is not a closed question');
  });

  it("names a consultation that does not exist", async () => {
    const run = await runCli(["export", "summary", "--consultation", "nope", "--out", join(dir, "y.csv")], {
      SOUNDING_DB: db,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('No consultation "nope"');
  });
});
