import { describe, expect, it } from "vitest";
import { type DefinitionInput, parseDefinition } from "../../analysis/definition.js";

function minimal(): DefinitionInput {
  return {
    schemaVersion: 1,
    slug: "test-consultation",
    title: "Test consultation",
    council: "Test Council",
    summary: ["A test."],
    audience: "Everyone",
    opens: "2026-01-01T00:00:00Z",
    closes: "2026-02-01T00:00:00Z",
    pairedSets: [{ id: "views", scale: "agreement-5", statements: [{ id: "a", text: "Statement A" }] }],
    pages: [
      {
        id: "about",
        title: "About you",
        questions: [
          {
            id: "roles",
            kind: "multiple",
            text: "Which apply?",
            options: [
              { code: "resident", label: "Resident" },
              { code: "supplier", label: "Supplier" },
            ],
          },
        ],
      },
      {
        id: "supplier",
        title: "Supplier",
        showIf: { question: "roles", anyOf: ["supplier"] },
        questions: [{ id: "town", kind: "text", text: "Head office town", required: false }],
      },
      {
        id: "before",
        title: "Before",
        questions: [{ id: "views-before", kind: "paired", text: "Before", set: "views", phase: "before" }],
      },
      {
        id: "after",
        title: "After",
        questions: [{ id: "views-after", kind: "paired", text: "After", set: "views", phase: "after" }],
      },
    ],
  };
}

function errorsOf(input: unknown) {
  const result = parseDefinition(input);
  if (result.ok) throw new Error("expected the definition to be refused");
  return result.errors;
}

describe("consultation definition schema", () => {
  it("accepts a valid definition and applies defaults", () => {
    const result = parseDefinition(minimal());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const town = result.definition.pages[1]?.questions[0];
    expect(town?.kind === "text" && town.maxLength).toBe(2000);
    expect(result.definition.pages[0]?.questions[0]?.required).toBe(true);
  });

  it("reports an unknown scale with its JSON path", () => {
    const def = minimal();
    def.pages.push({
      id: "extra",
      title: "Extra",
      questions: [{ id: "x", kind: "likert", text: "X", scale: "nope" }],
    });
    expect(errorsOf(def)).toContainEqual({
      path: "$.pages[4].questions[0].scale",
      message: 'Unknown scale "nope"',
    });
  });

  it("refuses unknown fields, so typos do not pass silently", () => {
    const def = { ...minimal(), colour: "blue" };
    expect(errorsOf(def)[0]?.path).toBe("$");
    expect(errorsOf(def)[0]?.message).toMatch(/colour/);
  });

  it("refuses a condition on a later page or an unknown option", () => {
    const def = minimal();
    const page = def.pages[1];
    if (page) page.showIf = { question: "roles", anyOf: ["mayor"] };
    expect(errorsOf(def)).toContainEqual({
      path: "$.pages[1].showIf.anyOf[0]",
      message: '"mayor" is not an option of "roles"',
    });
    const early = minimal();
    const first = early.pages[0];
    if (first) first.showIf = { question: "roles", anyOf: ["supplier"] };
    expect(errorsOf(early)[0]?.path).toBe("$.pages[0].showIf.question");
  });

  it("needs both halves of a paired set, the after half later", () => {
    const def = minimal();
    def.pages.splice(3, 1);
    expect(errorsOf(def)).toContainEqual({
      path: "$.pairedSets[0]",
      message: 'The set "views" needs one "before" and one "after" question',
    });
    const swapped = minimal();
    const [before, after] = [swapped.pages[2], swapped.pages[3]];
    if (before && after) [swapped.pages[2], swapped.pages[3]] = [after, before];
    expect(errorsOf(swapped)[0]?.message).toMatch(/must be on a later page/);
  });

  it("refuses duplicate question ids and option codes, and bad dates", () => {
    const def = minimal();
    def.pages.push({ id: "dup", title: "Dup", questions: [{ id: "town", kind: "number", text: "N" }] });
    def.closes = "2025-01-01T00:00:00Z";
    const errors = errorsOf(def);
    expect(errors).toContainEqual({
      path: "$.pages[4].questions[0].id",
      message: 'Duplicate question id "town"',
    });
    expect(errors).toContainEqual({
      path: "$.closes",
      message: "The closing date must be after the opening date",
    });
  });

  it("refuses a custom scale whose excluded option has a score", () => {
    const def = minimal();
    def.scales = [
      {
        id: "yes-no",
        name: "Yes or no",
        options: [
          { code: "yes", label: "Yes", score: 1, group: "positive" },
          { code: "unsure", label: "Not sure", score: 0, group: "excluded" },
        ],
      },
    ];
    expect(errorsOf(def)).toContainEqual({
      path: "$.scales[0].options[1].score",
      message: "An excluded option has no score (use null)",
    });
  });
});
