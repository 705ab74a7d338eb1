import { describe, expect, it } from "vitest";
import type { AnswerSet } from "../../analysis/answers.js";
import {
  type ConsultationDefinition,
  definitionSchema,
  type DefinitionInput,
} from "../../analysis/definition.js";
import { DefinitionChangeRefusedError } from "../../db/consultations.js";
import { buildTestApp, type TestApp } from "../support/app.js";

/**
 * Issue 12, item 4: a live consultation changes in the allowed ways without corrupting its data.
 * Responses are taken, the definition is edited in each allowed way, more responses are taken, and
 * every count is checked against what was given; each refused change stores nothing.
 */
const SLUG = "versions-test";

function base(): DefinitionInput {
  return {
    schemaVersion: 1,
    slug: SLUG,
    title: "Park opening hours",
    council: "A council",
    summary: ["We propose new opening hours for the park."],
    audience: "Anyone",
    opens: "2026-01-01T00:00:00Z",
    closes: "2027-05-01T22:59:00Z",
    pages: [
      {
        id: "about",
        title: "About your visits",
        questions: [
          {
            id: "mode",
            kind: "single",
            text: "How do you usualy get to the park?",
            options: [
              { code: "walk", label: "On foot" },
              { code: "car", label: "By car" },
            ],
          },
          {
            id: "uses",
            kind: "multiple",
            text: "What do you use the park for?",
            options: [
              { code: "play", label: "Play" },
              { code: "sport", label: "Sport" },
            ],
            other: { code: "other", label: "Something else" },
          },
          { id: "support", kind: "likert", text: "Do you support the new hours?", scale: "agreement-5" },
          { id: "why", kind: "text", text: "Why?", required: false },
        ],
      },
    ],
  };
}

const parse = (d: DefinitionInput): ConsultationDefinition => definitionSchema.parse(d);

function edit(t: TestApp, change: (d: DefinitionInput) => void) {
  const row = t.services.consultations.find(SLUG);
  if (!row) throw new Error("not stored");
  const d = structuredClone(row.definition) as DefinitionInput;
  change(d);
  return t.services.consultations.store(parse(d), { savedBy: "test" });
}

function respond(t: TestApp, answers: AnswerSet) {
  const row = t.services.consultations.find(SLUG);
  if (!row) throw new Error("not stored");
  const token = t.services.responses.start(row);
  const draft = t.services.responses.find(row, token);
  if (!draft) throw new Error("no draft");
  void t.services.responses.savePage(row, draft, Object.keys(answers), answers);
  const again = t.services.responses.find(row, token);
  if (!again) throw new Error("no draft");
  const outcome = t.services.responses.submit(row, again);
  if (outcome.kind !== "submitted") throw new Error(`not submitted: ${outcome.pageId}`);
  return outcome.reference;
}

function counts(t: TestApp) {
  const row = t.services.consultations.find(SLUG);
  if (!row) throw new Error("not stored");
  const results = t.services.results.compute(row);
  const out: Record<string, Record<string, number>> = {};
  for (const q of results.questions) {
    if (q.kind === "single" || q.kind === "multiple")
      out[q.question.id] = Object.fromEntries(q.result.options.map((o) => [o.code, o.count]));
    if (q.kind === "likert")
      out[q.question.id] = Object.fromEntries(
        [...q.distribution.options, ...q.distribution.excluded].map((o) => [o.code, o.count]),
      );
  }
  return { respondents: results.respondents, byQuestion: out };
}

const versionsOfResponses = (t: TestApp) =>
  t.db
    .prepare(
      `SELECT r.definition_version AS v, count(*) AS n FROM responses r JOIN consultations c ON c.id = r.consultation_id
        WHERE c.slug = ? AND r.status = 'submitted' GROUP BY v ORDER BY v`,
    )
    .all(SLUG) as { v: number; n: number }[];

describe("versioned definitions", () => {
  it("takes every allowed change while live and counts answers to every version together", () => {
    const t = buildTestApp({ now: new Date("2026-06-01T12:00:00Z") });
    expect(t.services.consultations.store(parse(base())).version).toBe(1);
    respond(t, { mode: "walk", uses: { codes: ["play"] }, support: "agree" });
    respond(t, { mode: "car", uses: { codes: ["play", "sport"] }, support: "strongly-agree" });
    respond(t, { mode: "walk", uses: { codes: ["other"], other: "Dog walking" }, support: "disagree" });

    // 1. A wording fix (the question's typo, an option's label, the page title).
    const v2 = edit(t, (d) => {
      const q = d.pages[0]?.questions[0];
      if (q?.kind !== "single") throw new Error("fixture");
      q.text = "How do you usually get to the park?";
      const car = q.options[1];
      if (car) car.label = "By car or van";
    });
    expect(v2.version).toBe(2);
    expect(v2.changes).toContain("Reworded the question ‘How do you usually get to the park?’");
    expect(v2.changes).toContain("Reworded the option ‘By car or van’");
    respond(t, { mode: "car", uses: { codes: ["sport"] }, support: "agree" });

    // 2. A new optional question.
    const v3 = edit(t, (d) => {
      d.pages[0]?.questions.push({
        id: "often",
        kind: "single",
        text: "How often do you visit?",
        required: false,
        options: [
          { code: "weekly", label: "Every week" },
          { code: "rarely", label: "Less often" },
        ],
      });
    });
    expect(v3.version).toBe(3);
    respond(t, { mode: "walk", uses: { codes: ["play"] }, support: "agree", often: "weekly" });

    // 3. A new option at the end of a list.
    const v4 = edit(t, (d) => {
      const q = d.pages[0]?.questions[0];
      if (q?.kind !== "single") throw new Error("fixture");
      q.options.push({ code: "bus", label: "By bus" });
    });
    expect(v4.changes).toContain("Added the option ‘By bus’ to ‘How do you usually get to the park?’");
    respond(t, { mode: "bus", uses: { codes: ["sport"] }, support: "neither" });

    // 4. A later closing date.
    const v5 = edit(t, (d) => {
      d.closes = "2027-06-01T22:59:00Z";
    });
    expect(v5.version).toBe(5);
    respond(t, { mode: "bus", uses: { codes: ["play", "other"], other: "Picnics" }, support: "agree" });

    const c = counts(t);
    expect(c.respondents).toBe(7);
    expect(c.byQuestion.mode).toEqual({ walk: 3, car: 2, bus: 2 });
    expect(c.byQuestion.uses).toEqual({ play: 4, sport: 3, other: 2 });
    expect(c.byQuestion.often).toEqual({ weekly: 1, rarely: 0 });
    expect(c.byQuestion.support).toMatchObject({
      "strongly-agree": 1,
      agree: 4,
      neither: 1,
      disagree: 1,
      "strongly-disagree": 0,
    });
    // Each response records the version it answered.
    expect(versionsOfResponses(t)).toEqual([
      { v: 1, n: 3 },
      { v: 2, n: 1 },
      { v: 3, n: 1 },
      { v: 4, n: 1 },
      { v: 5, n: 1 },
    ]);
    const row = t.services.consultations.find(SLUG);
    expect(row?.closesAt).toBe("2027-06-01T22:59:00.000Z");
    expect(t.services.consultations.versions(row?.id ?? 0).map((v) => v.version)).toEqual([5, 4, 3, 2, 1]);
  });

  const refusals: [string, (d: DefinitionInput) => void, RegExp][] = [
    [
      "removing an option that has answers",
      (d) => {
        const q = d.pages[0]?.questions[0];
        if (q?.kind === "single")
          q.options = [...q.options.filter((o) => o.code !== "car"), { code: "bus", label: "By bus" }];
      },
      /‘By car’ \(car\).*has answers.*Keep it with its code/,
    ],
    [
      "recoding an option that has answers",
      (d) => {
        const q = d.pages[0]?.questions[0];
        if (q?.kind === "single" && q.options[0]) q.options[0].code = "foot";
      },
      /‘On foot’ \(walk\).*cannot be removed or given another code/,
    ],
    [
      "changing a question's kind",
      (d) => {
        const q = d.pages[0]?.questions[0];
        if (q?.kind === "single" && d.pages[0])
          d.pages[0].questions[0] = { id: q.id, text: q.text, kind: "multiple", options: q.options };
      },
      /cannot change from single to multiple.*add a new question with a new id/,
    ],
    [
      "changing a question's scale",
      (d) => {
        const q = d.pages[0]?.questions[2];
        if (q?.kind === "likert") q.scale = "importance-4";
      },
      /cannot change its scale/,
    ],
    [
      "a new required question",
      (d) => {
        d.pages[0]?.questions.push({ id: "age", kind: "number", text: "Your age" });
      },
      /new question ‘Your age’ must be optional/,
    ],
    [
      "a new option before the existing ones",
      (d) => {
        const q = d.pages[0]?.questions[0];
        if (q?.kind === "single") q.options.unshift({ code: "bus", label: "By bus" });
      },
      /must go after the existing ones/,
    ],
    [
      "an earlier closing date",
      (d) => {
        d.closes = "2026-12-01T00:00:00Z";
      },
      /use ‘Close early’/,
    ],
  ];

  for (const [what, change, message] of refusals) {
    it(`refuses ${what}, says why and what to do instead, and stores nothing`, () => {
      const t = buildTestApp({ now: new Date("2026-06-01T12:00:00Z") });
      t.services.consultations.store(parse(base()));
      respond(t, { mode: "walk", uses: { codes: ["play"] }, support: "agree" });
      respond(t, { mode: "car", uses: { codes: ["sport"] }, support: "agree" });
      const before = t.services.consultations.find(SLUG);
      let refused: unknown;
      try {
        edit(t, change);
      } catch (e) {
        refused = e;
      }
      expect(refused).toBeInstanceOf(DefinitionChangeRefusedError);
      expect((refused as DefinitionChangeRefusedError).problems.map((p) => p.message).join("\n")).toMatch(
        message,
      );
      const after = t.services.consultations.find(SLUG);
      expect(after?.version).toBe(1);
      expect(after?.definition).toEqual(before?.definition);
      expect(counts(t).byQuestion.mode).toEqual({ walk: 1, car: 1 });
    });
  }

  it("lets a consultation nobody has answered change freely, keeping its id", () => {
    const t = buildTestApp({ now: new Date("2025-06-01T12:00:00Z") });
    const first = t.services.consultations.store(parse(base()));
    const second = edit(t, (d) => {
      const q = d.pages[0]?.questions[0];
      if (q?.kind === "single" && d.pages[0])
        d.pages[0].questions[0] = { id: q.id, text: q.text, kind: "multiple", options: q.options };
    });
    expect(second).toMatchObject({ id: first.id, created: false, version: 2 });
    respond(t, { mode: { codes: ["walk", "car"] }, uses: { codes: ["play"] }, support: "agree" });
    expect(counts(t).byQuestion.mode).toEqual({ walk: 1, car: 1 });
  });

  it("carries a draft to the new version and says what changed", () => {
    const t = buildTestApp({ now: new Date("2026-06-01T12:00:00Z") });
    t.services.consultations.store(parse(base()));
    const row = t.services.consultations.find(SLUG);
    if (!row) throw new Error("not stored");
    const token = t.services.responses.start(row);
    const draft = t.services.responses.find(row, token);
    if (!draft) throw new Error("no draft");
    void t.services.responses.savePage(row, draft, ["mode"], { mode: "walk" });
    edit(t, (d) => {
      const q = d.pages[0]?.questions[0];
      if (q?.kind === "single") q.text = "How do you usually get to the park?";
    });
    const current = t.services.consultations.find(SLUG);
    if (!current) throw new Error("not stored");
    const carried = t.services.responses.find(current, token);
    expect(carried?.definitionVersion).toBe(2);
    expect(carried?.answers).toEqual({ mode: "walk" });
    expect(carried?.changedSince).toEqual(["Reworded the question ‘How do you usually get to the park?’"]);
    // Told once: the next look finds it already on the current version.
    expect(t.services.responses.find(current, token)?.changedSince).toBeUndefined();
  });
});
