import request from "supertest";
import { describe, expect, it } from "vitest";
import { buildTestApp, csrfFrom, scoped } from "../support/app.js";
import { commercialResident, Respondent } from "../support/respondent.js";

const OPEN = "commercial-strategy-2018";
const BASE = `/consultations/${OPEN}`;

/** Save from a page: post its fields with the "Save and come back later" button. */
async function saveFrom(r: Respondent, pageId: string, fields: Record<string, string | string[]>) {
  const res = await r.answer(pageId, { ...fields, "save-later": "yes" });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe(`${BASE}/save?from=${pageId}`);
  const page = await r.agent.get(String(res.headers.location)).expect(200);
  return page;
}

function linkIn(html: string): string {
  const m = /value="(http[^"]+\/resume\?code=[A-Za-z0-9_-]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no link on the page");
  return m[1];
}

describe("save and come back later, without e-mail", () => {
  it("saves the page, shows a one-time link once, and resumes on another device at the first unanswered page", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, OPEN);
    await r.start();
    await r.answer("about-you", commercialResident["about-you"]);
    const savePage = await saveFrom(r, "before-reading", commercialResident["before-reading"]);
    expect(savePage.text).toContain("This service cannot send email");
    expect(savePage.text).not.toContain('name="email"');
    const saved = await r.agent
      .post(`${BASE}/save`)
      .type("form")
      .send({ _csrf: csrfFrom(savePage.text), from: "before-reading" })
      .expect(200);
    expect(saved.headers["cache-control"]).toBe("no-store");
    const link = new URL(linkIn(saved.text));
    expect(link.origin).toBe(t.config.publicUrl);
    // The page answered with the save button was kept.
    expect(JSON.parse(scoped(t.db, OPEN).draftJson() ?? "{}")).toHaveProperty(
      ["commercial-views-before", "understand-challenges"],
      "agree",
    );

    // Another device: the link shows a button (a GET changes nothing), the button resumes.
    const other = request.agent(t.app);
    const landing = await other.get(`${link.pathname}${link.search}`).expect(200);
    const again = await other.get(`${link.pathname}${link.search}`).expect(200);
    const resumed = await other
      .post(`${BASE}/resume`)
      .type("form")
      .send({ _csrf: csrfFrom(again.text), code: link.searchParams.get("code") });
    expect(landing.text).toContain("Continue your response");
    expect(resumed.status).toBe(303);
    // "the-strategy" is the page after the last one answered.
    expect(resumed.headers.location).toBe(`${BASE}/respond/the-strategy`);
    await other.get(`${BASE}/respond/the-strategy`).expect(200);

    // The code worked once.
    const used = await other.get(`${link.pathname}${link.search}`);
    expect(used.status).toBe(404);
    expect(used.text).toContain("This link has expired");
    // And the first device's cookie no longer reaches the draft: it moved.
    const first = await r.agent.get(`${BASE}/respond/about-you`);
    expect(first.status).toBe(303);
    expect(scoped(t.db, OPEN).responses()).toBe(1);
    expect(t.errors).toEqual([]);
  });

  it("keeps the page's errors when it is saved with a bad answer, and refuses a made-up code", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, OPEN);
    await r.start();
    const bad = await r.answer("about-you", { roles: ["not-an-option"], "save-later": "yes" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("There is a problem");
    const made = await request(t.app).get(`${BASE}/resume?code=${"A".repeat(32)}`);
    expect(made.status).toBe(404);
  });
});
