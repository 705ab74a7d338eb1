import request from "supertest";
import { describe, expect, it } from "vitest";
import { parseDefinition } from "../../analysis/definition.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { csrfFrom } from "../support/app.js";
import { publishResults } from "../support/lifecycle.js";
import { signedInAs } from "../support/officer.js";
import { Respondent } from "../support/respondent.js";
import {
  axeViolations,
  formatViolations,
  frontendReady,
  useBrowserSuite,
  WCAG_AND_BEST_PRACTICE,
} from "./support/browser.js";

// Its own app: the test moves the clock past the consultation's close.
const suite = useBrowserSuite();
const SLUG = "library-hours";
const PATH = `/consultations/${SLUG}/published-responses`;

describe("the published responses page, audited with axe's best practices as well as WCAG", () => {
  it("has no violation before closing, and on both pages of published responses after", async () => {
    const t = suite.t;
    const now = t.clock.now;
    const parsed = parseDefinition({
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
      publication: { consent: { question: "publish", anyOf: ["yes"] } },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed));
    new ConsultationRepository(t.db).save(parsed.definition, now, { stage: "live" });
    const respond = async (fields: Record<string, string>) => {
      const r = new Respondent(t, SLUG);
      await r.start();
      await r.answer("views", fields);
      expect((await r.submit()).status).toBe(303);
    };
    await respond({ hours: "evening", why: "I work days. Ask Dr Hughes at 3 Park Road.", publish: "yes" });
    // More than a page of them (20 a page), so the page has its Previous and Next links.
    for (let i = 0; i < 22; i++)
      await respond({ hours: "morning", why: `Reason number ${i}.`, publish: "yes" });

    const audit = async (path: string, status: number) => {
      const page = await suite.newPage();
      const res = await page.goto(path);
      expect(res?.status()).toBe(status);
      await frontendReady(page);
      const violations = await axeViolations(page, WCAG_AND_BEST_PRACTICE);
      expect(violations.length, formatViolations(path, violations)).toBe(0);
      return page;
    };
    // While the consultation is open: the page says when responses will be published.
    await audit(PATH, 403);

    t.clock.now = new Date(now.getTime() + 2 * 86_400_000);
    // Closed, results not yet published: the page says the council is considering the responses.
    await audit(PATH, 403);
    publishResults(t, SLUG);
    // An officer approves all but one of the comments; that one is still waiting.
    const analyst = await signedInAs(t, "analyst");
    const queue = `/officer/consultations/${SLUG}/moderation/why`;
    const q = await analyst.get(queue).expect(200);
    const shown = [...q.text.matchAll(/id="comment-(\d+)"/g)].map((m) => m[1] ?? "");
    expect(shown).toHaveLength(23);
    const ids = shown
      .slice(1)
      .map((id) => `&ids=${id}`)
      .join("");
    await analyst
      .post(queue)
      .type("form")
      .send(`_csrf=${encodeURIComponent(csrfFrom(q.text))}&action=approve-selected&show=pending${ids}`)
      .expect(303);
    expect((await request(t.app).get(PATH)).text).toContain(
      "22 responses have been checked and are published",
    );

    const first = await audit(PATH, 200);
    expect(await first.locator(".govuk-summary-card").count()).toBe(20);
    expect(await first.getByRole("link", { name: "Next page" }).count()).toBe(1);
    const second = await audit(`${PATH}?page=2`, 200);
    expect(await second.locator(".govuk-summary-card").count()).toBe(2);
    expect(await second.getByRole("link", { name: "Previous page" }).count()).toBe(1);
  });
});
