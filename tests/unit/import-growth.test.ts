import { describe, expect, it } from "vitest";
import { costRatio } from "../support/growth.js";
import { FIXTURE_SLUG, fixtureDb } from "../support/import-fixture.js";
import { importResponses, submittedCount } from "../support/transfer.js";

/**
 * The crafted files of the hardening issue (#8), at two sizes: four times the size must cost less
 * than ten times the time (linear work gives about 4, quadratic 16, cubic 64).
 */
describe("import cost grows no faster than the file", () => {
  it("reads a labels cell of many ';'-separated options in linear time", async () => {
    const db = fixtureDb();
    // Every piece names an option on its own: the old reader tried every longer run first.
    const file = (n: number) => `visitor,ward\r\n"${"On my own;".repeat(n)}",nowhere\r\n`;
    const ratio = await costRatio(async (n) => {
      const r = await importResponses(db, FIXTURE_SLUG, file(n));
      expect(r.errors.map((e) => e.column)).toContain("ward");
    }, 300);
    expect(ratio).toBeLessThan(10);
    expect(submittedCount(db, FIXTURE_SLUG)).toBe(0);
  });

  it("checks rows with many blank-headed columns in linear time", async () => {
    const db = fixtureDb();
    const file = (n: number) => {
      const blanks = ",".repeat(n);
      const rows = [`visitor,ward${blanks}`];
      for (let i = 0; i < 10; i++) rows.push(`alone,nowhere${blanks}`);
      return `${rows.join("\r\n")}\r\n`;
    };
    const ratio = await costRatio(async (n) => {
      const r = await importResponses(db, FIXTURE_SLUG, file(n));
      expect(r.errors.filter((e) => e.column === "ward")).toHaveLength(10);
    }, 2000);
    expect(ratio).toBeLessThan(10);
  });
});
