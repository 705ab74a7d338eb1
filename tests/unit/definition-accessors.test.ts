import { describe, expect, it } from "vitest";
import {
  allQuestions,
  type ConsultationDefinition,
  type DefinitionInput,
  findQuestion,
  momentsOf,
  optionsOf,
  pageOfQuestion,
  pairedHalves,
  parseDefinition,
  scaleOf,
  statementsOf,
} from "../../analysis/definition.js";
import { scaleWording } from "../../analysis/scales.js";

function input(): DefinitionInput {
  return {
    schemaVersion: 1,
    slug: "library-services",
    title: "Library services",
    council: "Test Council",
    summary: ["A test."],
    audience: "Library users",
    opens: "2026-01-01T00:00:00Z",
    closes: "2026-02-01T00:00:00Z",
    scales: [
      {
        id: "satisfaction",
        name: "Satisfaction",
        options: [
          { code: "very", label: "Very satisfied", score: 4, group: "positive" },
          { code: "fairly", label: "Fairly satisfied", score: 3, group: "positive" },
          { code: "not-very", label: "Not very satisfied", score: 2, group: "negative" },
          { code: "not-at-all", label: "Not at all satisfied", score: 1, group: "negative" },
        ],
        words: {
          positive: "Satisfied",
          negative: "Dissatisfied",
          prompt: "how satisfied you are with {subject}",
        },
      },
      {
        id: "plain",
        name: "Plain",
        options: [
          { code: "good", label: "Good", score: 3, group: "positive" },
          { code: "ok", label: "OK", score: 2, group: "neutral" },
          { code: "bad", label: "Bad", score: 1, group: "negative" },
        ],
      },
    ],
    pairedSets: [
      {
        id: "views",
        scale: "satisfaction",
        statements: [{ id: "opening-hours", text: "Opening hours" }],
        moments: { before: "before the workshop", after: "after the workshop" },
      },
      { id: "untold", scale: "plain", statements: [{ id: "a", text: "A" }] },
    ],
    pages: [
      {
        id: "first",
        title: "First visit",
        questions: [
          { id: "views-before", kind: "paired", text: "Before", set: "views", phase: "before" },
          { id: "untold-before", kind: "paired", text: "Before", set: "untold", phase: "before" },
          {
            id: "visits",
            kind: "multiple",
            text: "Which branches?",
            options: [
              { code: "north", label: "North" },
              { code: "south", label: "South" },
            ],
            other: { code: "other", label: "Another branch" },
          },
        ],
      },
      {
        id: "second",
        title: "Your views after the open day",
        questions: [
          { id: "views-after", kind: "paired", text: "After", set: "views", phase: "after" },
          { id: "untold-after", kind: "paired", text: "After", set: "untold", phase: "after" },
          { id: "overall", kind: "likert", text: "Overall?", scale: "plain" },
          {
            id: "rooms",
            kind: "grid",
            text: "Rate the rooms",
            scale: "satisfaction",
            statements: [{ id: "quiet", text: "Quiet room" }],
          },
        ],
      },
    ],
  };
}

function definition(): ConsultationDefinition {
  const result = parseDefinition(input());
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.definition;
}

describe("the definition's accessors", () => {
  const def = definition();
  const q = (id: string) => {
    const found = findQuestion(def, id);
    if (!found) throw new Error(id);
    return found;
  };

  it("lists every question in page order and finds each by id", () => {
    expect(allQuestions(def).map((x) => x.id)).toEqual([
      "views-before",
      "untold-before",
      "visits",
      "views-after",
      "untold-after",
      "overall",
      "rooms",
    ]);
    expect(findQuestion(def, "nope")).toBeUndefined();
    expect(findQuestion(def, "constructor")).toBeUndefined();
    expect(pageOfQuestion(def, "overall")?.id).toBe("second");
  });

  it("gives the scale, statements and options of each kind", () => {
    expect(scaleOf(def, q("views-after"))?.id).toBe("satisfaction");
    expect(scaleOf(def, q("rooms"))?.id).toBe("satisfaction");
    expect(scaleOf(def, q("overall"))?.id).toBe("plain");
    expect(scaleOf(def, q("visits"))).toBeUndefined();
    expect(statementsOf(def, q("views-before")).map((s) => s.id)).toEqual(["opening-hours"]);
    expect(statementsOf(def, q("rooms")).map((s) => s.id)).toEqual(["quiet"]);
    expect(statementsOf(def, q("overall"))).toEqual([]);
    expect(optionsOf(def, q("visits")).map((o) => o.code)).toEqual(["north", "south", "other"]);
    expect(optionsOf(def, q("overall")).map((o) => o.label)).toEqual(["Good", "OK", "Bad"]);
    expect(pairedHalves(def, "views").after?.question.id).toBe("views-after");
  });

  it("says a paired set's moments as declared, else from the page titles, else by page", () => {
    expect(momentsOf(def, "views")).toEqual({ before: "before the workshop", after: "after the workshop" });
    expect(momentsOf(def, "untold")).toEqual({
      before: "on the page \u2018First visit\u2019",
      after: "after the open day",
    });
  });
});

describe("a scale's words", () => {
  const def = definition();
  it("uses the declared words and derives the rest from the option groups", () => {
    const satisfaction = scaleWording(scaleOf(def, findQuestion(def, "rooms") as never) as never);
    expect(satisfaction.positive).toBe("Satisfied");
    expect(satisfaction.negative).toBe("Dissatisfied");
    expect(satisfaction.neutral).toBeNull();
    expect(satisfaction.neutralVerb).toBeNull();
    expect(satisfaction.hasTotals).toBe(true);
    expect(satisfaction.select("Quiet room")).toBe('Select how satisfied you are with "Quiet room"');
    expect(satisfaction.positiveVerb).toBe(
      "chose \u2018Very satisfied\u2019 or \u2018Fairly satisfied\u2019",
    );
  });

  it("falls back to generic words and labels for a scale that declares none", () => {
    const plain = scaleWording(scaleOf(def, findQuestion(def, "overall") as never) as never);
    expect(plain.positive).toBe("Positive");
    expect(plain.neutral).toBe("OK");
    expect(plain.hasTotals).toBe(false);
    expect(plain.select()).toBe("Select an answer");
    expect(plain.measure).toBe("The share choosing \u2018Good\u2019");
  });
});
