import { describe, expect, it } from "vitest";
import { addOfficer, PASSWORD } from "../support/officer.js";
import { axeViolations, formatViolations, useBrowserSuite } from "./support/browser.js";

const suite = useBrowserSuite();
const CP = "commissioning-procurement-2015";
// The demo has coded every comment of "disagree-reasons"; these 14 are uncoded, so there is something to discover.
const PAGE = `/officer/consultations/${CP}/comments/principles-comments/insights`;

describe("campaigns, new themes and stance in a browser", () => {
  it("finds campaigns, works out stance and suggests themes, axe-clean at every step", async () => {
    const page = await suite.newPage();
    const officer = await addOfficer(suite.t, "officer", `insights-${Date.now()}@example.gov.uk`);
    await page.goto(suite.url(PAGE));
    await page.fill("#email", officer.email);
    await page.fill("#password", PASSWORD);
    await page.click("button[type=submit]");
    expect(new URL(page.url()).pathname).toBe(PAGE);
    expect(formatViolations("insights", await axeViolations(page))).toBe("");
    await Promise.all([page.waitForURL(/campaigns=/), page.click("text=Look for campaigns")]);
    expect(await page.locator("main").textContent()).toMatch(/\d+ campaigns found/);
    await Promise.all([page.waitForURL(/stance=/), page.click("text=Work out the stance of each comment")]);
    expect(await page.locator("main").textContent()).toContain("Themes by stance");
    expect(formatViolations("insights with stance", await axeViolations(page))).toBe("");
    await page.click("text=Suggest new themes from the uncoded comments");
    await page.waitForURL(/discover=1/);
    expect(formatViolations("insights with suggestions", await axeViolations(page))).toBe("");
    // Submitting a suggestion with its name cleared keeps the page and says what to do.
    const name = page.locator("input[name=name]").first();
    expect(await name.count()).toBe(1);
    await name.fill("");
    await Promise.all([
      page.waitForLoadState(),
      page.locator("button:has-text('Make this a theme')").first().click(),
    ]);
    expect(await page.locator(".govuk-error-summary").textContent()).toContain("Enter a name for the theme");
    expect(formatViolations("refused suggestion", await axeViolations(page))).toBe("");
    // Each analysis starts a worker thread, which under the test runner compiles its TypeScript first.
  }, 180_000);
});
