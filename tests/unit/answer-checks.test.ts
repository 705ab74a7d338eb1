import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { cleanText } from "../../analysis/answer-checks.js";
import type { Page } from "../../analysis/definition.js";
import { parsePageForm } from "../../server/routes/respond/questionnaire/schema.js";
import { FIXTURE_SLUG, fixtureDb, fixtureDefinition } from "../support/import-fixture.js";
import { importResponses } from "../support/transfer.js";

const def = fixtureDefinition();
const pageOf = (id: string): Page => {
  const page = def.pages.find((p) => p.questions.some((q) => q.id === id));
  if (!page) throw new Error(id);
  return page;
};

/** The message the online page gives for one field's value, and the one the import gives for one cell. */
function online(field: string, question: string, values: Record<string, string | string[]>): string[] {
  const { errors } = parsePageForm(def, pageOf(question), values, {});
  return errors.filter((e) => e.field === field).map((e) => e.text);
}
async function imported(cells: Record<string, string>): Promise<string[]> {
  const file = Papa.unparse([Object.keys(cells), Object.values(cells)]);
  const result = await importResponses(fixtureDb(), FIXTURE_SLUG, file);
  return result.errors.map((e) => e.reason);
}

describe("one check per question kind, online and in the import (#9 item 2)", () => {
  const cases: { what: string; question: string; field: string; value: string; ticked?: string[] }[] = [
    { what: "text over its limit", question: "ideas", field: "ideas", value: "x".repeat(201) },
    {
      what: "text over its limit once CRLF counts as one",
      question: "ideas",
      field: "ideas",
      value: "ab\r\n".repeat(68),
    },
    { what: "a number that is not one", question: "visits", field: "visits", value: "twelve" },
    { what: "a fraction for a whole number", question: "visits", field: "visits", value: "2.5" },
    { what: "a number over the maximum", question: "visits", field: "visits", value: "101" },
    { what: "a number below the minimum", question: "visits", field: "visits", value: "-1" },
    {
      what: '"Other" text over 200 characters',
      question: "visitor",
      field: "visitor-other",
      value: "y".repeat(201),
      ticked: ["other"],
    },
    {
      what: '"Other" text without "Other" ticked',
      question: "visitor",
      field: "visitor-other",
      value: "Grandparents",
      ticked: ["alone"],
    },
  ];
  for (const c of cases)
    it(`gives the same message for ${c.what}`, async () => {
      const values: Record<string, string | string[]> = { [c.field]: c.value };
      const cells: Record<string, string> = {};
      if (c.ticked) {
        values.visitor = c.ticked;
        cells.visitor = c.ticked.join(";");
        cells.visitor__other_text = c.value;
      } else cells[c.field] = c.value;
      const fromPage = online(c.field, c.question, values);
      expect(fromPage).toHaveLength(1);
      expect(await imported(cells)).toEqual(fromPage);
    });

  it("names the question in every message", () => {
    const visits = online("visits", "visits", { visits: "101" });
    expect(visits).toEqual([
      'Your answer to "How many visits did you make last month?" must be between 0 and 100',
    ]);
    expect(online("ward", "ward", {})).toEqual(['Select an answer to "Which ward do you live in?"']);
    expect(online("visitor", "visitor", {})).toEqual([
      'Select at least one answer to "Who do you visit with?"',
    ]);
    expect(online("visitor-other", "visitor", { visitor: ["other"] })).toEqual([
      'Enter what you mean by "Someone else"',
    ]);
    expect(online("visitor-other", "visitor", { visitor: ["alone"], "visitor-other": "Gran" })).toEqual([
      'Select "Someone else" if you want to tell us about it, or delete the text',
    ]);
  });

  it("stores text online as the import does: LF line ends, no control characters", () => {
    const { answers, errors } = parsePageForm(
      def,
      pageOf("visitor"),
      { visitor: ["other"], "visitor-other": "Gran\u0000 and\r\ngrandad\u001b", ward: "ward-1" },
      {},
    );
    expect(errors).toEqual([]);
    expect(answers.visitor).toEqual({ codes: ["other"], other: "Gran and\ngrandad" });
    expect(cleanText("\r\n\tTabbed\r\rline\u007f\u0085 ")).toBe("Tabbed\n\nline");
  });
});
