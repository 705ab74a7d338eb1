import request from "supertest";
import { describe, expect, it } from "vitest";
import { publishResults } from "../support/lifecycle.js";
import { buildTestApp, count, csrfFrom, type TestApp } from "../support/app.js";
import { type Agent, signedInAs } from "../support/officer.js";
import { commercialResident, Respondent } from "../support/respondent.js";

const CLOSED = "commissioning-procurement-2015";
const OPEN = "commercial-strategy-2018";
const WE_DID = `/officer/consultations/${CLOSED}/we-did`;

/** The page's scripts and styles, to check that nothing inline would break the CSP. */
function expectNoInlineCode(html: string): void {
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? "");
  for (const attrs of scripts)
    expect(attrs, "inline script").toMatch(/\bsrc=|type="application\/json"|type="module" src=/);
  expect(html).not.toMatch(/<style\b/);
  expect(html).not.toMatch(/\sstyle="/);
  expect(html).not.toMatch(/\son[a-z]+="/);
}

async function postWeDid(agent: Agent, fields: Record<string, string>, path = WE_DID) {
  const page = await agent.get(path);
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

const ENTRY = {
  weAsked: "The commissioning principles",
  youSaid: "Most agreed, but many doubted the enhanced commercial approach.",
  weDid: "We reworded the principle to say that social value counts alongside cost.",
};

describe("the summary report for officers", () => {
  it("needs a signed-in officer", async () => {
    const t = buildTestApp();
    const res = await request(t.app).get(`/officer/consultations/${CLOSED}/report`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(
      `/officer/sign-in?next=${encodeURIComponent(`/officer/consultations/${CLOSED}/report`)}`,
    );
    expect(res.text).not.toContain("Main findings");
  });

  it("shows the report, section by section, with charts as data and tables, and no inline code", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const res = await agent.get(`/officer/consultations/${CLOSED}/report`).expect(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    for (const heading of [
      "Main findings",
      "Background and method",
      "Who responded",
      "Results question by question",
      "What people said",
      "We asked, you said, we did",
      "About these figures",
    ])
      expect(res.text).toContain(heading);
    expect(res.text).toContain("43 people responded, all online.");
    expect(res.text).toContain("The greatest shift was for ‘the Council is doing the best job it can");
    expect(res.text).toContain(`href="/officer/consultations/${CLOSED}/we-did"`);
    expect(res.text).toContain(`href="/consultations/${CLOSED}/report"`);
    const charts = (res.text.match(/data-chart/g) ?? []).length;
    expect(charts).toBeGreaterThan(8);
    expect(
      (res.text.match(/class="govuk-table app-table--compact[ "]/g) ?? []).length,
    ).toBeGreaterThanOrEqual(charts);
    expect(res.text).toContain('<script src="/js/charts.js"></script>');
    expectNoInlineCode(res.text);
    await agent.get("/officer/consultations/no-such-thing/report").expect(404);
  });

  it("shows an open consultation's report to officers, saying the public cannot see it yet", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const res = await agent.get(`/officer/consultations/${OPEN}/report`).expect(200);
    expect(res.text).toContain("The public can read this report once the consultation has closed.");
    expect(res.text).toContain("Nobody responded.");
  });
});

describe("the published report", () => {
  it("is public once the consultation has closed, without officer links", async () => {
    const t = buildTestApp();
    const res = await request(t.app).get(`/consultations/${CLOSED}/report`).expect(200);
    expect(res.text).toContain("Commissioning and Procurement Strategy 2015-18");
    expect(res.text).toContain("Consultation summary report");
    expect(res.text).toContain("52% of respondents agreed");
    expect(res.text).not.toContain("/officer/");
    expectNoInlineCode(res.text);
  });

  it("is refused before the consultation closes, and unknown consultations are not found", async () => {
    const t = buildTestApp();
    const res = await request(t.app).get(`/consultations/${OPEN}/report`).expect(403);
    expect(res.text).toContain("The summary report is not published yet");
    expect(res.text).not.toContain("Main findings");
    await request(t.app).get("/consultations/no-such-thing/report").expect(404);
  });

  it("quotes no comment an officer has not approved, and counts them all", async () => {
    const t = buildTestApp();
    const r = new Respondent(t, OPEN);
    await r.start();
    for (const [pageId, fields] of Object.entries(commercialResident)) {
      const extra: Record<string, string> =
        pageId === "comments"
          ? { comments: "Ring me on 07700 900123 or write to pat.smith@example.com, LE3 8RA." }
          : {};
      expect((await r.answer(pageId, { ...fields, ...extra })).status).toBe(303);
    }
    expect((await r.submit()).status).toBe(303);
    closeConsultation(t, OPEN);
    publishResults(t, OPEN);
    const res = await request(t.app).get(`/consultations/${OPEN}/report`).expect(200);
    expect(res.text).toContain("1 comment in all; 0 approved for publishing.");
    for (const secret of ["Ring me", "07700 900123", "pat.smith@example.com", "LE3 8RA"])
      expect(res.text).not.toContain(secret);
    expect(res.text).toContain("1 person responded online.");
    // tests/http/moderation.test.ts approves comments and reads them back, redacted.
  });
});

function closeConsultation(t: TestApp, slug: string): void {
  const closes = t.services.consultations.find(slug)?.closesAt ?? "";
  t.clock.now = new Date(Date.parse(closes) + 60_000);
}

describe("we asked, you said, we did", () => {
  it("is written by analysts and admins only", async () => {
    const t = buildTestApp();
    const officer = await signedInAs(t, "officer");
    await officer.get(WE_DID).expect(403);
    const analyst = await signedInAs(t, "analyst");
    const page = await analyst.get(WE_DID).expect(200);
    expect(page.text).toContain("There are no entries yet.");
    expect(page.text).toContain("Entries are drafts until you publish them");
    expectNoInlineCode(page.text);
  });

  it("checks each field, says what is wrong in an error summary and keeps what was typed", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const res = await postWeDid(agent, { weAsked: "  ", youSaid: "Typed <text> & kept", weDid: "" });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<title>Error: We asked, you said, we did/);
    expect(res.text).toContain("There is a problem");
    expect(res.text).toContain('href="#weAsked"');
    expect(res.text).toContain("Enter what we asked, or the topic respondents raised");
    expect(res.text).toContain("Enter what the council did, or will do, in response");
    expect(res.text).not.toContain("Enter what respondents said");
    expect(res.text).toContain("Typed &lt;text&gt; &amp; kept</textarea>");

    const long = await postWeDid(agent, { ...ENTRY, weAsked: "x".repeat(501) });
    expect(long.status).toBe(400);
    expect(long.text).toContain("What we asked must be 500 characters or fewer");
    expect(count(t.db, "SELECT count(*) AS n FROM we_did_entries")).toBe(0);
  });

  it("refuses unknown fields, bad ids and a missing CSRF token, storing nothing", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "admin");
    expect((await postWeDid(agent, { ...ENTRY, published: "yes" })).status).toBe(400);
    expect((await postWeDid(agent, { ...ENTRY, id: "abc" })).status).toBe(400);
    expect((await postWeDid(agent, { ...ENTRY, id: "999" })).status).toBe(404);
    expect((await postWeDid(agent, { action: "delete", id: "999" })).status).toBe(404);
    const noToken = await agent.post(WE_DID).type("form").send(ENTRY);
    expect(noToken.status).toBe(403);
    expect(count(t.db, "SELECT count(*) AS n FROM we_did_entries")).toBe(0);
    await agent.get(`${WE_DID}?edit=999`).expect(404);
  });

  it("adds, changes, orders, publishes and (once confirmed) deletes entries", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const added = await postWeDid(agent, ENTRY);
    expect(added.status).toBe(303);
    expect(added.headers.location).toMatch(new RegExp(`^${WE_DID}\\?saved=1#entry-\\d+$`));
    const second = await postWeDid(agent, {
      weAsked: "Communication",
      youSaid: "Jargon on every page (entry two).",
      weDid: "A plain English summary.",
    });
    expect(second.status).toBe(303);
    const list = await agent.get(`${WE_DID}?saved=1`).expect(200);
    expect(list.text).toContain("Entry saved.");
    expect(list.text).toContain("1. The commissioning principles");
    expect(list.text).toContain("2. Communication");

    const [first, last] = t.services.report.entries({ id: consultationId(t, CLOSED) });
    if (!first || !last) throw new Error("two entries expected");
    const edit = await agent.get(`${WE_DID}?edit=${first.id}`).expect(200);
    expect(edit.text).toContain("Change an entry");
    expect(edit.text).toContain(ENTRY.youSaid);
    expect(
      (await postWeDid(agent, { ...ENTRY, id: String(first.id), weDid: "Reworded the principle." })).status,
    ).toBe(303);
    expect((await postWeDid(agent, { action: "up", id: String(last.id) })).status).toBe(303);
    const entries = t.services.report.entries({ id: consultationId(t, CLOSED) });
    expect(entries.map((e) => e.weAsked)).toEqual(["Communication", "The commissioning principles"]);
    expect(entries[1]?.weDid).toBe("Reworded the principle.");

    // Saved entries are drafts: nothing public until an officer publishes them.
    const drafts = await request(t.app).get(`/consultations/${CLOSED}`).expect(200);
    expect(drafts.text).not.toContain("Jargon on every page (entry two).");
    expect((await request(t.app).get(`/consultations/${CLOSED}/report`).expect(200)).text).not.toContain(
      "Jargon on every page (entry two).",
    );
    expect((await agent.get(WE_DID).expect(200)).text).toMatch(/Draft[\s\S]*Draft/);
    for (const e of [first, last]) {
      const published = await postWeDid(agent, { action: "publish", id: String(e.id) });
      expect(published.status).toBe(303);
      expect(published.headers.location).toBe(`${WE_DID}?published=1#entry-${e.id}`);
    }
    expect((await postWeDid(agent, { action: "publish", id: "999" })).status).toBe(404);

    // The closed consultation's public page and report show the published ones, in order.
    const page = await request(t.app).get(`/consultations/${CLOSED}`).expect(200);
    expect(page.text).toContain("We asked, you said, we did");
    expect(page.text).toMatch(
      /Communication[\s\S]*Jargon on every page \(entry two\)\.[\s\S]*The commissioning principles[\s\S]*Reworded the principle\./,
    );
    expect(page.text).toContain(`href="/consultations/${CLOSED}/report"`);
    const report = await request(t.app).get(`/consultations/${CLOSED}/report`).expect(200);
    expect(report.text).toContain("Reworded the principle.");
    expect(report.text).not.toContain("will be published here");

    // Unpublishing takes an entry off the public page and report again.
    expect((await postWeDid(agent, { action: "unpublish", id: String(last.id) })).status).toBe(303);
    const fewer = await request(t.app).get(`/consultations/${CLOSED}`).expect(200);
    expect(fewer.text).not.toContain("Jargon on every page (entry two).");
    expect(fewer.text).toContain("Reworded the principle.");
    expect((await request(t.app).get(`/consultations/${CLOSED}/report`).expect(200)).text).not.toContain(
      "Jargon on every page (entry two).",
    );

    // Deleting asks first: the Delete button leads to a confirmation page; only "Yes" deletes.
    const list2 = await agent.get(WE_DID).expect(200);
    expect(list2.text).toContain(`href="${WE_DID}?delete=${first.id}"`);
    const asked = await postWeDid(agent, { action: "delete", id: String(first.id) });
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe(`${WE_DID}?delete=${first.id}`);
    const confirm = await agent.get(`${WE_DID}?delete=${first.id}`).expect(200);
    expect(confirm.text).toContain("Are you sure you want to delete this entry?");
    expect(confirm.text).toContain("Reworded the principle.");
    expectNoInlineCode(confirm.text);
    expect((await postWeDid(agent, { action: "delete", id: String(first.id), confirm: "no" })).status).toBe(
      303,
    );
    expect(t.services.report.entries({ id: consultationId(t, CLOSED) })).toHaveLength(2);
    await agent.get(`${WE_DID}?delete=999`).expect(404);
    expect((await postWeDid(agent, { action: "delete", id: String(first.id), confirm: "yes" })).status).toBe(
      303,
    );
    expect(t.services.report.entries({ id: consultationId(t, CLOSED) }).map((e) => e.weAsked)).toEqual([
      "Communication",
    ]);
  });

  it("keeps a consultation's entries and report off its public page until it closes and its results are published", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "admin");
    const path = `/officer/consultations/${OPEN}/we-did`;
    const form = await agent.get(path).expect(200);
    expect(form.text).toContain(
      "Published entries show on the consultation’s public page and in its public report once it has closed (at",
    );
    expect((await postWeDid(agent, ENTRY, path)).status).toBe(303);
    const [entry] = t.services.report.entries({ id: consultationId(t, OPEN) });
    expect((await postWeDid(agent, { action: "publish", id: String(entry?.id) }, path)).status).toBe(303);
    const before = await request(t.app).get(`/consultations/${OPEN}`).expect(200);
    expect(before.text).not.toContain("We asked, you said, we did");
    expect(before.text).not.toContain(ENTRY.weDid);
    expect(before.text).not.toContain(`/consultations/${OPEN}/report`);
    closeConsultation(t, OPEN);
    // Closed, but the council has not published its results: the page says they are to come.
    const closed = await request(t.app).get(`/consultations/${OPEN}`).expect(200);
    expect(closed.text).not.toContain(ENTRY.weDid);
    expect(closed.text).not.toContain(`/consultations/${OPEN}/report"`);
    expect(closed.text).toContain("will be published on this page");
    const refused = await request(t.app).get(`/consultations/${OPEN}/report`).expect(403);
    expect(refused.text).toContain("the summary report will be published here with the results");
    expect(refused.text).not.toContain(ENTRY.weDid);
    // Officers still read their own report meanwhile (the admin's session ended with the weeks gone by).
    const editor = await signedInAs(t, "editor");
    expect((await editor.get(`/officer/consultations/${OPEN}/report`).expect(200)).text).toContain(
      ENTRY.weDid,
    );
    // An editor publishes the results (from the manage page): now everything is public.
    const manage = await editor.get(`/officer/consultations/${OPEN}/manage`).expect(200);
    await editor
      .post(`/officer/consultations/${OPEN}/manage/publish-results`)
      .type("form")
      .send({ _csrf: csrfFrom(manage.text) })
      .expect(303);
    const after = await request(t.app).get(`/consultations/${OPEN}`).expect(200);
    expect(after.text).toContain("We asked, you said, we did");
    expect(after.text).toContain(ENTRY.weDid);
    expect(after.text).toContain(`/consultations/${OPEN}/report"`);
    expect((await request(t.app).get(`/consultations/${OPEN}/report`).expect(200)).text).toContain(
      ENTRY.weDid,
    );
  });

  it("does not show a closed consultation's section when it has no entries", async () => {
    const t = buildTestApp();
    const page = await request(t.app).get(`/consultations/${CLOSED}`).expect(200);
    expect(page.text).not.toContain("We asked, you said, we did");
    expect(page.text).toContain("Read the consultation summary report");
  });
});

function consultationId(t: TestApp, slug: string): number {
  const found = t.services.consultations.find(slug);
  if (!found) throw new Error(`no consultation ${slug}`);
  return found.id;
}
