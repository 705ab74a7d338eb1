import request from "supertest";
import { describe, expect, it } from "vitest";
import { buildTestApp, csrfFrom, scoped } from "../support/app.js";
import { commercialResident, Respondent, toForm } from "../support/respondent.js";

const SLUG = "commercial-strategy-2018";
const CLOSED = "commissioning-procurement-2015";
/** The closed demo consultation comes with its 43 demo responses. */
const CLOSED_DEMO = 43;
const draftsAndAnswers = (t: ReturnType<typeof buildTestApp>) => ({
  responses: scoped(t.db, SLUG).responses(),
  answers: scoped(t.db, SLUG).answers(),
});

describe("validation keeps what was typed and shows the GOV.UK error summary", () => {
  it("refuses an empty page with one message per required field", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await r.start();
    const res = await r.answer("vision-and-themes", { "themes-agreement--new-models": "agree" });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<title>Error: /);
    expect(res.text).toContain("govuk-error-summary");
    expect(res.text).toContain('href="#vision-agreement"');
    expect(res.text).toContain("Select how much you agree");
    expect(res.text).toContain('href="#themes-agreement--commercial-skills"');
    // The answer given is still selected.
    expect(res.text).toMatch(
      /id="themes-agreement--new-models-\d+" name="themes-agreement--new-models" type="radio" value="agree" checked/,
    );
    expect(res.text).not.toContain('href="#themes-agreement--new-models"');
  });

  it("keeps an over-long comment and says how long it may be", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await r.start();
    const long = `${"word ".repeat(500)}end`;
    const res = await r.answer("comments", { comments: long });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/Your answer to .{1,300} must be 2,000 characters or fewer/);
    expect(res.text).toContain(long);
    expect(scoped(t.db, SLUG).draftJson()).toBe("{}");
  });

  it("asks what 'other' means when other is ticked without saying", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await r.start();
    const res = await r.answer("about-you", { roles: ["other"] });
    expect(res.status).toBe(400);
    expect(res.text).toContain('href="#roles-other"');
  });

  it("refuses a code that is not an option", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await r.start();
    const res = await r.answer("about-you", { roles: ["mayor"] });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Select one of the options shown for");
  });

  it("sends a respondent back to an unanswered page instead of submitting", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await r.start();
    await r.answer("about-you", commercialResident["about-you"]);
    const check = await r.agent.get(`/consultations/${SLUG}/check`);
    expect(check.status).toBe(303);
    expect(check.headers.location).toBe(`/consultations/${SLUG}/respond/before-reading`);
    expect(scoped(t.db, SLUG).submitted()).toBe(0);
  });
});

describe("safety", () => {
  it("refuses a POST without a CSRF token and stores nothing", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await r.start();
    const before = draftsAndAnswers(t);
    const res = await r.agent
      .post(`/consultations/${SLUG}/respond/about-you`)
      .type("form")
      .send(toForm({ roles: ["resident"] }));
    expect(res.status).toBe(403);
    expect(res.text).toContain("Your form has expired");
    const start = await request(t.app).post(`/consultations/${SLUG}/start`).type("form").send({});
    expect(start.status).toBe(403);
    expect(draftsAndAnswers(t)).toEqual(before);
    expect(scoped(t.db, SLUG).draftJson()).toBe("{}");
  });

  it("refuses a token from another browser", async () => {
    const t = buildTestApp();
    const a = new Respondent(t, SLUG);
    const b = new Respondent(t, SLUG);
    const page = await a.agent.get(`/consultations/${SLUG}`);
    const res = await b.agent
      .post(`/consultations/${SLUG}/start`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(403);
    expect(scoped(t.db, SLUG).responses()).toBe(0);
  });

  it("shows a closed consultation as closed and accepts nothing", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, CLOSED);
    const page = await r.agent.get(`/consultations/${CLOSED}`).expect(200);
    expect(page.text).toContain("This consultation has closed");
    expect(page.text).not.toContain("Respond online");
    // The closed page has no form; a valid token from this browser's visit to an open one is used.
    const open = await r.agent.get(`/consultations/${SLUG}`).expect(200);
    const res = await r.agent
      .post(`/consultations/${CLOSED}/start`)
      .type("form")
      .send({ _csrf: csrfFrom(open.text) });
    expect(res.status).toBe(403);
    expect(res.text).toContain("This consultation has closed");
    const direct = await r.agent.get(`/consultations/${CLOSED}/respond/about-you`);
    expect(direct.status).toBe(403);
    expect(scoped(t.db, CLOSED).responses()).toBe(CLOSED_DEMO);
  });

  it("refuses answers once the consultation closes mid-response", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await r.start();
    const page = await r.agent.get(`/consultations/${SLUG}/respond/about-you`).expect(200);
    t.clock.now = new Date(t.clock.now.getTime() + 13 * 7 * 24 * 3600 * 1000);
    const res = await r.agent
      .post(`/consultations/${SLUG}/respond/about-you`)
      .type("form")
      .send(toForm({ _csrf: csrfFrom(page.text), roles: ["resident"] }));
    expect(res.status).toBe(403);
    expect(scoped(t.db, SLUG).draftJson()).toBe("{}");
  });

  it("refuses fields the page does not ask for", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await r.start();
    const res = await r.answer("about-you", {
      roles: ["resident"],
      "vision-agreement": "agree",
      is_admin: "1",
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain("There was a problem with what you sent");
    expect(scoped(t.db, SLUG).draftJson()).toBe("{}");
  });

  it("refuses an oversized body with a 413 page and no stack trace", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await r.start();
    const page = await r.agent.get(`/consultations/${SLUG}/respond/comments`);
    const res = await r.agent
      .post(`/consultations/${SLUG}/respond/comments`)
      .type("form")
      .send(toForm({ _csrf: csrfFrom(page.text), comments: "x".repeat(200_000) }));
    expect(res.status).toBe(413);
    expect(res.text).toContain("What you sent was too large");
    expect(res.text).not.toMatch(/at \w+ \(|node_modules|Error:/);
  });

  it("stores nothing when the honeypot is filled", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, SLUG);
    await r.start();
    const res = await r.answer("about-you", { roles: ["resident"], website: "http://spam.example" });
    expect(res.status).toBe(303);
    expect(scoped(t.db, SLUG).draftJson()).toBe("{}");
  });

  it("limits the rate of answer posts per client", async () => {
    const t = buildTestApp({ config: { answerRateLimit: 3 } });
    const r = new Respondent(t, SLUG);
    await r.start();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await r.answer("about-you", { roles: ["resident"] })).status);
    expect(statuses).toEqual([303, 303, 429]);
  });

  it("sets a strict Content Security Policy and no inline script", async () => {
    const t = buildTestApp();
    const res = await request(t.app).get(`/consultations/${SLUG}`).expect(200);
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.toMatch(/\sstyle="/);
  });

  it("answers unknown pages with the 404 page and errors with the 500 page, never a stack trace", async () => {
    const t = buildTestApp();
    const missing = await request(t.app).get("/consultations/no-such-thing").expect(404);
    expect(missing.text).toContain("Page not found");
    const badSlug = await request(t.app).get("/consultations/..%2F..%2Fetc").expect(404);
    expect(badSlug.text).toContain("Page not found");
    // Break the database under the app: the next page that reads it fails inside a handler.
    t.db.exec("DROP TABLE answers; DROP TABLE responses;");
    const r = new Respondent(t, SLUG);
    const res = await r.agent
      .get(`/consultations/${SLUG}/respond/about-you`)
      .set("Cookie", `sounding.draft.${SLUG}=x`);
    expect(res.status).toBe(500);
    expect(res.text).toContain("Sorry, there is a problem with the service");
    expect(res.text).not.toMatch(/no such table|SqliteError|at \w+ \(/);
    expect(t.errors.length).toBe(1);
  });
});
