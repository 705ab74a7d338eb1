import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addOfficer, PASSWORD } from "../support/officer.js";
import { codeAt } from "../support/two-factor.js";
import { axeViolations, formatViolations, useBrowserSuite } from "./support/browser.js";

/** Issue 12, item 6: two-factor set-up and the sign-in code step, in chromium without JavaScript. */
const suite = useBrowserSuite();

/** axe needs a script: the markup the server sent is served again to a page with JavaScript. */
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
  await scripted.close();
}

async function passwordStep(page: Page, email: string) {
  await page.goto(suite.url("/officer/sign-in"));
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const nextStep = () => {
  suite.t.clock.now = new Date(suite.t.clock.now.getTime() + 30_000);
};

describe("two-factor sign-in in a browser without JavaScript", () => {
  it("sets it up from the account page, then signs in with a code and with a recovery code", async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    page.setDefaultTimeout(15_000);
    const officer = await addOfficer(suite.t, "officer", `two-factor-${Date.now()}@example.gov.uk`);
    await passwordStep(page, officer.email);
    expect(new URL(page.url()).pathname).toBe("/officer");

    await page.getByRole("link", { name: "Two-factor sign-in" }).click();
    await expectAxeClean(page);
    await page.getByRole("link", { name: "Set up two-factor sign-in" }).click();
    expect(new URL(page.url()).pathname).toBe("/officer/account/two-factor/set-up");
    expect(await page.getByRole("img", { name: "QR code holding the set-up key" }).count()).toBe(1);
    await expectAxeClean(page);
    const secret = ((await page.locator("#secret").textContent()) ?? "").replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    await page.fill("#code", "000000");
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator(".govuk-error-summary a").getAttribute("href")).toBe("#code");
    expect(await page.inputValue("#code")).toBe("");
    await expectAxeClean(page);
    await page.fill("#code", codeAt(secret, suite.t.clock.now));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    expect(await page.locator("h1").textContent()).toContain("Two-factor sign-in is on");
    const recovery = await page.locator("#recovery-codes code").allTextContents();
    expect(recovery).toHaveLength(10);
    await expectAxeClean(page);

    // Signing in now takes the password, then a code.
    nextStep();
    const second = await suite.newPage({ javaScriptEnabled: false });
    second.setDefaultTimeout(15_000);
    await passwordStep(second, officer.email);
    expect(new URL(second.url()).pathname).toBe("/officer/sign-in/code");
    await expectAxeClean(second);
    await second.fill("#code", "000000");
    await second.getByRole("button", { name: "Continue" }).click();
    expect(await second.title()).toMatch(/^Error: /);
    expect(await second.inputValue("#code")).toBe("");
    await expectAxeClean(second);
    await second.fill("#code", codeAt(secret, suite.t.clock.now));
    await second.getByRole("button", { name: "Continue" }).click();
    expect(new URL(second.url()).pathname).toBe("/officer");
    expect(await second.getByRole("button", { name: "Sign out" }).count()).toBe(1);

    const third = await suite.newPage({ javaScriptEnabled: false });
    third.setDefaultTimeout(15_000);
    await passwordStep(third, officer.email);
    await third.fill("#code", recovery[0] ?? "");
    await third.getByRole("button", { name: "Continue" }).click();
    expect(new URL(third.url()).pathname).toBe("/officer");
    await third.goto(suite.url("/officer/account/two-factor"));
    expect(await third.locator("main").textContent()).toContain("9 unused recovery codes");
    await expectAxeClean(third);

    // New recovery codes: a blank form shows both errors; with the password and a recovery code,
    // ten new codes, and the page says the old ones stopped working.
    await third.getByRole("button", { name: "Get new recovery codes" }).click();
    expect(await third.locator(".govuk-error-summary").textContent()).toContain("Enter your password");
    await expectAxeClean(third);
    await third.fill("#renew-password", PASSWORD);
    await third.fill("#renew-code", recovery[1] ?? "");
    await third.getByRole("button", { name: "Get new recovery codes" }).click();
    expect(await third.locator("#recovery-codes li").count()).toBe(10);
    expect(await third.locator("main").textContent()).toContain("Your old recovery codes no longer work");
    await expectAxeClean(third);
  }, 180_000);
});
