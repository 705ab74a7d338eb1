import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, maskAddress, maskAddressesIn } from "../../server/services/mail.js";
import { buildTestApp, count, csrfFrom, type TestApp } from "../support/app.js";
import { signedInAs } from "../support/officer.js";
import { commercialResident, Respondent } from "../support/respondent.js";
import { startSmtp } from "../support/smtp.js";

const OPEN = "commercial-strategy-2018";
const BASE = `/consultations/${OPEN}`;

let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp.close());

/** A resident submits with an address for a receipt. */
async function submitWithReceipt(t: TestApp, email: string) {
  const r = new Respondent(t, OPEN);
  await r.start();
  for (const [pageId, fields] of Object.entries(commercialResident)) await r.answer(pageId, fields);
  const check = await r.agent.get(`${BASE}/check`).expect(200);
  await r.agent
    .post(`${BASE}/submit`)
    .type("form")
    .send({ _csrf: csrfFrom(check.text), email })
    .expect(303);
}

/**
 * Let every attempt fail (the server refuses from before the first, sent as the resident submits),
 * moving the clock past each retry's delay, until the queue gives up.
 */
async function failEveryAttempt(t: TestApp) {
  for (let i = 0; i < MAX_ATTEMPTS + 1; i++) {
    await t.services.mail.deliverDue();
    t.clock.now = new Date(t.clock.now.getTime() + 2 ** i * 60_000 + 1000);
  }
  smtp.failNext(0);
}

const abandoned = (t: TestApp) =>
  count(t.db, "SELECT count(*) AS n FROM mail_queue WHERE abandoned_at IS NOT NULL");

describe("e-mail given up after its last attempt (a real SMTP server in this process)", () => {
  it("masks addresses, including those a mail server quotes in its error", () => {
    expect(maskAddress("resident@example.com")).toBe("r***@e***.com");
    expect(maskAddressesIn("550 <resident@example.com>: mailbox unavailable")).toBe(
      "550 r***@e***.com mailbox unavailable",
    );
  });

  it("is shown to admins with the address masked, audited, and can be retried until it is sent", async () => {
    const t = buildTestApp({ config: { smtpUrl: smtp.url } });
    smtp.failNext(1000);
    await submitWithReceipt(t, "given.up@example.com");
    await failEveryAttempt(t);
    expect(abandoned(t)).toBe(1);
    // Given up: not tried again by the queue on its own.
    const before = smtp.received.length;
    t.clock.now = new Date(t.clock.now.getTime() + 7 * 86_400_000);
    await t.services.mail.deliverDue();
    expect(smtp.received.length).toBe(before);
    expect(t.services.audit.list({ action: "mail-abandoned", limit: 5 })[0]).toMatchObject({
      subject: "g***@e***.com",
      officerEmail: null,
    });

    const admin = await signedInAs(t, "admin");
    const home = await admin.get("/officer").expect(200);
    expect(home.text).toContain("1 e-mail to a resident could not be sent");
    expect(home.text).toContain('href="/officer/mail"');
    const page = await admin.get("/officer/mail").expect(200);
    expect(page.text).toContain("g***@e***.com");
    expect(page.text).not.toContain("given.up@example.com");
    expect(page.text).toContain(`after ${MAX_ATTEMPTS} attempts`);
    expect(page.text).toContain("Mailbox unavailable");

    const id = (t.db.prepare("SELECT id FROM mail_queue").get() as { id: number }).id;
    const retried = await admin
      .post(`/officer/mail/${id}/retry`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text) });
    expect(retried.status).toBe(303);
    expect(retried.headers.location).toBe("/officer/mail?done=retried");
    const mails = await smtp.waitFor(before + 1);
    expect(mails[before]?.to).toEqual(["given.up@example.com"]);
    await expect.poll(() => count(t.db, "SELECT count(*) AS n FROM mail_queue")).toBe(0);
    expect(t.services.audit.list({ action: "mail-retried", limit: 5 })[0]).toMatchObject({
      subject: "g***@e***.com",
      officerEmail: expect.stringContaining("@"),
    });
    // Retried twice (a second click): a clear 404, nothing else happens.
    const again = await admin
      .post(`/officer/mail/${id}/retry`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text) });
    expect(again.status).toBe(404);
    const after = await admin.get("/officer").expect(200);
    expect(after.text).not.toContain('id="failed-mail"');
    expect(t.errors).toEqual([]);
  });

  it("can be deleted, is deleted by itself after 30 days, and is for admins only", async () => {
    const t = buildTestApp({ config: { smtpUrl: smtp.url } });
    smtp.failNext(1000);
    await submitWithReceipt(t, "first@example.com");
    await submitWithReceipt(t, "second@example.com");
    await failEveryAttempt(t);
    expect(abandoned(t)).toBe(2);

    const analyst = await signedInAs(t, "analyst");
    expect((await analyst.get("/officer/mail")).status).toBe(403);
    expect((await analyst.get("/officer")).text).not.toContain('id="failed-mail"');

    const admin = await signedInAs(t, "admin");
    const page = await admin.get("/officer/mail").expect(200);
    const [first] = t.db.prepare("SELECT id FROM mail_queue ORDER BY id").all() as { id: number }[];
    const gone = await admin
      .post(`/officer/mail/${first?.id}/discard`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text) });
    expect(gone.status).toBe(303);
    expect(count(t.db, "SELECT count(*) AS n FROM mail_queue WHERE recipient = 'first@example.com'")).toBe(0);
    expect(t.services.audit.list({ action: "mail-discarded", limit: 5 })).toHaveLength(1);

    // The other one, never retried, goes 30 days after it was given up, with its address.
    t.clock.now = new Date(t.clock.now.getTime() + 31 * 86_400_000);
    await t.services.mail.deliverDue();
    expect(count(t.db, "SELECT count(*) AS n FROM mail_queue")).toBe(0);
  });
});
