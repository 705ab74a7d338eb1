import { describe, expect, it } from "vitest";
import { REFERENCE_PATTERN } from "../../server/services/references.js";
import { buildTestApp, count, scoped } from "../support/app.js";
import { commercialResident, Respondent } from "../support/respondent.js";

const SLUG = "commercial-strategy-2018";

async function completeAsResident(r: Respondent) {
  await r.start();
  for (const [pageId, fields] of Object.entries(commercialResident)) {
    const res = await r.answer(pageId, fields);
    expect(res.status, `${pageId}: ${res.text.slice(0, 300)}`).toBe(303);
  }
}

describe("a resident answers the open consultation", () => {
  it("walks every page, checks answers and gets a reference; every answer is stored", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    const started = await r.start();
    expect(started.status).toBe(303);
    expect(started.headers.location).toBe(`/consultations/${SLUG}/respond/about-you`);

    const first = await r.agent.get(`/consultations/${SLUG}/respond/about-you`).expect(200);
    expect(first.text).toContain("Page 1 of 7");

    const afterRoles = await r.answer("about-you", commercialResident["about-you"]);
    // A resident skips the supplier page.
    expect(afterRoles.headers.location).toBe(`/consultations/${SLUG}/respond/before-reading`);
    await r.agent.get(`/consultations/${SLUG}/respond/supplier-details`).expect(404);

    for (const [pageId, fields] of Object.entries(commercialResident).slice(1)) {
      expect((await r.answer(pageId, fields)).status).toBe(303);
    }
    const check = await r.agent.get(`/consultations/${SLUG}/check`).expect(200);
    expect(check.text).toContain("Check your answers before sending your response");
    expect(check.text).toContain("Tend to agree");
    expect(check.text).toContain(
      `/consultations/${SLUG}/respond/trading-areas?change=1#trading-areas-importance--heritage`,
    );
    // Grid and paired statements are grouped under their question, said once as a card's title,
    // not repeated before every statement.
    for (const question of [
      "How important is it that the Council develops its trading in each of these areas?",
      "How far do you agree or disagree with each of these statements?",
    ]) {
      const title = new RegExp(
        `<h3 class="govuk-summary-card__title">\\s*${question.replace(/[?]/g, "\\?")}\\s*</h3>`,
        "g",
      );
      expect([...check.text.matchAll(title)]).toHaveLength(1);
    }
    expect(check.text).not.toContain("?: ");

    const sent = await r.submit();
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/consultations/${SLUG}/confirmation`);
    const confirmation = await r.agent.get(`/consultations/${SLUG}/confirmation`).expect(200);
    const reference = /SND-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(confirmation.text)?.[0] ?? "";
    expect(reference).toMatch(REFERENCE_PATTERN);

    const stored = t.db
      .prepare("SELECT id, status, channel, submitted_at FROM responses WHERE reference = ?")
      .get(reference) as { id: number; status: string; channel: string; submitted_at: string };
    expect(stored).toMatchObject({ status: "submitted", channel: "online" });
    // 1 role + 4 before + 4 after + 1 vision + 3 themes + 12 areas + 1 comment = 26 answer rows.
    expect(count(t.db, "SELECT count(*) AS n FROM answers WHERE response_id = ?", stored.id)).toBe(26);
    const comment = t.db
      .prepare(
        `SELECT a.text_value AS text FROM answers a JOIN items i ON i.id = a.item_id JOIN questions q ON q.id = i.question_id
         WHERE a.response_id = ? AND q.question_key = 'comments'`,
      )
      .get(stored.id) as { text: string };
    expect(comment.text).toBe("Keep libraries open.\nAnd publish the figures.");
    expect(t.errors).toEqual([]);
  });

  it("stores one response when the final submit is sent twice", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await completeAsResident(r);
    const check = await r.agent.get(`/consultations/${SLUG}/check`).expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(check.text)?.[1] ?? "";
    const [a, b] = await Promise.all([
      r.agent.post(`/consultations/${SLUG}/submit`).type("form").send({ _csrf: token }),
      r.agent.post(`/consultations/${SLUG}/submit`).type("form").send({ _csrf: token }),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const again = await r.agent.post(`/consultations/${SLUG}/submit`).type("form").send({ _csrf: token });
    expect(again.headers.location).toBe(`/consultations/${SLUG}/confirmation`);
    expect(scoped(t.db, SLUG).submitted()).toBe(1);
    expect(scoped(t.db, SLUG).answers()).toBe(26);
  });

  it("shows the supplier page to a supplier and stores their details", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await r.start();
    const res = await r.answer("about-you", { roles: ["resident", "supplier"] });
    expect(res.headers.location).toBe(`/consultations/${SLUG}/respond/supplier-details`);
    const page = await r.agent.get(`/consultations/${SLUG}/respond/supplier-details`).expect(200);
    expect(page.text).toContain("Page 2 of 8");
    const saved = await r.answer("supplier-details", {
      "supplier-services": ["catering", "other-service"],
      "supplier-services-other": "Grounds maintenance",
      "head-office-town": "Loughborough",
      "organisation-size": "small",
      "supplier-sme": "yes",
    });
    expect(saved.headers.location).toBe(`/consultations/${SLUG}/respond/before-reading`);
    for (const [pageId, fields] of Object.entries(commercialResident).slice(1))
      await r.answer(pageId, fields);
    expect((await r.submit()).status).toBe(303);
    const other = t.db
      .prepare("SELECT text_value AS t FROM answers WHERE text_value = 'Grounds maintenance'")
      .get();
    expect(other).toBeDefined();
  });

  it("forgets supplier details when the respondent unticks supplier", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await r.start();
    await r.answer("about-you", { roles: ["supplier"] });
    await r.answer("supplier-details", { "organisation-size": "large", "head-office-town": "Leicester" });
    const changed = await r.answer("about-you", { roles: ["staff"] }, "?change=1");
    // Pages after this one are still unanswered, so the respondent is taken on to the next one.
    expect(changed.headers.location).toBe(`/consultations/${SLUG}/respond/before-reading?change=1`);
    for (const [pageId, fields] of Object.entries(commercialResident).slice(1))
      await r.answer(pageId, fields);
    await r.submit();
    expect(scoped(t.db, SLUG).textAnswers("Leicester")).toBe(0);
  });
});

describe("the proposals can be read without starting a response", () => {
  it("shows the strategy summary linked from the consultation page", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    const page = await r.agent.get(`/consultations/${SLUG}`).expect(200);
    expect(page.text).toContain(`href="/consultations/${SLUG}/documents"`);
    const docs = await r.agent.get(`/consultations/${SLUG}/documents`).expect(200);
    expect(docs.text).toContain("About the proposals");
    expect(docs.text).toContain("The Commercial Strategy in brief");
    expect(scoped(t.db, SLUG).responses()).toBe(0);
  });
});
