import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { closeByClock, publishResults } from "../support/lifecycle.js";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import { type Agent, signedInAs } from "../support/officer.js";
import { commercialResident, Respondent } from "../support/respondent.js";

const OPEN = "commercial-strategy-2018";
const QUEUE = `/officer/consultations/${OPEN}/moderation/comments`;
const JOHN_SMITH =
  "I am John Smith of 12 High Street, Melton, call me on 07700 900123 or john.smith@example.com, LE13 0AB. My manager Sarah Jones is useless.";
const SECRETS = [
  "John",
  "Smith",
  "Sarah",
  "Jones",
  "12 High Street",
  "07700 900123",
  "john.smith@example.com",
  "LE13 0AB",
];
const REDACTED =
  "I am [name removed] of [address removed], Melton, call me on [phone number removed] or [email removed], [postcode removed]. My manager [name removed] is useless.";

let apps: TestApp[] = [];
afterEach(async () => {
  for (const t of apps) await t.services.moderation.close();
  apps = [];
});

function app(): TestApp {
  const t = buildTestApp();
  apps.push(t);
  return t;
}

async function respond(t: TestApp, comment: string): Promise<void> {
  const r = new Respondent(t, OPEN);
  await r.start();
  for (const [pageId, fields] of Object.entries(commercialResident)) {
    const extra: Record<string, string> = pageId === "comments" ? { comments: comment } : {};
    expect((await r.answer(pageId, { ...fields, ...extra })).status).toBe(303);
  }
  expect((await r.submit()).status).toBe(303);
}

/** Closed, with its results published: the public report is then there to read. */
function close(t: TestApp): void {
  closeByClock(t, OPEN);
  publishResults(t, OPEN);
}

async function post(agent: Agent, path: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(path).expect(200);
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

const commentIdIn = (html: string) => Number(/id="comment-(\d+)"/.exec(html)?.[1]);

describe("moderation before publishing (issue 11)", () => {
  it("publishes the John Smith comment only after an officer approved it, and with nothing that identifies anyone", async () => {
    const t = app();
    await respond(t, JOHN_SMITH);
    close(t);

    // Closed, but not yet approved: the public report counts the comment and quotes nothing of it.
    let report = await request(t.app).get(`/consultations/${OPEN}/report`).expect(200);
    expect(report.text).toContain("1 comment in all; 0 approved for publishing.");
    for (const secret of SECRETS) expect(report.text).not.toContain(secret);
    expect(report.text).not.toContain("Melton, call me");

    // The officer sees the original beside its redacted form, and approves it.
    const analyst = await signedInAs(t, "analyst");
    const queue = await analyst.get(QUEUE).expect(200);
    expect(queue.text).toContain(JOHN_SMITH);
    expect(queue.text).toContain(REDACTED);
    const id = commentIdIn(queue.text);
    const approved = await post(analyst, QUEUE, { action: `approve:${id}`, show: "pending" });
    expect(approved.status, String(t.errors[0])).toBe(303);
    expect(approved.headers.location).toBe(`${QUEUE}?show=pending&approved=1`);

    report = await request(t.app).get(`/consultations/${OPEN}/report`).expect(200);
    expect(report.text).toContain(REDACTED);
    expect(report.text).toContain("1 comment in all; 1 approved for publishing.");
    for (const secret of SECRETS) expect(report.text).not.toContain(secret);

    // The officers' report keeps what was written.
    const officerReport = await analyst.get(`/officer/consultations/${OPEN}/report`).expect(200);
    expect(officerReport.text).toContain("My manager Sarah Jones is useless.");
  });

  it("approves the ticked comments, or all shown, and withheld comments stay out of the public report", async () => {
    const t = app();
    await respond(t, "Keep the library open, it matters to us.");
    await respond(t, "Please fix the potholes on the ring road.");
    await respond(t, "Ask Mrs Patel, she knows everything about it.");
    close(t);
    const analyst = await signedInAs(t, "analyst");
    const queue = await analyst.get(QUEUE).expect(200);
    const ids = [...queue.text.matchAll(/id="comment-(\d+)"/g)].map((m) => m[1] ?? "");
    expect(ids).toHaveLength(3);

    const none = await post(analyst, QUEUE, { action: "approve-selected", show: "pending", shown: ids });
    expect(none.headers.location).toBe(`${QUEUE}?show=pending&none=1`);

    // Withhold the newest (Mrs Patel's), then approve the two left with one press.
    await post(analyst, QUEUE, { action: `withhold:${ids[0]}`, show: "pending" });
    const rest = await analyst.get(QUEUE).expect(200);
    const left = [...rest.text.matchAll(/id="comment-(\d+)"/g)].map((m) => m[1] ?? "");
    expect(left).toEqual(ids.slice(1));
    const bulk = await post(analyst, QUEUE, { action: "approve-shown", show: "pending", shown: left });
    expect(bulk.headers.location).toBe(`${QUEUE}?show=pending&approved=2`);
    expect((await analyst.get(QUEUE)).text).toContain("No comment is waiting for a decision.");

    const report = await request(t.app).get(`/consultations/${OPEN}/report`).expect(200);
    expect(report.text).toContain("Keep the library open, it matters to us.");
    expect(report.text).toContain("Please fix the potholes on the ring road.");
    expect(report.text).not.toContain("Mrs");
    expect(report.text).toContain("3 comments in all; 2 approved for publishing.");
  });

  it("lets the officer put back what is not personal and remove what redaction missed", async () => {
    const t = app();
    await respond(t, "The bus to 4 Mill Lane stops; ask Bob the driver, who called it the Gruffalo.");
    close(t);
    const analyst = await signedInAs(t, "analyst");
    const queue = await analyst.get(QUEUE).expect(200);
    const id = commentIdIn(queue.text);
    const edit = `${QUEUE}/${id}`;
    const page = await analyst.get(edit).expect(200);
    expect(page.text).toContain("4 Mill Lane (address)");

    // A phrase that is not in the comment is refused, keeping what was typed.
    const refused = await post(analyst, edit, {
      action: "approve",
      keep: ["0", "1"],
      add: "Gruffalo's cave",
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("There is a problem");
    expect(refused.text).toContain("Enter words that appear in the comment");
    expect(refused.text).toContain('value="Gruffalo&#39;s cave"');

    // Keep the address removed (span 0), put the name back (span 1 unticked), remove "Gruffalo".
    const spans = [...page.text.matchAll(/name="keep" type="checkbox" value="(\d+)"/g)].map((m) => m[1]);
    expect(spans.length).toBeGreaterThanOrEqual(1);
    const saved = await post(analyst, edit, { action: "approve", keep: "0", add: "gruffalo" });
    expect(saved.status).toBe(303);
    const report = await request(t.app).get(`/consultations/${OPEN}/report`).expect(200);
    expect(report.text).toContain(
      "The bus to [address removed] stops; ask Bob the driver, who called it the [removed].",
    );
  });

  it("is for the officers who publish reports, and refuses forged forms", async () => {
    const t = app();
    await respond(t, "Fine.");
    const officer = await signedInAs(t, "officer");
    await officer.get(QUEUE).expect(403);
    const analyst = await signedInAs(t, "analyst");
    await analyst.get(`/officer/consultations/${OPEN}/moderation/no-such-question`).expect(404);
    const bad = await post(analyst, QUEUE, { action: "publish-everything", show: "pending" });
    expect(bad.status).toBe(400);
    const overview = await analyst.get(`/officer/consultations/${OPEN}/moderation`).expect(200);
    expect(overview.text).toContain("Moderate comments before publishing");
  });
});
