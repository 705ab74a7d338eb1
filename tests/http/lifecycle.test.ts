import request from "supertest";
import { describe, expect, it } from "vitest";
import type { AnswerSet } from "../../analysis/answers.js";
import { definitionSchema, type DefinitionInput } from "../../analysis/definition.js";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import { type Agent, signedInAs, signIn } from "../support/officer.js";

/** Issue 12, item 3: a consultation's life, run by an editor from the officer pages. */
const SLUG = "lifecycle-test";
const NOW = new Date("2027-04-01T09:00:00Z");

function definition(overrides: Partial<DefinitionInput> = {}): DefinitionInput {
  return {
    schemaVersion: 1,
    slug: SLUG,
    title: "Library opening hours",
    council: "A council",
    summary: ["We propose new library hours."],
    audience: "Anyone",
    opens: "2027-03-01T09:00:00Z",
    closes: "2027-05-01T22:59:00Z",
    pages: [
      {
        id: "views",
        title: "Your views",
        questions: [
          {
            id: "support",
            kind: "single",
            text: "Do you support the new hours?",
            options: [
              { code: "yes", label: "Yes" },
              { code: "no", label: "No" },
            ],
          },
        ],
      },
    ],
    ...overrides,
  };
}

function setUp(overrides: Partial<DefinitionInput> = {}, stage?: "draft") {
  const t = buildTestApp({ now: NOW });
  t.services.consultations.store(definitionSchema.parse(definition(overrides)), stage ? { stage } : {});
  return t;
}

function respond(t: TestApp, answers: AnswerSet) {
  const row = t.services.consultations.find(SLUG);
  if (!row) throw new Error("not stored");
  const token = t.services.responses.start(row);
  const draft = t.services.responses.find(row, token);
  if (!draft) throw new Error("no draft");
  void t.services.responses.savePage(row, draft, Object.keys(answers), answers);
  const ready = t.services.responses.find(row, token);
  if (!ready) throw new Error("no draft");
  const outcome = t.services.responses.submit(row, ready);
  if (outcome.kind !== "submitted") throw new Error("not submitted");
  return outcome.reference;
}

async function post(agent: Agent, action: string, fields: Record<string, string>) {
  const page = await agent.get(`/officer/consultations/${SLUG}/manage`);
  return agent
    .post(`/officer/consultations/${SLUG}/manage/${action}`)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

const dashboardCount = async (agent: Agent) => {
  const page = await agent.get(`/officer/consultations/${SLUG}`).expect(200);
  return Number(/<strong>([\d,]+)<\/strong> responses/.exec(page.text)?.[1]?.replace(/,/g, ""));
};

const auditRows = (t: TestApp, action: string) =>
  t.db
    .prepare("SELECT officer_email AS who, subject, detail FROM audit_events WHERE action = ? ORDER BY id")
    .all(action) as { who: string; subject: string; detail: string }[];

describe("running a consultation's life", () => {
  it("lets an editor extend a live consultation and close it early, with reasons in the audit trail", async () => {
    const t = setUp();
    respond(t, { support: "yes" });
    respond(t, { support: "no" });
    let editor = await signedInAs(t, "editor");
    const page = await editor.get(`/officer/consultations/${SLUG}/manage`).expect(200);
    expect(page.text).toContain("Open: it closes at 11:59pm on 1 May 2027");
    expect(await dashboardCount(editor)).toBe(2);

    const extended = await post(editor, "extend", {
      "closes-day": "15",
      "closes-month": "5",
      "closes-year": "2027",
      "closes-time": "11:59pm",
      reason: "Asked for by the residents' forum",
    });
    expect(extended.status).toBe(303);
    const after = await editor.get(String(extended.headers.location)).expect(200);
    expect(after.text).toContain("The closing date has been extended.");
    expect(after.text).toContain("Open: it closes at 11:59pm on 15 May 2027");
    expect(t.services.consultations.find(SLUG)?.closesAt).toBe("2027-05-15T22:59:00.000Z");
    expect(auditRows(t, "closing-extended")).toEqual([
      {
        who: "editor@example.gov.uk",
        subject: "from 2027-05-01T22:59:00.000Z to 2027-05-15T22:59:00.000Z",
        detail: "Asked for by the residents' forum",
      },
    ]);
    // The public page says the new closing time.
    const publicPage = await request(t.app).get(`/consultations/${SLUG}`).expect(200);
    expect(publicPage.text).toContain("closes at 11:59pm on 15 May 2027");

    respond(t, { support: "yes" });
    expect(await dashboardCount(editor)).toBe(3);

    t.clock.now = new Date("2027-04-10T12:00:00Z");
    editor = await signIn(request.agent(t.app), "editor@example.gov.uk"); // the old session timed out
    const closed = await post(editor, "close", { reason: "The proposal was withdrawn" });
    expect(closed.status).toBe(303);
    const row = t.services.consultations.find(SLUG);
    expect(row?.lifecycle).toBe("closed");
    expect(row?.closesAt).toBe("2027-04-10T12:00:00.000Z");
    expect(auditRows(t, "closed-early")).toMatchObject([{ detail: "The proposal was withdrawn" }]);
    expect(await dashboardCount(editor)).toBe(3);
    // Nobody can respond any more.
    const publicClosed = await request(t.app).get(`/consultations/${SLUG}`).expect(200);
    expect(publicClosed.text).not.toContain(`action="/consultations/${SLUG}/start"`);
    expect(publicClosed.text).toContain("to 1pm on 10 April 2027"); // closed at 12:00 UTC, said in UK time (BST)
  });

  it("keeps what was typed and shows the error summary for a bad extension, changing nothing", async () => {
    const t = setUp();
    const editor = await signedInAs(t, "editor");
    const bad = await post(editor, "extend", {
      "closes-day": "31",
      "closes-month": "4",
      "closes-year": "2027",
      "closes-time": "25:00",
      reason: "",
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("There is a problem");
    expect(bad.text).toContain('href="#closes-time"');
    expect(bad.text).toContain("Enter why you are extending it");
    expect(bad.text).toMatch(/name="closes-day"[^>]*value="31"/);
    const earlier = await post(editor, "extend", {
      "closes-day": "20",
      "closes-month": "4",
      "closes-year": "2027",
      "closes-time": "17:00",
      reason: "Typo",
    });
    expect(earlier.status).toBe(409);
    expect(earlier.text).toContain("The new closing date must be after the current one");
    expect(t.services.consultations.find(SLUG)?.version).toBe(1);
    expect(auditRows(t, "closing-extended")).toEqual([]);
  });

  it("publishes a draft, which the public cannot see until then, and hides an archived one from the hub", async () => {
    const t = setUp({}, "draft");
    await request(t.app).get(`/consultations/${SLUG}`).expect(404);
    expect((await request(t.app).get("/").expect(200)).text).not.toContain("Library opening hours");
    let editor = await signedInAs(t, "editor");
    expect((await post(editor, "publish", {})).status).toBe(303);
    expect((await request(t.app).get("/").expect(200)).text).toContain("Library opening hours");

    t.clock.now = new Date("2027-06-01T09:00:00Z");
    editor = await signIn(request.agent(t.app), "editor@example.gov.uk"); // the old session timed out
    expect((await post(editor, "publish-results", {})).status).toBe(303);
    expect(t.services.consultations.find(SLUG)?.lifecycle).toBe("results published");
    expect((await post(editor, "archive", {})).status).toBe(303);
    expect((await request(t.app).get("/").expect(200)).text).not.toContain("Library opening hours");
    // Kept: the officers still reach it, and it can come back.
    await editor.get(`/officer/consultations/${SLUG}`).expect(200);
    expect((await post(editor, "unarchive", {})).status).toBe(303);
    expect((await request(t.app).get("/").expect(200)).text).toContain("Library opening hours");
    expect(
      t.db
        .prepare("SELECT action FROM audit_events WHERE consultation_slug = ? ORDER BY id")
        .pluck()
        .all(SLUG),
    ).toEqual(["definition-saved", "published", "results-published", "archived", "unarchived"]);
  });

  it("lets only admins and editors manage a consultation", async () => {
    const t = setUp();
    for (const role of ["officer", "analyst"] as const) {
      const agent = await signedInAs(t, role);
      await agent.get(`/officer/consultations/${SLUG}/manage`).expect(403);
      const token = csrfFrom((await agent.get("/officer")).text);
      for (const action of ["extend", "close", "publish", "publish-results", "archive", "unarchive"])
        await agent
          .post(`/officer/consultations/${SLUG}/manage/${action}`)
          .type("form")
          .send({ _csrf: token, reason: "x" })
          .expect(403);
    }
    expect(t.services.consultations.find(SLUG)?.lifecycle).toBe("open");
    const admin = await signedInAs(t, "admin");
    await admin.get(`/officer/consultations/${SLUG}/manage`).expect(200);
  });
});
