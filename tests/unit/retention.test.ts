import request from "supertest";
import { describe, expect, it } from "vitest";
import type { AnswerSet } from "../../analysis/answers.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { ResumeCodeRepository } from "../../db/resume-codes.js";
import { retentionDates } from "../../server/services/retention.js";
import { buildTestApp, count, scoped, type TestApp } from "../support/app.js";
import { publishResults } from "../support/lifecycle.js";
import { addOfficer } from "../support/officer.js";
import { FIXTURE_SLUG, fixtureDefinition } from "../support/import-fixture.js";

const OPENS = "2026-05-01T00:00:00Z";
const CLOSES = "2026-07-01T12:00:00Z";

const base: AnswerSet = {
  visitor: { codes: ["alone"] },
  ward: "ward-3",
  "safety-before": { lighting: "satisfied", paths: "dissatisfied" },
  "how-often": { playground: "weekly", cafe: "rarely" },
  visits: 4,
  "safety-after": { lighting: "very-satisfied", paths: "satisfied" },
};

/** The fixture consultation open on the test clock, with three responses and one abandoned draft. */
async function consultationWithResponses() {
  const t = buildTestApp({ now: new Date("2026-06-01T10:00:00Z") });
  new ConsultationRepository(t.db).save({ ...fixtureDefinition(), opens: OPENS, closes: CLOSES });
  const row = t.services.consultations.find(FIXTURE_SLUG);
  if (!row) throw new Error("fixture not stored");
  const respond = (answers: AnswerSet, submit = true) => {
    const token = t.services.responses.start(row);
    const draft = t.services.responses.find(row, token);
    if (!draft) throw new Error("no draft");
    void t.services.responses.savePage(row, draft, Object.keys(answers), answers);
    if (submit) {
      const saved = t.services.responses.find(row, token);
      if (!saved) throw new Error("no draft");
      expect(t.services.responses.submit(row, saved).kind).toBe("submitted");
    }
  };
  respond({
    ...base,
    visitor: { codes: ["alone", "other"], other: "My grandad, Bob Jones of 4 Mill Lane" },
    ideas: "I am John Smith, call me on 07700 900123 about the bins",
  });
  respond({ ...base, ward: "ward-5", ideas: "More lighting on the paths, write to pat@example.com" });
  respond({ ...base, visits: 9 });
  respond({ ...base, ideas: "Half way through, never sent" }, false);

  // An officer codes two comments, and approves the second's redacted form for publishing.
  const officer = await addOfficer(t, "officer");
  const actor = { id: officer.id, name: officer.name };
  const themeId = t.services.themes.create(
    row,
    { name: "Lighting", description: "", parentId: null, questions: [], rules: "" },
    actor,
  );
  const commentOf = (text: string) =>
    count(
      t.db,
      `SELECT c.id AS n FROM comments c JOIN answers a ON a.response_id = c.response_id AND a.item_id = c.item_id
        WHERE a.text_value = ?`,
      text,
    );
  const quoted = commentOf("More lighting on the paths, write to pat@example.com");
  t.services.themes.tag(row, quoted, themeId, "apply", actor);
  t.services.themes.tag(
    row,
    commentOf("I am John Smith, call me on 07700 900123 about the bins"),
    themeId,
    "apply",
    actor,
  );
  const itemId = t.services.moderation.itemOf(row, "ideas");
  if (itemId === undefined) throw new Error("no item");
  await t.services.moderation.prepare(row, itemId);
  await t.services.moderation.close();
  expect(t.services.moderation.decide(row, [quoted], "approved", officer.id)).toBe(1);
  return { t, row };
}

const moderation = (t: TestApp) =>
  t.db
    .prepare("SELECT redacted_text AS redacted, decision FROM comment_moderation ORDER BY comment_id")
    .all() as { redacted: string; decision: string }[];

/** Everything that is counted: the results as the dashboard computes them, and the theme counts. */
function counted(t: TestApp) {
  const row = t.services.consultations.find(FIXTURE_SLUG);
  if (!row) throw new Error("fixture gone");
  const results = t.services.results.compute(row, null);
  const themes = t.services.themes.results(row, null);
  // The words themselves (the latest comments, "other" texts) are what retention deletes: leave
  // them out, and compare every count, share and interval.
  return JSON.stringify({ results, themes }, (key, value) =>
    key === "latest" || key === "otherTexts" || key === "quotes" ? undefined : value,
  );
}

const texts = (t: TestApp) =>
  (
    t.db
      .prepare(
        `SELECT a.text_value AS text FROM answers a JOIN responses r ON r.id = a.response_id
          JOIN consultations c ON c.id = r.consultation_id WHERE c.slug = ? AND a.text_value IS NOT NULL ORDER BY a.rowid`,
      )
      .all(FIXTURE_SLUG) as { text: string }[]
  ).map((r) => r.text);

describe("the retention job, on a fake clock", () => {
  it("deletes abandoned drafts 30 days after closing and free text two years after, keeping counts and the approved quote", async () => {
    const { t, row } = await consultationWithResponses();
    const s = scoped(t.db, FIXTURE_SLUG);
    const demoTexts =
      count(t.db, "SELECT count(*) AS n FROM answers WHERE text_value IS NOT NULL AND text_value <> ''") - 3;
    const before = counted(t);
    const answersBefore = s.answers();
    const dates = retentionDates(CLOSES);
    expect(dates.draftsDeletedAt.toISOString()).toBe("2026-07-31T12:00:00.000Z");
    expect(dates.textErasedAt.toISOString()).toBe("2028-07-01T12:00:00.000Z");

    // The abandoned draft was saved to come back to, with an e-mail address.
    const draftId = count(t.db, "SELECT id AS n FROM responses WHERE status = 'draft'");
    new ResumeCodeRepository(t.db).set(draftId, "a".repeat(64), "later@example.com", t.clock.now);

    // The day before drafts go: nothing is deleted, and the run is logged all the same.
    t.clock.now = new Date(dates.draftsDeletedAt.getTime() - 60_000);
    expect(await t.services.retention.run("command")).toEqual([]);
    expect(s.responses()).toBe(4);

    // 30 days after closing: the abandoned draft goes; every submitted response and text stays.
    t.clock.now = dates.draftsDeletedAt;
    const drafts = await t.services.retention.run("schedule");
    expect(drafts).toEqual([
      { slug: FIXTURE_SLUG, draftsDeleted: 1, textsErased: 0, quotesKept: 0, erased: false },
    ]);
    expect(s.responses()).toBe(3);
    expect(s.submitted()).toBe(3);
    // With it, its save-and-return code and the e-mail address.
    expect(count(t.db, "SELECT count(*) AS n FROM resume_codes")).toBe(0);
    expect(texts(t)).toHaveLength(3);
    expect(counted(t)).toBe(before);

    // A minute before two years after closing: the texts are all still there.
    t.clock.now = new Date(dates.textErasedAt.getTime() - 60_000);
    await t.services.retention.run("schedule");
    expect(texts(t)).toEqual([
      "My grandad, Bob Jones of 4 Mill Lane",
      "I am John Smith, call me on 07700 900123 about the bins",
      "More lighting on the paths, write to pat@example.com",
    ]);

    const redactedBefore = moderation(t);
    expect(redactedBefore.map((m) => m.decision)).toEqual(["pending", "approved"]);
    expect(redactedBefore[1]?.redacted).toBe("More lighting on the paths, write to [email removed]");

    // Two years after closing: the words go; the approved quote keeps its redacted form only.
    t.clock.now = dates.textErasedAt;
    const erased = await t.services.retention.run("schedule");
    expect(erased).toEqual([
      { slug: FIXTURE_SLUG, draftsDeleted: 0, textsErased: 3, quotesKept: 1, erased: true },
    ]);
    expect(texts(t)).toEqual(["", "", ""]);
    expect(moderation(t)).toEqual([redactedBefore[1]]);
    // The published report still quotes it, redacted, and nothing erased.
    publishResults(t, FIXTURE_SLUG);
    const report = await request(t.app).get(`/consultations/${FIXTURE_SLUG}/report`).expect(200);
    expect(report.text).toContain("More lighting on the paths, write to [email removed]");
    for (const gone of ["John Smith", "07700", "grandad", "pat@example.com"])
      expect(report.text).not.toContain(gone);
    // Nothing else: every answer row, every response, every count and theme count is as it was.
    expect(s.answers()).toBe(answersBefore);
    expect(s.submitted()).toBe(3);
    expect(counted(t)).toBe(before);
    const dashboard = JSON.stringify(t.services.results.compute(row, null));
    for (const gone of ["John Smith", "07700", "grandad", "pat@example.com"])
      expect(dashboard).not.toContain(gone);
    // The search index no longer finds the erased words.
    expect(
      count(t.db, "SELECT count(*) AS n FROM comment_search WHERE comment_search MATCH 'bins OR grandad'"),
    ).toBe(0);
    // The demo (invented responses) is never touched.
    expect(
      count(t.db, "SELECT count(*) AS n FROM answers WHERE text_value IS NOT NULL AND text_value <> ''"),
    ).toBe(demoTexts);

    // The consultation is done once: a later run erases nothing more.
    t.clock.now = new Date(dates.textErasedAt.getTime() + 24 * 60 * 60 * 1000);
    expect(await t.services.retention.run("schedule")).toEqual([]);

    // Every run is in the log, newest first, with what it deleted.
    const runs = t.services.retention.runs();
    expect(runs.map((r) => [r.trigger, r.draftsDeleted, r.textsErased, r.consultationsErased])).toEqual([
      ["schedule", 0, 0, 0],
      ["schedule", 0, 3, 1],
      ["schedule", 0, 0, 0],
      ["schedule", 1, 0, 0],
      ["command", 0, 0, 0],
    ]);
    expect(runs.every((r) => r.finishedAt !== null && r.error === null)).toBe(true);
  });

  it("keeps a consultation's own retention period", async () => {
    const t = buildTestApp({ now: new Date("2026-06-01T10:00:00Z") });
    new ConsultationRepository(t.db).save({
      ...fixtureDefinition(),
      opens: OPENS,
      closes: CLOSES,
      retentionMonths: 6,
    });
    const row = t.services.consultations.find(FIXTURE_SLUG);
    if (!row) throw new Error("fixture not stored");
    const token = t.services.responses.start(row);
    const draft = t.services.responses.find(row, token);
    if (!draft) throw new Error("no draft");
    void t.services.responses.savePage(row, draft, [...Object.keys(base), "ideas"], {
      ...base,
      ideas: "Six months only",
    });
    const saved = t.services.responses.find(row, token);
    if (!saved) throw new Error("no draft");
    t.services.responses.submit(row, saved);
    t.clock.now = new Date("2027-01-01T11:59:00Z");
    await t.services.retention.run("command");
    expect(texts(t)).toEqual(["Six months only"]);
    t.clock.now = new Date("2027-01-01T12:00:00Z");
    await t.services.retention.run("command");
    expect(texts(t)).toEqual([""]);
  });
});
