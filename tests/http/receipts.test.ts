import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, count, csrfFrom, scoped, type TestApp } from "../support/app.js";
import { commercialResident, Respondent } from "../support/respondent.js";
import { startSmtp } from "../support/smtp.js";

const OPEN = "commercial-strategy-2018";
const BASE = `/consultations/${OPEN}`;

let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp.close());

async function answered(t: TestApp): Promise<Respondent> {
  const r = new Respondent(t, OPEN);
  await r.start();
  for (const [pageId, fields] of Object.entries(commercialResident)) await r.answer(pageId, fields);
  return r;
}

async function submitWith(r: Respondent, email: string) {
  const check = await r.agent.get(`${BASE}/check`).expect(200);
  return r.agent
    .post(`${BASE}/submit`)
    .type("form")
    .send({ _csrf: csrfFrom(check.text), email });
}

const queued = (t: TestApp) => count(t.db, "SELECT count(*) AS n FROM mail_queue");

describe("receipts by e-mail (a real SMTP server in this process)", () => {
  it("sends the reference and a copy of the answers, then forgets the address", async () => {
    const t = buildTestApp({ config: { smtpUrl: smtp.url } });
    const before = smtp.received.length;
    const r = await answered(t);
    const check = await r.agent.get(`${BASE}/check`).expect(200);
    expect(check.text).toContain("Email address for a receipt (optional)");

    // A bad address: the check page again, with the GOV.UK error and what was typed; nothing stored.
    const bad = await submitWith(r, "not an address");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Enter an email address in the correct format, like name@example.com");
    expect(bad.text).toContain('value="not an address"');
    expect(bad.text).toContain('href="#email"');
    expect(scoped(t.db, OPEN).submitted()).toBe(0);

    const sent = await submitWith(r, "resident@example.com");
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`${BASE}/confirmation?receipt=1`);
    const confirmation = await r.agent.get(String(sent.headers.location)).expect(200);
    const reference = /class="app-reference">([^<]+)</.exec(confirmation.text)?.[1];
    expect(reference).toMatch(/^SND-/);
    expect(confirmation.text).toContain("We are emailing you a receipt");

    const mails = await smtp.waitFor(before + 1);
    const receipt = mails[before];
    expect(receipt?.to).toEqual(["resident@example.com"]);
    expect(receipt?.subject).toContain(String(reference));
    expect(receipt?.text).toContain(`Your reference: ${reference}`);
    // The answers, in the check page's words.
    expect(receipt?.text).toContain("Keep libraries open.");
    expect(receipt?.text).toContain("Strongly agree");
    // Sent, so gone from the queue: no address or copy of the answers is kept.
    await expect.poll(() => queued(t)).toBe(0);
    expect(count(t.db, "SELECT count(*) AS n FROM responses WHERE status = 'submitted'")).toBeGreaterThan(0);
    expect(t.errors).toEqual([]);
  });

  it("stores the response when the mail server refuses, and retries from the queue", async () => {
    const t = buildTestApp({ config: { smtpUrl: smtp.url } });
    const before = smtp.received.length;
    smtp.failNext(1);
    const r = await answered(t);
    const sent = await submitWith(r, "later@example.com");
    expect(sent.status).toBe(303);
    expect(scoped(t.db, OPEN).submitted()).toBe(1);
    await expect
      .poll(() => count(t.db, "SELECT attempts AS n FROM mail_queue WHERE kind = 'receipt'"))
      .toBe(1);
    expect(smtp.received.length).toBe(before);
    // Not due yet: nothing is sent.
    await t.services.mail.deliverDue();
    expect(smtp.received.length).toBe(before);
    // A minute later it is.
    t.clock.now = new Date(t.clock.now.getTime() + 61_000);
    await t.services.mail.deliverDue();
    expect(smtp.received[before]?.to).toEqual(["later@example.com"]);
    expect(queued(t)).toBe(0);
  });

  it("stores the response when no mail server answers at all", async () => {
    const dead = await startSmtp();
    const url = dead.url;
    await dead.close();
    const t = buildTestApp({ config: { smtpUrl: url } });
    const r = await answered(t);
    const sent = await submitWith(r, "nobody@example.com");
    expect(sent.status).toBe(303);
    expect(scoped(t.db, OPEN).submitted()).toBe(1);
    await expect.poll(() => count(t.db, "SELECT attempts AS n FROM mail_queue")).toBe(1);
  });

  it("offers no e-mail without SOUNDING_SMTP_URL, and says so", async () => {
    const t = buildTestApp();
    const r = await answered(t);
    const check = await r.agent.get(`${BASE}/check`).expect(200);
    expect(check.text).not.toContain('name="email"');
    expect(check.text).toContain("This service cannot send email, so we cannot send you a receipt");
    const sent = await submitWith(r, "ignored@example.com");
    expect(sent.headers.location).toBe(`${BASE}/confirmation`);
    expect(queued(t)).toBe(0);
  });
});

describe("save and come back later, by e-mail", () => {
  it("sends the one-time link, which resumes the response; the address goes when it is used", async () => {
    const t = buildTestApp({ config: { smtpUrl: smtp.url } });
    const before = smtp.received.length;
    const r = new Respondent(t, OPEN);
    await r.start();
    await r.answer("about-you", { ...commercialResident["about-you"], "save-later": "yes" });
    const savePage = await r.agent.get(`${BASE}/save?from=about-you`).expect(200);
    expect(savePage.text).toContain("Email address (optional)");
    const saved = await r.agent
      .post(`${BASE}/save`)
      .type("form")
      .send({ _csrf: csrfFrom(savePage.text), from: "about-you", email: "back@example.com" })
      .expect(200);
    expect(saved.text).toContain("We have also sent it to <strong>back@example.com</strong>");
    expect(count(t.db, "SELECT count(*) AS n FROM resume_codes WHERE email = 'back@example.com'")).toBe(1);
    const mails = await smtp.waitFor(before + 1);
    const link = /(http\S+\/resume\?code=[A-Za-z0-9_-]+)/.exec(mails[before]?.text ?? "")?.[1];
    expect(link).toBeDefined();
    const url = new URL(String(link));
    const other = request.agent(t.app);
    const landing = await other.get(url.pathname + url.search).expect(200);
    const resumed = await other
      .post(`${BASE}/resume`)
      .type("form")
      .send({ _csrf: csrfFrom(landing.text), code: url.searchParams.get("code") });
    expect(resumed.headers.location).toBe(`${BASE}/respond/before-reading`);
    expect(count(t.db, "SELECT count(*) AS n FROM resume_codes")).toBe(0);
  });
});
