import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  type ConsultationDefinition,
  parseDefinition,
  type Page as QuestionnairePage,
  statementsOf,
} from "../../analysis/definition.js";
import { projectRoot } from "../../server/config.js";
import { otherField, statementField } from "../../server/routes/respond/questionnaire/schema.js";
import { csrfFrom } from "../support/app.js";
import { commercialResident } from "../support/respondent.js";
import {
  answerPage,
  axeViolations,
  formatViolations,
  frontendReady,
  OPEN_SLUG,
  startDraft,
  useBrowserSuite,
} from "./support/browser.js";

const suite = useBrowserSuite();

/** The demo consultations, read when the tests are collected so each page gets its own test. */
const definitions: ConsultationDefinition[] = readdirSync(join(projectRoot(), "db", "seed", "definitions"))
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => {
    const parsed = parseDefinition(
      JSON.parse(readFileSync(join(projectRoot(), "db", "seed", "definitions", f), "utf8")),
    );
    if (!parsed.ok) throw new Error(`${f} is not a valid definition`);
    return parsed.definition;
  });
const openDefinition = definitions.find((d) => d.slug === OPEN_SLUG);
if (!openDefinition) throw new Error(`No demo definition for ${OPEN_SLUG}`);
const open: ConsultationDefinition = openDefinition;
const CLOSED_SLUG = "commissioning-procurement-2015";
const BASE = `/consultations/${OPEN_SLUG}`;

/** The fields a page's error summary must list when it is sent empty: one per required answer. */
function requiredFields(page: QuestionnairePage): string[] {
  return page.questions
    .filter((q) => q.required && !q.showIf)
    .flatMap((q) => {
      const statements = statementsOf(open, q);
      return statements.length > 0 ? statements.map((s) => statementField(q, s)) : [q.id];
    });
}
const pagesWithRequiredQuestions = open.pages.filter((p) => requiredFields(p).length > 0);
const SUPPLIER_PAGE = "supplier-details";

async function expectNoViolations(page: Page, where = new URL(page.url()).pathname) {
  const violations = await axeViolations(page);
  expect(violations.length, formatViolations(where, violations)).toBe(0);
}

/** Load a page in the browser, check its HTTP status, and wait for govuk-frontend to start. */
async function visit(page: Page, path: string, status = 200) {
  const res = await page.goto(path);
  expect(res?.status(), `HTTP status of ${path}`).toBe(status);
  await frontendReady(page);
}

/** A browser with a new draft of the open consultation; a supplier, for the supplier page. */
async function respondent(pageId?: string): Promise<Page> {
  const page = await suite.newPage();
  await startDraft(page.request);
  if (pageId === SUPPLIER_PAGE) await answerPage(page.request, "about-you", { roles: ["supplier"] });
  return page;
}

async function answerEverything(page: Page) {
  for (const [pageId, fields] of Object.entries(commercialResident))
    await answerPage(page.request, pageId, fields);
}

/** Press the page's Continue button and return the status of the response to that post. */
async function sendForm(page: Page, button = "Continue"): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: button }).click(),
  ]);
  await page.waitForLoadState();
  await frontendReady(page);
  return response.status();
}

/**
 * The GOV.UK error pattern: "Error: " before the title, a summary listing each problem in page
 * order and linking to its field, and each link moving focus to that field.
 */
async function expectErrorPattern(page: Page, fields: string[]) {
  expect(await page.title()).toMatch(/^Error: /);
  const summary = page.locator(".govuk-error-summary");
  await expect(summary.count()).resolves.toBe(1);
  const links = summary.locator("a");
  expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(
    fields.map((f) => `#${f}`),
  );
  for (const field of fields) {
    expect(await page.locator(`[id="${field}"]`).count(), `no element #${field} for the summary link`).toBe(
      1,
    );
    const group = page.locator(".govuk-form-group--error").filter({ has: page.locator(`[id="${field}"]`) });
    expect(await group.count(), `#${field} is not inside a form group in its error state`).toBeGreaterThan(0);
    expect(await group.last().locator(".govuk-error-message").count(), `#${field} has no error message`).toBe(
      1,
    );
  }
  // Following the first link puts the keyboard focus on the field to correct.
  await links.first().click();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe(fields[0]);
}

describe("axe-core finds no WCAG 2.2 AA violation on the public pages", () => {
  it.each([
    ["the hub", "/"],
    ["the privacy notice", "/privacy"],
  ])("%s", async (_name, path) => {
    const page = await suite.newPage();
    await visit(page, path);
    await expectNoViolations(page);
  });

  it.each(definitions.map((d) => [d.slug]))("the page of %s", async (slug) => {
    const page = await suite.newPage();
    await visit(page, `/consultations/${slug}`);
    await expectNoViolations(page);
  });

  it("the page not found", async () => {
    const page = await suite.newPage();
    await visit(page, "/no-such-page", 404);
    expect(await page.locator("h1").textContent()).toBe("Page not found");
    await expectNoViolations(page);
  });

  it("the refusal page of a closed consultation", async () => {
    const page = await suite.newPage();
    // Its page has no form; a token from any form of this browser is valid for the post.
    const token = csrfFrom(await (await page.request.get(BASE)).text());
    const refused = await page.request.post(`/consultations/${CLOSED_SLUG}/start`, {
      form: { _csrf: token },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain("This consultation has closed");
    // The same refusal, rendered for any questionnaire address of the closed consultation.
    await visit(page, `/consultations/${CLOSED_SLUG}/respond/about-you`, 403);
    expect(await page.locator("h1").textContent()).toBe("This consultation has closed");
    await expectNoViolations(page);
  });

  it("the expired-form page", async () => {
    const page = await respondent();
    await visit(page, `${BASE}/respond/about-you`);
    await page.context().clearCookies();
    expect(await sendForm(page)).toBe(403);
    expect(await page.locator("h1").textContent()).toBe("Your form has expired");
    await expectNoViolations(page);
  });
});

describe("axe-core finds no WCAG 2.2 AA violation on the open consultation's questionnaire", () => {
  it.each(open.pages.map((p) => [p.id]))("page %s", async (pageId) => {
    const page = await respondent(pageId);
    await visit(page, `${BASE}/respond/${pageId}`);
    await expectNoViolations(page);
  });

  it.each(pagesWithRequiredQuestions.map((p) => [p.id, p]))(
    "page %s sent empty: every required question in the error summary",
    async (pageId, questionnairePage) => {
      const page = await respondent(pageId);
      await visit(page, `${BASE}/respond/${pageId}`);
      expect(await sendForm(page)).toBe(400);
      await expectNoViolations(page, `${pageId} in its error state`);
      await expectErrorPattern(page, requiredFields(questionnairePage));
    },
  );

  it("page about-you with Other ticked but not described", async () => {
    const page = await respondent();
    await visit(page, `${BASE}/respond/about-you`);
    await page.getByRole("checkbox", { name: "Other" }).check();
    expect(await sendForm(page)).toBe(400);
    await expectNoViolations(page, "about-you with an error on the Other field");
    const roles = open.pages[0]?.questions[0];
    if (!roles) throw new Error("about-you has no question");
    await expectErrorPattern(page, [otherField(roles)]);
  });

  it("a consultation page with a response in progress", async () => {
    const page = await respondent();
    await answerPage(page.request, "about-you", commercialResident["about-you"]);
    await visit(page, BASE);
    await expect(page.getByRole("button", { name: "Continue your response" }).count()).resolves.toBe(1);
    await expectNoViolations(page, `${BASE} with a response in progress`);
  });

  it("the check answers page, the confirmation, and the consultation page once responded", async () => {
    const page = await respondent();
    await answerEverything(page);
    await visit(page, `${BASE}/check`);
    expect(await page.locator("h1").textContent()).toBe("Check your answers before sending your response");
    await expectNoViolations(page);

    expect(await sendForm(page, "Send response")).toBe(303);
    expect(page.url()).toBe(suite.url(`${BASE}/confirmation`));
    expect(await page.locator(".app-reference").textContent()).toMatch(/SND-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    await expectNoViolations(page);

    await visit(page, BASE);
    await expect(page.getByText("You have responded to this consultation").count()).resolves.toBe(1);
    await expectNoViolations(page, `${BASE} after responding`);
  });
});

describe("what axe-core cannot see", () => {
  it("hides the honeypot field from sight, as it is hidden from assistive technology", async () => {
    const page = await respondent();
    await visit(page, `${BASE}/respond/about-you`);
    // views/partials/honeypot.ejs: a div.app-honeypot, aria-hidden, holding a label and an input
    // with tabindex="-1". Screen readers and the keyboard skip it; it must not be seen either, or
    // a sighted person may fill it in and have their answers silently thrown away.
    const seen = await page.locator(".app-honeypot").evaluate((honeypot) => {
      /** Whether a person could see the element: not hidden, clipped away or placed off the page. */
      const visible = (el: Element) => {
        const box = el.getBoundingClientRect();
        if (box.width * box.height === 0) return false;
        if (box.right + window.scrollX <= 0 || box.bottom + window.scrollY <= 0) return false;
        for (let a: Element | null = el; a; a = a === honeypot ? null : a.parentElement) {
          const style = getComputedStyle(a);
          const own = a.getBoundingClientRect();
          if (style.display === "none" || style.visibility === "hidden" || style.opacity === "0")
            return false;
          if (style.overflow !== "visible" && own.width * own.height <= 1) return false;
          if (style.clip === "rect(0px, 0px, 0px, 0px)" || style.clipPath === "inset(50%)") return false;
        }
        return true;
      };
      return [...honeypot.querySelectorAll("label, input")].filter(visible).map((el) => {
        const box = el.getBoundingClientRect();
        return `<${el.tagName.toLowerCase()}> ${Math.round(box.width)}x${Math.round(box.height)} at (${Math.round(box.x)}, ${Math.round(box.y + window.scrollY)})`;
      });
    });
    expect(
      seen,
      'The honeypot "Leave this field empty" is visible on every questionnaire page: ' +
        "public/scss/app.scss has no rule for .app-honeypot (views/partials/honeypot.ejs). " +
        "Suggested fix: .app-honeypot { position: absolute; left: -9999px; width: 1px; height: 1px; overflow: hidden; }",
    ).toEqual([]);
  });
});
