import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { type DefinitionInput, parseDefinition } from "../../analysis/definition.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import { publishResults } from "../support/lifecycle.js";
import { signedInAs } from "../support/officer.js";
import { Respondent } from "../support/respondent.js";

const SLUG = "library-hours";
const PATH = `/consultations/${SLUG}/published-responses`;

/** A small consultation that asks for consent to publish, as the builder would write it. */
function definition(now: Date, consent = true): DefinitionInput {
  return {
    schemaVersion: 1,
    slug: SLUG,
    title: "Library opening hours",
    council: "Test Council",
    summary: ["We propose new opening hours."],
    audience: "Residents",
    opens: new Date(now.getTime() - 86_400_000).toISOString(),
    closes: new Date(now.getTime() + 86_400_000).toISOString(),
    pages: [
      {
        id: "views",
        title: "Your views",
        questions: [
          {
            id: "hours",
            kind: "single",
            text: "Which hours suit you?",
            options: [
              { code: "morning", label: "Mornings" },
              { code: "evening", label: "Evenings" },
            ],
          },
          { id: "why", kind: "text", text: "Why?", required: false },
          {
            id: "publish",
            kind: "single",
            text: "May we publish your response?",
            options: [
              { code: "yes", label: "Yes, you may publish my response" },
              { code: "no", label: "No" },
            ],
          },
        ],
      },
    ],
    ...(consent ? { publication: { consent: { question: "publish", anyOf: ["yes"] } } } : {}),
  };
}

let apps: TestApp[] = [];
afterEach(async () => {
  for (const t of apps) await t.services.moderation.close();
  apps = [];
});

function appWith(consent = true): TestApp {
  const t = buildTestApp();
  apps.push(t);
  const parsed = parseDefinition(definition(t.clock.now, consent));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  new ConsultationRepository(t.db).save(parsed.definition, t.clock.now, { stage: "live" });
  return t;
}

async function respond(t: TestApp, fields: Record<string, string>) {
  const r = new Respondent(t, SLUG);
  expect((await r.start()).status).toBe(303);
  expect((await r.answer("views", fields)).status).toBe(303);
  expect((await r.submit()).status).toBe(303);
}

describe("published responses (issue 11)", () => {
  it("publishes whole the responses of those who consented, redacted, once an officer has decided on their comments", async () => {
    const t = appWith();
    await respond(t, { hours: "evening", why: "I work days. Ask Dr Hughes at 3 Park Road.", publish: "yes" });
    await respond(t, { hours: "morning", why: "My own reasons, not to be published.", publish: "no" });
    await request(t.app).get(PATH).expect(403);
    t.clock.now = new Date(t.clock.now.getTime() + 2 * 86_400_000);
    // Closed, but its results are not yet published: nothing is shown, and the page says why.
    const waiting = await request(t.app).get(PATH).expect(403);
    expect(waiting.text).toContain("The council is considering the responses");
    publishResults(t, SLUG);

    let page = await request(t.app).get(PATH).expect(200);
    expect(page.text).toContain("1 respondent agreed to publication; 0 responses have been checked");
    expect(page.text).not.toContain("I work days");

    const analyst = await signedInAs(t, "analyst");
    const queue = `/officer/consultations/${SLUG}/moderation/why`;
    const q = await analyst.get(queue).expect(200);
    const shown = [...q.text.matchAll(/id="comment-(\d+)"/g)].map((m) => m[1] ?? "");
    expect(shown).toHaveLength(2);
    await analyst
      .post(queue)
      .type("form")
      .send(
        `_csrf=${encodeURIComponent(csrfFrom(q.text))}&action=approve-selected&show=pending&ids=${shown[1]}`,
      )
      .expect(303);

    page = await request(t.app).get(PATH).expect(200);
    expect(page.text).toContain("1 response has been checked and is published");
    expect(page.text).toContain("Evenings");
    expect(page.text).toContain("I work days. Ask Dr [name removed] at [address removed].");
    expect(page.text).not.toContain("Hughes");
    expect(page.text).not.toContain("My own reasons");
    expect(page.text).not.toContain("Mornings</p>");
    const consultation = await request(t.app).get(`/consultations/${SLUG}`).expect(200);
    expect(consultation.text).toContain(`href="${PATH}"`);
  });

  it("is not there for a consultation that asks for no consent", async () => {
    const t = appWith(false);
    await request(t.app).get(PATH).expect(404);
  });
});
