import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addOfficer, PASSWORD } from "../support/officer.js";
import { axeViolations, formatViolations, useBrowserSuite } from "./support/browser.js";

/**
 * The suggestions panel and the dashboard's agreement table in chromium, once the model has
 * learned from the demo's coding (its themes opened to every question, so there is something to
 * suggest): axe-clean, and a theme's suggestions accepted above a score without JavaScript.
 */
const suite = useBrowserSuite();
const CP = "commissioning-procurement-2015";
const PAGE = `/officer/consultations/${CP}/comments/principles-comments`;

async function signIn(page: Page, path: string) {
  const officer = await addOfficer(suite.t, "officer", `suggest-${Date.now()}@example.gov.uk`);
  await page.goto(suite.url(path));
  await page.fill("#email", officer.email);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
}

describe("theme suggestions in a browser", () => {
  it("shows the suggestions and their agreement axe-clean, and accepts a theme's suggestions", {
    timeout: 240_000,
  }, async () => {
    const row = suite.t.services.consultations.find(CP);
    if (!row) throw new Error("no demo");
    suite.t.db.prepare("UPDATE themes SET question_keys = '[]' WHERE consultation_id = ?").run(row.id);
    await suite.t.services.suggestions.train(row);
    const suggested = suite.t.db
      .prepare("SELECT count(*) FROM tags WHERE source = 'model' AND confirmed = 0")
      .pluck()
      .get() as number;
    expect(suggested).toBeGreaterThan(0);

    const page = await suite.newPage({ javaScriptEnabled: false });
    await signIn(page, PAGE);
    await page.waitForSelector("#suggestions");
    expect(await page.textContent("#suggestions")).toContain("Agreement with officers");
    expect(formatViolations("workbench with suggestions", await axeViolationsWithScript(page))).toBe("");

    const form = page.locator("form[action$='/suggestions/accept']").first();
    await form.locator("input[name=minScore]").fill("0");
    await form.locator("button").click();
    await page.waitForSelector(".govuk-notification-banner--success");
    const confirmed = suite.t.db
      .prepare("SELECT count(*) FROM tags WHERE source = 'model' AND confirmed = 1")
      .pluck()
      .get() as number;
    expect(confirmed).toBeGreaterThan(0);

    await page.goto(suite.url(`/officer/consultations/${CP}`));
    expect(await page.textContent("#theme-agreement")).toContain("How the comments were coded");
    expect(formatViolations("dashboard with agreement", await axeViolationsWithScript(page))).toBe("");
  });
});

/** axe runs as a script in the page: the markup is the same with JavaScript on. */
async function axeViolationsWithScript(page: Page) {
  const scripted = await suite.newPage();
  await scripted.context().addCookies(await page.context().cookies());
  await scripted.goto(page.url());
  return axeViolations(scripted);
}
