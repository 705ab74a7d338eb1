import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addCampaign } from "../support/campaign.js";
import { addOfficer, PASSWORD } from "../support/officer.js";
import { axeViolations, formatViolations, useBrowserSuite } from "./support/browser.js";

/**
 * The double-coded sample in chromium without JavaScript: an analyst draws comments, another
 * officer codes them blind (a refusal first), and the officer-versus-officer agreement appears in
 * the workbench; every page axe-clean.
 */
const suite = useBrowserSuite();
const CP = "commissioning-procurement-2015";
const WORKBENCH = `/officer/consultations/${CP}/comments/disagree-reasons`;
const PAGE = `${WORKBENCH}/double-coding`;

async function signIn(page: Page, role: "analyst" | "officer", path: string) {
  const officer = await addOfficer(suite.t, role, `${role}-dc-${Date.now()}@example.gov.uk`);
  await page.goto(suite.url(path));
  await page.fill("#email", officer.email);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
}

/** axe runs as a script in the page: the same markup served to a page with JavaScript on. */
async function axeOf(page: Page, html?: string) {
  const scripted = await suite.newPage();
  await scripted.context().addCookies(await page.context().cookies());
  if (html === undefined) await scripted.goto(page.url());
  else {
    await scripted.goto(suite.url("/"));
    await scripted.setContent(html);
  }
  return axeViolations(scripted);
}

describe("a double-coded sample in a browser", () => {
  it("is drawn, coded blind without JavaScript, and its agreement shown, axe-clean", {
    timeout: 240_000,
  }, async () => {
    const analyst = await suite.newPage({ javaScriptEnabled: false });
    await signIn(analyst, "analyst", PAGE);
    await analyst.waitForSelector("#size");
    expect(formatViolations("double-coding page, empty", await axeOf(analyst))).toBe("");
    await analyst.fill("#size", "none");
    await analyst.click("form[action$='/sample'] button");
    await analyst.waitForSelector(".govuk-error-summary");
    expect(formatViolations("draw refused", await axeOf(analyst, await analyst.content()))).toBe("");
    await analyst.fill("#size", "3");
    await analyst.click("form[action$='/sample'] button");
    await analyst.waitForSelector(".govuk-notification-banner--success");

    const second = await suite.newPage({ javaScriptEnabled: false });
    await signIn(second, "officer", PAGE);
    await second.waitForSelector("#blind-comment");
    expect(formatViolations("blind coding", await axeOf(second))).toBe("");
    await second.click("form[action*='/double-coding/'] button");
    await second.waitForSelector(".govuk-error-summary");
    expect(await second.textContent(".govuk-error-summary")).toContain("Select the themes that apply");
    expect(formatViolations("blind coding refused", await axeOf(second, await second.content()))).toBe("");
    for (let k = 0; k < 3; k++) {
      await second.check("input[value=none]");
      await second.click("form[action*='/double-coding/'] button");
      await second.waitForSelector("#progress");
    }
    expect(await second.textContent("#progress")).toContain("3 coded a second time");
    expect(
      suite.t.db.prepare("SELECT count(*) FROM double_code_items WHERE coded_at IS NOT NULL").pluck().get(),
    ).toBe(3);
    expect(formatViolations("agreement on the double-coding page", await axeOf(second))).toBe("");

    await analyst.goto(suite.url(WORKBENCH));
    expect(await analyst.textContent(".app-officer-agreement")).toContain(
      "Agreement between two officers on a double-coded sample of 3 comments",
    );
    expect(formatViolations("workbench with officer agreement", await axeOf(analyst))).toBe("");
  });

  it("lists a campaign once in the workbench and codes all its copies from there, axe-clean", {
    timeout: 120_000,
  }, async () => {
    addCampaign(suite.t);
    const row = suite.t.services.consultations.find(CP);
    if (!row) throw new Error("no demo");
    await suite.t.services.insights.findCampaigns(row, "disagree-reasons", { id: 1, name: "Test" });
    // With JavaScript on: the keyboard script leaves the campaign's form to post as a plain form.
    const page = await suite.newPage();
    await signIn(page, "officer", WORKBENCH);
    await page.waitForSelector(".app-comment__campaign");
    expect(await page.locator(".app-comment__campaign").count()).toBe(1);
    expect(await page.textContent(".app-comment__campaign")).toContain("Sent by 6");
    expect(formatViolations("workbench with a campaign", await axeViolations(page))).toBe("");
    const form = page.locator(".app-comment__campaign form");
    await form.locator("select").selectOption({ label: "Use of the VCS" });
    await form.locator("button").click();
    await page.waitForSelector(".govuk-notification-banner--success");
    expect(await page.textContent(".govuk-notification-banner--success")).toContain("applied to 6 comments");
    const campaignTags = () =>
      suite.t.db
        .prepare(
          `SELECT count(*) FROM tags g JOIN campaign_members m ON m.comment_id = g.comment_id
            JOIN themes t ON t.id = g.theme_id WHERE t.name = 'Use of the VCS' AND g.confirmed = 1`,
        )
        .pluck()
        .get();
    expect(campaignTags()).toBe(6);
    await page.click("text=Undo this");
    await page.waitForSelector("text=Undone:");
    expect(campaignTags()).toBe(0);
  });
});
