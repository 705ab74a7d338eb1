import { describe, expect, it } from "vitest";
import { parseDefinition } from "../../analysis/definition.js";
import { IMPORT_FIXTURE } from "../fixtures/import-consultation.js";
import { FIXTURE_SLUG } from "../support/import-fixture.js";
import { freshCopy, importResponses, summaryOf } from "../support/transfer.js";

const withWards = (n: number) => ({
  ...IMPORT_FIXTURE,
  pages: IMPORT_FIXTURE.pages.map((p) => ({
    ...p,
    questions: p.questions.map((q) =>
      q.id === "ward"
        ? {
            ...q,
            options: Array.from({ length: n }, (_, i) => ({
              code: `w${i + 1}`,
              label: `Ward number ${i + 1}`,
            })),
          }
        : q,
    ),
  })),
});

describe("single choices of up to 200 options (#9 item 4)", () => {
  it("loads a list of 200, refuses 201, and counts an answer to the 200th", async () => {
    const parsed = parseDefinition(withWards(200));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const refused = parseDefinition(withWards(201));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors[0]?.path).toBe("$.pages[0].questions[1].options");
    const db = freshCopy(parsed.definition);
    const result = await importResponses(db, FIXTURE_SLUG, "ward\r\nWard number 200\r\nw199\r\n");
    expect(result.errors).toEqual([]);
    expect(result.imported).toBe(2);
    const summary = summaryOf(db, FIXTURE_SLUG);
    expect(summary).toMatch(/,w200,Ward number 200,1,/);
    expect(summary).toMatch(/,w199,Ward number 199,1,/);
  });
});
