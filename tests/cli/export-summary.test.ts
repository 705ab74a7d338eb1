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
