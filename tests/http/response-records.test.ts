import type request from "supertest";
import { describe, expect, it } from "vitest";
import type { AnswerSet } from "../../analysis/answers.js";
import { definitionSchema } from "../../analysis/definition.js";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import { signedInAs } from "../support/officer.js";

/** Issue 12, item 5: find a response by its reference, read it as given, withdraw it on request. */
const SLUG = "records-test";

function setUp() {
  const t = buildTestApp({ now: new Date("2027-04-01T09:00:00Z") });
  t.services.consultations.store(
    definitionSchema.parse({
      schemaVersion: 1,
      slug: SLUG,
      title: "Bus station plans",
      council: "A council",
      summary: ["Plans for the bus station."],
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
              text: "Do you support the plans?",
              options: [
                { code: "yes", label: "Yes, I do" },
                { code: "no", label: "No, I do not" },
              ],
            },
            { id: "why", kind: "text", text: "Tell us why", required: false },
          ],
        },
      ],
    }),
  );
  return t;
}

function respond(t: TestApp, answers: AnswerSet): string {
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

const count = async (agent: ReturnType<typeof request.agent>) =>
  Number(
    /<strong>([\d,]+)<\/strong> responses/.exec(
      (await agent.get(`/officer/consultations/${SLUG}`)).text,
    )?.[1],
  );

describe("managing a response by its reference", () => {
  it("finds a response, shows it as given, and withdraws it keeping only who, when and why", async () => {
    const t = setUp();
    const keep = respond(t, { support: "yes", why: "More buses please" });
    const withdraw = respond(t, { support: "no", why: "Private words about my street" });
    const editor = await signedInAs(t, "editor");
    expect(await count(editor)).toBe(2);

    // Found as a respondent quotes it (lower case, spaces around).
    const found = await editor.get(
      `/officer/consultations/${SLUG}/responses?reference=${encodeURIComponent(` ${withdraw.toLowerCase()} `)}`,
    );
    expect(found.status).toBe(303);
    const page = await editor.get(String(found.headers.location)).expect(200);
    expect(page.text).toContain(`Response ${withdraw}`);
    expect(page.text).toContain("No, I do not");
    expect(page.text).toContain("Private words about my street");

    // Every comment on the comments page links to its response.
    const comments = await editor.get(`/officer/consultations/${SLUG}/comments/why`).expect(200);
    expect(comments.text).toContain(`href="/officer/consultations/${SLUG}/responses/${keep}"`);
    expect(comments.text).toContain(`href="/officer/consultations/${SLUG}/responses/${withdraw}"`);

    const form = await editor
      .get(`/officer/consultations/${SLUG}/responses/${withdraw}/withdraw`)
      .expect(200);
    const empty = await editor
      .post(`/officer/consultations/${SLUG}/responses/${withdraw}/withdraw`)
      .type("form")
      .send({ _csrf: csrfFrom(form.text), reason: " " });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('href="#reason"');
    const done = await editor
      .post(`/officer/consultations/${SLUG}/responses/${withdraw}/withdraw`)
      .type("form")
      .send({ _csrf: csrfFrom(form.text), reason: "Asked by email on 3 April" });
    expect(done.status).toBe(303);
    expect((await editor.get(String(done.headers.location))).text).toContain(
      `Response ${withdraw} has been withdrawn`,
    );

    // Gone, with its answers; the results and the comments page say so at once.
    expect(await count(editor)).toBe(1);
    const results = t.services.results.compute(t.services.consultations.find(SLUG) as never);
    const support = results.questions.find((q) => q.question.id === "support");
    expect(support?.kind === "single" && support.result.options.map((o) => o.count)).toEqual([1, 0]);
    expect(t.db.prepare("SELECT count(*) FROM answers WHERE text_value LIKE 'Private%'").pluck().get()).toBe(
      0,
    );
    expect((await editor.get(`/officer/consultations/${SLUG}/comments/why`)).text).not.toContain(withdraw);
    await editor.get(`/officer/consultations/${SLUG}/responses/${withdraw}`).expect(404);

    const audit = t.db
      .prepare("SELECT * FROM audit_events WHERE action = 'response-withdrawn'")
      .all() as Record<string, unknown>[];
    expect(audit).toMatchObject([
      { officer_email: "editor@example.gov.uk", subject: withdraw, detail: "Asked by email on 3 April" },
    ]);
    expect(JSON.stringify(audit)).not.toContain("Private words");
    expect(JSON.stringify(audit)).not.toContain("No, I do not");
  });

  it("says plainly when no response has the reference", async () => {
    const t = setUp();
    const officer = await signedInAs(t, "officer");
    const missing = await officer.get(`/officer/consultations/${SLUG}/responses?reference=NOPE-1234`);
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("No response to this consultation has the reference NOPE-1234");
    expect(missing.text).toContain('value="NOPE-1234"');
  });

  it("lets officers and analysts read a response but only admins and editors withdraw it", async () => {
    const t = setUp();
    const reference = respond(t, { support: "yes" });
    for (const role of ["officer", "analyst"] as const) {
      const agent = await signedInAs(t, role);
      await agent.get(`/officer/consultations/${SLUG}/responses/${reference}`).expect(200);
      await agent.get(`/officer/consultations/${SLUG}/responses/${reference}/withdraw`).expect(403);
      const token = csrfFrom((await agent.get("/officer")).text);
      await agent
        .post(`/officer/consultations/${SLUG}/responses/${reference}/withdraw`)
        .type("form")
        .send({ _csrf: token, reason: "x" })
        .expect(403);
    }
    expect(t.services.records.find(t.services.consultations.find(SLUG) as never, reference)).toBeDefined();
  });
});
