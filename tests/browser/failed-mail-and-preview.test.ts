import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { MailQueueRepository } from "../../db/mail-queue.js";
import { addOfficer, PASSWORD } from "../support/officer.js";
import {
  axeViolations,
  formatViolations,
  frontendReady,
  OPEN_SLUG,
  useBrowserSuite,
  WCAG_AND_BEST_PRACTICE,
} from "./support/browser.js";

// E-mail configured (a port nobody listens on: nothing here is meant to be sent), so the pages
// offer it as they would in production.
const suite = useBrowserSuite({ config: { smtpUrl: "smtp://127.0.0.1:9" } });
const PREVIEW = `/officer/consultations/${OPEN_SLUG}/preview`;

async function signInAdmin(page: Page) {
  const officer = await addOfficer(suite.t, "admin", `admin-${Date.now()}@example.gov.uk`);
  await page.goto(suite.url("/officer/sign-in"));
  await page.fill("#email", officer.email);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  expect(new URL(page.url()).pathname).toBe("/officer");
}

async function expectAxeClean(page: Page) {
  await frontendReady(page);
  const violations = await axeViolations(page, WCAG_AND_BEST_PRACTICE);
  expect(violations.length, formatViolations(new URL(page.url()).pathname, violations)).toBe(0);
}

describe("e-mail given up, and the preview's save and receipt, in a browser", () => {
  it("shows an admin the notice and the failed-mail page, masked and without axe violations, and deletes one", async () => {
    const queue = new MailQueueRepository(suite.t.db);
    const now = suite.t.clock.now;
    for (const recipient of ["first.resident@example.com", "second@example.org"]) {
      const id = queue.add(
        { kind: "receipt", responseId: null, recipient, subject: "Your response: SND-TEST", body: "A copy." },
        now,
      );
      queue.abandon(id, "Error: 451 Mailbox unavailable, try later", now);
    }
    const page = await suite.newPage();
    await signInAdmin(page);
    await page.goto(suite.url("/officer"));
    await expect
      .poll(() => page.locator("#failed-mail").textContent())
      .toContain("2 e-mails to residents could not be sent");
    await expectAxeClean(page);
    await page.getByRole("link", { name: "See and retry them" }).click();
    expect(new URL(page.url()).pathname).toBe("/officer/mail");
    expect(await page.locator("body").textContent()).not.toContain("first.resident@example.com");
    expect(await page.getByRole("rowheader", { name: "f***@e***.com" }).count()).toBe(1);
    await expectAxeClean(page);
    await page.getByRole("button", { name: "Delete the message to f***@e***.com" }).click();
    expect(await page.locator(".govuk-notification-banner--success").textContent()).toContain("deleted");
    expect(await page.getByRole("rowheader").count()).toBe(1);
    await expectAxeClean(page);
  });

  it("previews the save page and the saved page without axe violations, queueing no e-mail", async () => {
    const page = await suite.newPage();
    await signInAdmin(page);
    await page.goto(suite.url(PREVIEW));
    await page.locator(`form[action="${PREVIEW}/start"] button`).click();
    await page.locator('input[name="roles"][value="resident"]').check();
    await page.getByRole("button", { name: "Save and come back later" }).click();
    expect(new URL(page.url()).pathname).toBe(`${PREVIEW}/save`);
    expect(await page.locator("#preview-note").textContent()).toContain("no email is sent");
    await expectAxeClean(page);
    await page.getByLabel("Email address (optional)").fill("officer@example.gov.uk");
    await page.getByRole("button", { name: "Get my link" }).click();
    expect(await page.locator("h1").textContent()).toBe("Your answers have been saved");
    expect(await page.locator("#preview-note").textContent()).toContain("Nothing was saved");
    await expectAxeClean(page);
    expect(suite.t.services.mail.pending()).toBe(0);
  });
});
