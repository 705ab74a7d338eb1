import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { count } from "../support/app.js";
import { addOfficer, PASSWORD } from "../support/officer.js";
import { axeViolations, formatViolations, useBrowserSuite } from "./support/browser.js";

const suite = useBrowserSuite();
const CP = "commissioning-procurement-2015";
const Q = "disagree-reasons";
const OVERVIEW = `/officer/consultations/${CP}/moderation`;
const QUEUE = `${OVERVIEW}/${Q}`;

async function signIn(page: Page, path: string) {
  const officer = await addOfficer(suite.t, "analyst", `moderator-${Date.now()}@example.gov.uk`);
  await page.goto(suite.url(path));
  await page.fill("#email", officer.email);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  expect(new URL(page.url()).pathname).toBe(path);
}

async function expectAxeClean(page: Page) {
  const violations = await axeViolations(page);
  expect(violations.length, formatViolations(new URL(page.url()).pathname, violations)).toBe(0);
}

const approved = () =>
  count(suite.t.db, "SELECT count(*) AS n FROM comment_moderation WHERE decision = 'approved'");

describe("moderating comments in a browser (issue 11)", () => {
  it("works through a question's queue without JavaScript: bulk approve, then the public report quotes them", async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    await signIn(page, OVERVIEW);
    await page.click(`a[href="${QUEUE}"]`);
    const cards = page.locator(".govuk-summary-card");
    const shown = await cards.count();
    expect(shown).toBeGreaterThan(0);
    // Every card shows what was written beside what would be published.
    expect(await page.locator("[data-original]").count()).toBe(shown);
    expect(await page.locator("[data-redacted]").count()).toBe(shown);
    const firstRedacted = (await page.locator("[data-redacted]").first().textContent())?.trim() ?? "";

    const before = await suite.browser.newPage();
    const publicBefore = await (await before.request.get(suite.url(`/consultations/${CP}/report`))).text();
    await before.close();
    expect(publicBefore).toContain("0 approved for publishing");

    await page.click("button[value=approve-shown]");
    expect(await page.locator(".govuk-notification-banner").textContent()).toContain(
      "Approved for publishing.",
    );
    expect(approved()).toBe(shown);

    const reader = await suite.browser.newPage();
    const report = await (await reader.request.get(suite.url(`/consultations/${CP}/report`))).text();
    await reader.close();
    expect(report).toContain(`${shown} approved for publishing`);
    expect(report).toContain(firstRedacted.replaceAll("'", "&#39;").replaceAll('"', "&#34;").slice(0, 40));
  }, 120_000);

  it("changes one comment's redaction, with a GOV.UK error summary for a phrase not in it; every page axe-clean", async () => {
    const page = await suite.newPage();
    await signIn(page, OVERVIEW);
    await expectAxeClean(page);
    await page.click(`a[href="${QUEUE}"]`);
    await expectAxeClean(page);
    await page.click(`a[href="${QUEUE}?show=approved"]`);
    await expectAxeClean(page);
    const edit = page.locator(".govuk-summary-card__action a").first();
    await edit.click();
    await expectAxeClean(page);
    await page.fill("#add", "words that are nowhere in this comment");
    await page.click("button[value=approve]");
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator(".govuk-error-summary").textContent()).toContain(
      "Enter words that appear in the comment",
    );
    await expectAxeClean(page);
    const original = (await page.locator("[data-original]").textContent())?.trim() ?? "";
    const word = original.split(/\s+/).find((w) => /^[A-Za-z]{5,}$/.test(w)) ?? "";
    expect(word).not.toBe("");
    await page.fill("#add", word);
    await page.click("button[value=approve]");
    expect(new URL(page.url()).pathname).toBe(QUEUE);
    const stored = suite.t.db
      .prepare("SELECT redacted_text FROM comment_moderation WHERE redacted_text LIKE '%[removed]%'")
      .pluck()
      .all() as string[];
    expect(stored.length).toBe(1);
    expect(stored[0]).not.toContain(word);
  }, 120_000);
});
