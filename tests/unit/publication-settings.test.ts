import { describe, expect, it } from "vitest";
import { parseDefinition, publicationOf } from "../../analysis/definition.js";
import { publishedResponse, WITHHELD } from "../../analysis/published-responses.js";
import { NAME_REMOVED, TEXT_REMOVED } from "../../analysis/redaction.js";
import { editRedactions, fromStored, occurrences, redactedText } from "../../analysis/redaction-edit.js";
import { findRedactions } from "../../analysis/redaction.js";

function definition(publication?: unknown) {
  return {
    schemaVersion: 1,
    slug: "test",
    title: "Test",
    council: "Test Council",
    summary: ["Summary"],
    audience: "Everyone",
    opens: "2026-01-01T00:00:00Z",
    closes: "2026-02-01T00:00:00Z",
    pages: [
      {
        id: "p1",
        title: "Page",
        questions: [
          { id: "why", kind: "text", text: "Why?" },
          {
            id: "ok",
            kind: "single",
            text: "May we publish it?",
            options: [
              { code: "yes", label: "Yes" },
              { code: "no", label: "No" },
            ],
          },
          {
            id: "tick",
            kind: "multiple",
            text: "Which?",
            options: [{ code: "a", label: "A" }],
            other: { code: "other", label: "Other" },
          },
        ],
      },
    ],
    ...(publication === undefined ? {} : { publication }),
  };
}

describe("the definition's publication settings", () => {
  it("default to no kept names and no consent question", () => {
    const parsed = parseDefinition(definition());
    if (!parsed.ok) throw new Error("invalid");
    expect(publicationOf(parsed.definition)).toEqual({ keepCouncillorNames: false, keptNames: [] });
  });

  it("accept a consent question that is a single choice, with its own answers", () => {
    const parsed = parseDefinition(
      definition({
        keepCouncillorNames: true,
        keptNames: ["Jane Doe"],
        consent: { question: "ok", anyOf: ["yes"] },
      }),
    );
    expect(parsed.ok).toBe(true);
  });

  it("refuse a consent question that is missing, not a single choice, or an answer it does not have", () => {
    const errors = (publication: unknown) => {
      const parsed = parseDefinition(definition(publication));
      return parsed.ok ? [] : parsed.errors.map((e) => `${e.path}: ${e.message}`);
    };
    expect(errors({ consent: { question: "nope", anyOf: ["yes"] } })).toEqual([
      '$.publication.consent.question: "nope" is not a choice question on an earlier page',
    ]);
    expect(errors({ consent: { question: "tick", anyOf: ["a"] } })).toEqual([
      '$.publication.consent.question: "tick" must be a single choice question',
    ]);
    expect(errors({ consent: { question: "ok", anyOf: ["maybe"] } })).toEqual([
      '$.publication.consent.anyOf[0]: "maybe" is not an option of "ok"',
    ]);
    expect(errors({ unknown: true }).length).toBe(1);
  });
});

describe("an officer's edit of a redaction", () => {
  const text = "Mr Smith at 4 Mill Lane said the Gruffalo ate it. GRUFFALO!";
  const found = findRedactions(text);

  it("keeps the ticked spans, puts back the others, and removes every case of an added phrase", () => {
    expect(found.map((r) => text.slice(r.start, r.end))).toEqual(["Smith", "4 Mill Lane"]);
    const edited = editRedactions(text, found, new Set([1]), " gruffalo ");
    expect(redactedText(text, edited)).toBe(
      `Mr Smith at [address removed] said the ${TEXT_REMOVED} ate it. ${TEXT_REMOVED}!`,
    );
    expect(redactedText(text, editRedactions(text, found, new Set([0, 1]), ""))).toBe(
      `Mr ${NAME_REMOVED} at [address removed] said the Gruffalo ate it. GRUFFALO!`,
    );
  });

  it("drops stored spans that do not fit the text, and finds no empty phrase", () => {
    expect(
      fromStored(
        [
          [0, 3, "name"],
          [5, 2, "name"],
          [0, 999, "name"],
          [0, 3, "secret"],
        ],
        text,
      ),
    ).toEqual([{ start: 0, end: 3, kind: "name" }]);
    expect(occurrences(text, "")).toEqual([]);
  });
});

describe("a published response", () => {
  it("shows closed answers as labels, approved comments redacted and withheld ones as withheld", () => {
    const parsed = parseDefinition(definition({ consent: { question: "ok", anyOf: ["yes"] } }));
    if (!parsed.ok) throw new Error("invalid");
    const fact = { statement: "", number: null, decision: null, redacted: null, text: null, code: null };
    expect(
      publishedResponse(parsed.definition, [
        {
          ...fact,
          questionId: "why",
          text: "Call Bob",
          decision: "approved",
          redacted: `Call ${NAME_REMOVED}`,
        },
        { ...fact, questionId: "ok", code: "yes" },
        { ...fact, questionId: "tick", code: "a" },
        {
          ...fact,
          questionId: "tick",
          code: "other",
          text: "Secret",
          decision: "withheld",
          redacted: "Secret",
        },
      ]),
    ).toEqual([
      { question: "Why?", lines: [`Call ${NAME_REMOVED}`] },
      { question: "May we publish it?", lines: ["Yes"] },
      { question: "Which?", lines: ["A", `Other: ${WITHHELD}`] },
    ]);
  });
});
