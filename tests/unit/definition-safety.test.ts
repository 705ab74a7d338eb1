import fc from "fast-check";
import { type AnswerSet, answerTo } from "../../analysis/answers.js";
import { describe, expect, it } from "vitest";
import { type DefinitionInput, isSafeDocumentUrl, parseDefinition } from "../../analysis/definition.js";
import { FORM_LIMITS } from "../../analysis/form-limits.js";
import commissioning from "../../db/seed/definitions/commissioning-procurement-2015.json" with {
  type: "json",
};

function base(): DefinitionInput {
  return {
    schemaVersion: 1,
    slug: "library-hours",
    title: "Library opening hours",
    council: "Test Council",
    summary: ["A test."],
    audience: "Library users",
    opens: "2026-01-01T00:00:00Z",
    closes: "2026-02-01T00:00:00Z",
    pages: [{ id: "about", title: "About you", questions: [{ id: "visits", kind: "text", text: "Why?" }] }],
  };
}

const messages = (input: unknown) => {
  const result = parseDefinition(input);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};

describe("definitions a page could never submit are refused", () => {
  it("refuses a page that could send more fields than the body parser takes", () => {
    const def = base();
    // 11 grids of 30 statements: 330 fields against the parser's 300.
    def.pages[0]?.questions.push(
      ...Array.from({ length: 11 }, (_, g) => ({
        id: `grid-${g}`,
        kind: "grid" as const,
        text: "Rate",
        scale: "agreement-5",
        statements: Array.from({ length: 30 }, (_, s) => ({ id: `s${s}`, text: `Statement ${s}` })),
      })),
    );
    expect(messages(def).join("\n")).toContain(`more than the ${FORM_LIMITS.fields} a page may send`);
    // The same grids over two pages fit.
    const split = base();
    const grids = def.pages[0]?.questions.slice(1) ?? [];
    split.pages.push({ id: "more", title: "More", questions: grids.slice(6) });
    split.pages[0]?.questions.push(...grids.slice(0, 6));
    expect(messages(split)).toEqual([]);
  });

  it("refuses a page whose text boxes could hold more bytes than the body parser takes", () => {
    const def = base();
    // 10,000 emoji are 120,000 bytes sent, against 100 kB.
    def.pages[0]?.questions.push({ id: "long", kind: "text", text: "Tell us", maxLength: 10_000 });
    expect(messages(def).join("\n")).toMatch(
      /\$\.pages\[0\]: This page's answers could take \d+ kB, more than the 100 kB/,
    );
    const shorter = base();
    shorter.pages[0]?.questions.push({ id: "long", kind: "text", text: "Tell us", maxLength: 5000 });
    expect(messages(shorter)).toEqual([]);
  });

  it("refuses ids and codes that are names objects keep for themselves, and the pages' own field names", () => {
    const def = base();
    def.pages[0]?.questions.push(
      { id: "constructor", kind: "text", text: "A" },
      {
        id: "roles",
        kind: "single",
        text: "B",
        options: [
          { code: "constructor", label: "C" },
          { code: "b", label: "B" },
        ],
      },
      { id: "website", kind: "text", text: "D" },
    );
    const found = messages(def).join("\n");
    expect(found).toContain('$.pages[0].questions[1].id: "constructor"');
    expect(found).toContain('$.pages[0].questions[2].options[0].code: "constructor"');
    expect(found).toContain('$.pages[0].questions[3].id: "website" is the name of a field every page has');
  });

  it("refuses question ids whose form fields would be the same", () => {
    const def = base();
    def.pages[0]?.questions.push(
      {
        id: "roles",
        kind: "multiple",
        text: "B",
        options: [{ code: "a", label: "A" }],
        other: { code: "other", label: "Other" },
      },
      { id: "roles-other", kind: "text", text: "C" },
    );
    expect(messages(def).join("\n")).toContain('form field "roles-other" would be the same');
  });

  it.each([
    ["https://www.example.gov.uk/plan.pdf", true],
    ["http://example.org/a", true],
    ["/documents/plan.pdf", true],
    ["plan.pdf", true],
    ["javascript:alert(1)", false],
    ["JavaScript:alert(1)", false],
    ["java\tscript:alert(1)", false],
    ["data:text/html,<script>alert(1)</script>", false],
    ["vbscript:x", false],
    ["https:", false],
    ["\\\\evil", false],
  ])("document address %j is allowed: %s", (url, allowed) => {
    expect(isSafeDocumentUrl(url)).toBe(allowed);
    const def = { ...base(), documents: [{ title: "The plan", url }] };
    expect(messages(def).some((m) => m.startsWith("$.documents[0].url"))).toBe(!allowed);
  });
});

describe("answers are read as own properties", () => {
  it("does not take Object.prototype's constructor for an answer", () => {
    expect(answerTo({}, "constructor")).toBeUndefined();
    expect(answerTo({ toString: "yes" } as AnswerSet, "toString")).toBe("yes");
  });
});

describe("definition loading, property-based (fast-check)", () => {
  /** A path into a JSON value and a replacement there: the mutations an author's typo can make. */
  const mutation = fc.record({
    steps: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
    value: fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constantFrom("constructor", "__proto__", "javascript:alert(1)", "agreement-5", "", "x".repeat(5000)),
      fc.array(fc.anything(), { maxLength: 3 }),
      fc.object({ maxDepth: 1 }),
    ),
  });

  function mutate(input: unknown, steps: number[], value: unknown): unknown {
    const copy = structuredClone(input) as Record<string, unknown>;
    let at: unknown = copy;
    for (const [i, step] of steps.entries()) {
      if (typeof at !== "object" || at === null) break;
      const keys = Object.keys(at);
      if (keys.length === 0) break;
      const key = keys[step % keys.length] as string;
      if (i === steps.length - 1 || typeof (at as Record<string, unknown>)[key] !== "object") {
        if (value === undefined) delete (at as Record<string, unknown>)[key];
        else (at as Record<string, unknown>)[key] = value;
        break;
      }
      at = (at as Record<string, unknown>)[key];
    }
    return copy;
  }

  it("never throws: a mutated definition is either valid or refused with located, worded errors", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        let input: unknown = commissioning;
        for (const m of mutations) input = mutate(input, m.steps, m.value);
        const result = parseDefinition(input);
        if (result.ok) {
          expect(result.definition.pages.length).toBeGreaterThan(0);
          return;
        }
        expect(result.errors.length).toBeGreaterThan(0);
        for (const e of result.errors) {
          expect(e.path).toMatch(/^\$/);
          expect(e.message.length).toBeGreaterThan(0);
          // Plain words, not the validator's own phrasing.
          expect(e.message).not.toMatch(/^Invalid input|expected \w+, received/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on any JSON value at all", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = parseDefinition(value);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
