import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, count, csrfFrom, type TestApp } from "../support/app.js";
import { type Agent, signedInAs } from "../support/officer.js";
import { commercialResident, toForm } from "../support/respondent.js";
import { startSmtp } from "../support/smtp.js";

// The officer preview shows "Save and come back later" and the receipt question as respondents see
// them, checked the same way, but inert: nothing stored, nothing mailed, and the pages say so.
const SLUG = "commercial-strategy-2018";
const PREVIEW = `/officer/consultations/${SLUG}/preview`;

let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp.close());

/** Everything a preview could leave behind: drafts, responses, codes, queued or sent e-mail. */
const traces = (t: TestApp) => ({
  responses: count(t.db, "SELECT count(*) AS n FROM responses"),
  codes: count(t.db, "SELECT count(*) AS n FROM resume_codes"),
  mail: count(t.db, "SELECT count(*) AS n FROM mail_queue"),
  received: smtp.received.length,
});

async function startPreview(agent: Agent) {
  const start = await agent.get(PREVIEW).expect(200);
  await agent
    .post(`${PREVIEW}/start`)
    .type("form")
    .send({ _csrf: csrfFrom(start.text) })
    .expect(303);
}

async function answer(agent: Agent, pageId: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(`${PREVIEW}/respond/${pageId}`).expect(200);
  return agent
    .post(`${PREVIEW}/respond/${pageId}`)
    .type("form")
    .send(toForm({ _csrf: csrfFrom(page.text), ...fields }));
}

describe("the officer preview's save button and receipt question (e-mail configured)", () => {
  it("offers 'Save and come back later' and its e-mail as respondents see them, saving and sending nothing", async () => {
    const t = buildTestApp({ config: { smtpUrl: smtp.url } });
    const before = traces(t);
    const agent = await signedInAs(t, "editor");
    await startPreview(agent);
    const page = await agent.get(`${PREVIEW}/respond/about-you`).expect(200);
    expect(page.text).toContain("Save and come back later");
    expect(page.text).toContain('name="save-later"');

    const saving = await answer(agent, "about-you", {
      ...commercialResident["about-you"],
      "save-later": "yes",
    });
    expect(saving.status).toBe(303);
    expect(saving.headers.location).toBe(`${PREVIEW}/save?from=about-you`);
    const savePage = await agent.get(String(saving.headers.location)).expect(200);
    expect(savePage.text).toContain("Save your answers and come back later");
    expect(savePage.text).toContain("Email address (optional)");
    expect(savePage.text).toContain(`action="${PREVIEW}/save"`);
    expect(savePage.text).toContain("In a preview nothing is saved, no link is made and no email is sent.");

    // A bad address gets the respondent's error, with what was typed kept.
    const bad = await agent
      .post(`${PREVIEW}/save`)
      .type("form")
      .send({ _csrf: csrfFrom(savePage.text), from: "about-you", email: "not an address" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Enter an email address in the correct format, like name@example.com");
    expect(bad.text).toContain('value="not an address"');

    const saved = await agent
      .post(`${PREVIEW}/save`)
      .type("form")
      .send({ _csrf: csrfFrom(savePage.text), from: "about-you", email: "officer@example.gov.uk" })
      .expect(200);
    expect(saved.text).toContain("Your answers have been saved");
    expect(saved.text).toContain("Nothing was saved and no email was sent.");
    expect(saved.text).not.toContain("resume?code=");
    expect(saved.text).toContain(`href="${PREVIEW}/respond/about-you"`);

    // Carry on to the check page: the receipt question is there, marked as inert.
    for (const [pageId, fields] of Object.entries(commercialResident).slice(1))
      expect((await answer(agent, pageId, fields)).status).toBe(303);
    const check = await agent.get(`${PREVIEW}/check`).expect(200);
    expect(check.text).toContain("Email address for a receipt (optional)");
    expect(check.text).toContain("In a preview no receipt is sent, whatever you type.");
    const badReceipt = await agent
      .post(`${PREVIEW}/submit`)
      .type("form")
      .send({ _csrf: csrfFrom(check.text), email: "nobody at all" });
    expect(badReceipt.status).toBe(400);
    expect(badReceipt.text).toContain("Enter an email address in the correct format, like name@example.com");
    expect(badReceipt.text).toContain('value="nobody at all"');
    const end = await agent
      .post(`${PREVIEW}/submit`)
      .type("form")
      .send({ _csrf: csrfFrom(check.text), email: "officer@example.gov.uk" })
      .expect(200);
    expect(end.text).toContain("End of the preview");
    expect(end.text).toContain("in a preview none is sent");

    await t.services.mail.deliverDue();
    expect(traces(t)).toEqual(before);
    expect(t.errors).toEqual([]);
  });

  it("says, as respondents are told, that no e-mail can be sent when the service has no mail server", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    await startPreview(agent);
    const saving = await answer(agent, "about-you", {
      ...commercialResident["about-you"],
      "save-later": "yes",
    });
    const savePage = await agent.get(String(saving.headers.location)).expect(200);
    expect(savePage.text).not.toContain('name="email"');
    expect(savePage.text).toContain("This service cannot send email, so we cannot email you the link.");
    for (const [pageId, fields] of Object.entries(commercialResident).slice(1))
      expect((await answer(agent, pageId, fields)).status).toBe(303);
    const check = await agent.get(`${PREVIEW}/check`).expect(200);
    expect(check.text).not.toContain('name="email"');
    expect(check.text).toContain("This service cannot send email, so we cannot send you a receipt");
  });
});
