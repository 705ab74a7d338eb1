import { describe, expect, it } from "vitest";
import { conditionHolds, pruneHiddenAnswers, visiblePages } from "../../analysis/answers.js";
import { firstIncompletePage } from "../../analysis/completeness.js";
import { parseDefinition } from "../../analysis/definition.js";
import { builtInScales, groupOf, scoreOf } from "../../analysis/scales.js";
import commercial from "../../db/seed/definitions/commercial-strategy-2018.json" with { type: "json" };

const parsed = parseDefinition(commercial);
if (!parsed.ok) throw new Error("demo definition invalid");
const def = parsed.definition;

describe("conditions", () => {
  it("hold when any listed code was chosen, single or multiple", () => {
    expect(
      conditionHolds(
        { question: "roles", anyOf: ["supplier"] },
        { roles: { codes: ["resident", "supplier"] } },
      ),
    ).toBe(true);
    expect(
      conditionHolds({ question: "roles", anyOf: ["supplier"] }, { roles: { codes: ["resident"] } }),
    ).toBe(false);
    expect(conditionHolds({ question: "size", anyOf: ["small"] }, { size: "small" })).toBe(true);
    expect(conditionHolds({ question: "roles", anyOf: ["supplier"] }, {})).toBe(false);
    expect(conditionHolds(undefined, {})).toBe(true);
  });

  it("show the supplier page only to suppliers", () => {
    const resident = visiblePages(def, { roles: { codes: ["resident"] } }).map((p) => p.id);
    const supplier = visiblePages(def, { roles: { codes: ["supplier"] } }).map((p) => p.id);
    expect(resident).not.toContain("supplier-details");
    expect(supplier).toContain("supplier-details");
    expect(supplier.length).toBe(resident.length + 1);
  });

  it("drop answers to questions the respondent no longer sees", () => {
    const kept = pruneHiddenAnswers(def, {
      roles: { codes: ["staff"] },
      "head-office-town": "Leicester",
      comments: "Hi",
    });
    expect(kept).toEqual({ roles: { codes: ["staff"] }, comments: "Hi" });
  });

  it("find the first page with a required question unanswered", () => {
    expect(firstIncompletePage(def, {})).toBe("about-you");
    expect(firstIncompletePage(def, { roles: { codes: ["supplier"] } })).toBe("supplier-details");
    expect(firstIncompletePage(def, { roles: { codes: ["resident"] } })).toBe("before-reading");
  });
});

describe("scales", () => {
  it("keep don't know out of scoring", () => {
    const agreement = builtInScales.find((s) => s.id === "agreement-5");
    if (!agreement) throw new Error("missing scale");
    expect(scoreOf(agreement, "strongly-agree")).toBe(5);
    expect(scoreOf(agreement, "dont-know")).toBeNull();
    expect(groupOf(agreement, "dont-know")).toBe("excluded");
    expect(groupOf(agreement, "agree")).toBe("positive");
  });

  it("each built-in scale has unique codes and scored options in order", () => {
    for (const scale of builtInScales) {
      const codes = scale.options.map((o) => o.code);
      expect(new Set(codes).size).toBe(codes.length);
      const scores = scale.options.flatMap((o) => (o.score === null ? [] : [o.score]));
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
  });
});
