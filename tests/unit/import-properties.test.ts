import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { cleanText } from "../../analysis/answer-checks.js";
import type { AnswerSet, AnswerValue } from "../../analysis/answers.js";
import { optionsOf } from "../../analysis/definition.js";
import { pageFormSchema, parsePageForm } from "../../server/routes/respond/questionnaire/schema.js";
import { responseColumns } from "../../server/services/response-columns.js";
import { FIXTURE_SLUG, fixtureDb, fixtureDefinition } from "../support/import-fixture.js";
import { addResponse, exportResponses, importResponses, submittedCount } from "../support/transfer.js";

/**
 * Property-based tests (hardening issue #8 item 6) for the two parsers of outside input in this
 * area: CSV import rows and the answer pages' forms. Properties: nothing but a typed result (no
 * exception), nothing stored on failure, and export then import gives the same answers.
 */
const def = fixtureDefinition();
const columns = responseColumns(def).map((c) => c.name);
const labels = def.pages
  .flatMap((p) => p.questions)
  .flatMap((q) => optionsOf(def, q).flatMap((o) => [o.code, o.label]));

/** Text a hostile or careless file might hold in a cell. */
const nasty = fc.oneof(
  fc.constantFrom(...labels),
  fc.constantFrom(
    "",
    " ",
    "1",
    "0",
    "yes",
    "-0",
    "1e9",
    "1,000",
    "2.5",
    "NaN",
    "'=1+1",
    '"',
    "\r\n",
    "\u0000",
    "constructor",
    "__proto__",
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.array(fc.constantFrom(...labels), { maxLength: 4 }).map((l) => l.join(";")),
  fc.integer({ min: -5, max: 300 }).map(String),
  fc.constant("x".repeat(250)),
);

const batchesLeft = (db: ReturnType<typeof fixtureDb>) =>
  db
    .prepare(
      "SELECT (SELECT count(*) FROM import_batches) + (SELECT count(*) FROM responses WHERE status = 'draft')",
    )
    .pluck()
    .get();

describe("CSV import rows, whatever they hold", () => {
  it("give a typed result, and store all the rows or none", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(columns, { minLength: 1 }),
        fc.array(fc.array(nasty, { minLength: 0, maxLength: 40 }), { minLength: 0, maxLength: 6 }),
        async (header, rows) => {
          const db = fixtureDb();
          const cells = rows.map((r) => header.map((_, i) => r[i % Math.max(r.length, 1)] ?? ""));
          const file = Papa.unparse([header, ...cells]);
          const result = await importResponses(db, FIXTURE_SLUG, file);
          expect(batchesLeft(db)).toBe(0);
          if (result.errorCount > 0) {
            expect(submittedCount(db, FIXTURE_SLUG)).toBe(0);
            for (const e of result.errors) expect(e.reason.length).toBeGreaterThan(0);
          } else expect(submittedCount(db, FIXTURE_SLUG)).toBe(result.imported);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});

/** One valid answer set for the fixture, the answers a respondent could give online. */
const cleanString = (max: number) =>
  fc
    .string({
      minLength: 1,
      maxLength: max,
      unit: fc.constantFrom("a", "é", " ", "\n", "=", "-", "'", '"', ",", ";", "😀", "\t", "+"),
    })
    .map(cleanText)
    .filter((s) => s !== "" && [...s].length <= max);
const codesOf = (id: string): string[] => {
  const q = def.pages.flatMap((p) => p.questions).find((x) => x.id === id);
  if (!q) throw new Error(`No question ${id} in the fixture`);
  return optionsOf(def, q).map((o) => o.code);
};
const answerSet: fc.Arbitrary<AnswerSet> = fc
  .record(
    {
      visitor: fc.subarray(codesOf("visitor"), { minLength: 1 }),
      other: cleanString(200),
      ward: fc.constantFrom(...codesOf("ward")),
      "safety-before": fc.record(
        {
          lighting: fc.constantFrom(...codesOf("safety-before")),
          paths: fc.constantFrom(...codesOf("safety-before")),
        },
        { requiredKeys: ["lighting"] },
      ),
      "how-often": fc.record(
        {
          playground: fc.constantFrom(...codesOf("how-often")),
          cafe: fc.constantFrom(...codesOf("how-often")),
        },
        { requiredKeys: ["cafe"] },
      ),
      "dog-areas": fc.constantFrom(...codesOf("dog-areas")),
      visits: fc.integer({ min: 0, max: 100 }),
      spend: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((n) => Math.round(n * 100) / 100),
      ideas: cleanString(200),
    },
    { requiredKeys: ["visitor", "ward"] },
  )
  .map(({ other, visitor, "dog-areas": dog, ...rest }) => {
    const answers: AnswerSet = {};
    for (const [id, value] of Object.entries(rest))
      if (value !== undefined) answers[id] = value as AnswerValue;
    answers.visitor = visitor.includes("other") && other ? { codes: visitor, other } : { codes: visitor };
    // Asked only of those who visit with a dog.
    if (dog !== undefined && visitor.includes("dog")) answers["dog-areas"] = dog;
    return answers;
  });

describe("export then import", () => {
  it("gives the same answers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(answerSet, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (sets, labelled) => {
          const source = fixtureDb();
          for (const [i, answers] of sets.entries())
            addResponse(source, FIXTURE_SLUG, `SND-TEST-${String(i).padStart(4, "0")}`, answers, "paper");
          const exported = await exportResponses(source, FIXTURE_SLUG, { labels: labelled });
          const copy = fixtureDb();
          const result = await importResponses(copy, FIXTURE_SLUG, exported);
          expect(result.errors).toEqual([]);
          expect(result.imported).toBe(sets.length);
          expect((await exportResponses(copy, FIXTURE_SLUG, { labels: labelled })).equals(exported)).toBe(
            true,
          );
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

describe("the answer pages' forms, whatever is posted", () => {
  const field = fc.oneof(nasty, fc.array(nasty, { maxLength: 5 }));
  for (const page of def.pages)
    it(`give a typed result for "${page.id}", and answers that pass the checks`, () => {
      const names = Object.keys(pageFormSchema(def, page).shape);
      fc.assert(
        fc.property(
          fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 })), field),
          (posted) => {
            const form = pageFormSchema(def, page).safeParse(posted);
            if (!form.success) return; // refused whole: the page changes nothing
            const { answers, errors } = parsePageForm(
              def,
              page,
              form.data as Record<string, string | string[]>,
              {},
            );
            for (const e of errors) expect(e.text.length).toBeGreaterThan(0);
            if (errors.length > 0) return;
            // Whatever was accepted is valid as the import would read it too.
            for (const [id, value] of Object.entries(answers)) {
              const q = page.questions.find((x) => x.id === id);
              expect(q).toBeDefined();
              if (typeof value === "string" && q?.kind === "text") expect(cleanText(value)).toBe(value);
              if (typeof value === "object" && "other" in value && value.other)
                expect([...value.other].length).toBeLessThanOrEqual(200);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
});
