import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addOfficer, PASSWORD } from "../support/officer.js";
import { axeViolations, formatViolations, OPEN_SLUG, useBrowserSuite } from "./support/browser.js";

/** Issue 12, items 3, 5 and 6 in a browser without JavaScript: every new page axe-clean. */
const suite = useBrowserSuite();
const CLOSED = "commissioning-procurement-2015";

async function signIn(page: Page, path: string) {
  page.setDefaultTimeout(15_000);
  const officer = await addOfficer(suite.t, "admin", `lifecycle-${Date.now()}@example.gov.uk`);
  await page.goto(suite.url(path));
  await page.fill("#email", officer.email);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  expect(new URL(page.url()).pathname).toBe(path);
}

/**
 * axe is a script, and a page without JavaScript cannot run it: the same markup (what the server
 * sent, so also a POST's answer) is served again to a page with JavaScript, with the same cookies.
 */
async function expectAxeClean(page: Page) {
  const url = page.url();
  const html = await page.content();
  const scripted = await suite.newPage();
  await scripted.context().addCookies(await page.context().cookies());
  await scripted.route(url, (route) =>
    route.fulfill({ contentType: "text/html; charset=utf-8", body: html }),
  );
  await scripted.goto(url);
  await scripted.unroute(url);
  const violations = await axeViolations(scripted);
  expect(violations.length, formatViolations(new URL(url).pathname, violations)).toBe(0);
}

describe("running consultations, responses and accounts in a browser", () => {
  it("extends a live consultation, with the error summary first, and reads the audit trail", async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    const manage = `/officer/consultations/${OPEN_SLUG}/manage`;
    await signIn(page, manage);
    await expectAxeClean(page);
    await page.getByRole("button", { name: "Extend" }).click();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator(".govuk-error-summary a").count()).toBe(3);
    await expectAxeClean(page);
    const closes = new Date(suite.t.services.consultations.find(OPEN_SLUG)?.closesAt ?? "");
    const later = new Date(closes.getTime() + 14 * 86_400_000);
    await page.fill("#closes-day", String(later.getUTCDate()));
    await page.fill("#closes-month", String(later.getUTCMonth() + 1));
    await page.fill("#closes-year", String(later.getUTCFullYear()));
    await page.fill("#closes-time", "5pm");
    await page.fill("#reason", "More time for the supplier forum");
    await page.getByRole("button", { name: "Extend" }).click();
    expect(await page.locator(".govuk-notification-banner").textContent()).toContain("extended");
    await expectAxeClean(page);
    await page.goto(suite.url("/officer/audit?action=closing-extended"));
    expect(await page.locator("table").textContent()).toContain("More time for the supplier forum");
    await expectAxeClean(page);
  }, 60_000);

  it("finds a response by its reference, reads it and reaches its withdrawal page", async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    const find = `/officer/consultations/${CLOSED}/responses`;
    await signIn(page, find);
    await expectAxeClean(page);
    const reference = suite.t.db
      .prepare(
        "SELECT reference FROM responses r JOIN consultations c ON c.id = r.consultation_id WHERE c.slug = ? AND r.status = 'submitted' LIMIT 1",
      )
      .pluck()
      .get(CLOSED) as string;
    await page.fill("#reference", reference);
    await page.getByRole("button", { name: "Find" }).click();
    expect(await page.locator("h1").textContent()).toContain(reference);
    await expectAxeClean(page);
    // Set aside as a duplicate: first without a reason (the error summary), then with one, then restored.
    await page.getByRole("button", { name: "Set aside" }).click();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator(".govuk-error-summary a").count()).toBe(2);
    await expectAxeClean(page);
    await page.check("#kind-2");
    await page.fill("#reason", "Sent twice");
    await page.getByRole("button", { name: "Set aside" }).click();
    expect(await page.locator(".govuk-warning-text").first().textContent()).toContain(
      "Set aside as a duplicate",
    );
    await expectAxeClean(page);
    // The list of set-aside responses, reached from the find page, restores it.
    await page.goto(suite.url(find));
    await page.getByRole("link", { name: "Responses set aside as spam or duplicates" }).click();
    expect(await page.locator("table tbody").textContent()).toContain("Sent twice");
    await expectAxeClean(page);
    await page.getByRole("button", { name: `Restore ${reference}` }).click();
    expect(await page.locator(".govuk-notification-banner").textContent()).toContain("restored");
    await expectAxeClean(page);
    await page.goto(suite.url(`${find}/${reference}`));
    await page.getByRole("link", { name: /Withdraw this response/ }).click();
    await expectAxeClean(page);
    await page.getByRole("button", { name: "Withdraw the response" }).click();
    expect(await page.title()).toMatch(/^Error: /);
    await expectAxeClean(page);
  }, 60_000);

  it("shows an account, a set-up link once, and the change-password page", async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    await signIn(page, "/officer/accounts");
    const colleague = await addOfficer(suite.t, "officer", `colleague-${Date.now()}@example.gov.uk`);
    await page.goto(suite.url(`/officer/accounts/${colleague.id}`));
    await expectAxeClean(page);
    await page.getByRole("button", { name: "Reset password" }).click();
    const link = (await page.locator("#set-up-link").textContent()) ?? "";
    expect(link).toContain("/officer/set-up/");
    await expectAxeClean(page);
    const fresh = await suite.newPage({ javaScriptEnabled: false });
    await fresh.goto(link);
    await expectAxeClean(fresh);
    await page.goto(suite.url(`/officer/accounts/${colleague.id}/remove`));
    await expectAxeClean(page);
    await page.goto(suite.url("/officer/account/password"));
    await expectAxeClean(page);
  }, 60_000);
});
