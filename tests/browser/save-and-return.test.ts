import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { commercialResident } from "../support/respondent.js";
import { startSmtp } from "../support/smtp.js";
import {
  axeViolations,
  formatViolations,
  frontendReady,
  OPEN_SLUG,
  useBrowserSuite,
  WCAG_AND_BEST_PRACTICE,
} from "./support/browser.js";

// A real SMTP server in this process: the app sends to it, the test reads what arrived.
const smtp = await startSmtp();
afterAll(() => smtp.close());
const suite = useBrowserSuite({ config: { smtpUrl: smtp.url } });
const BASE = `/consultations/${OPEN_SLUG}`;
type Fields = Record<string, string | string[]>;

async function expectAccessible(page: Page) {
  await frontendReady(page);
  const violations = await axeViolations(page, WCAG_AND_BEST_PRACTICE);
  expect(violations.length, formatViolations(new URL(page.url()).pathname, violations)).toBe(0);
}

/** Fill a page's fields as a person would: tick, choose or type. */
async function fill(page: Page, fields: Fields) {
  for (const [name, value] of Object.entries(fields)) {
    if (value === "") continue;
    const field = page.locator(`[name="${name}"]`).first();
    const type = await field.getAttribute("type");
    if (type === "radio" || type === "checkbox")
      for (const v of Array.isArray(value) ? value : [value])
        await page.locator(`input[name="${name}"][value="${v}"]`).check();
    else await field.fill(String(value));
  }
}

describe("a new resident saves halfway, comes back from the e-mail, finishes and gets a receipt", () => {
  it("works end to end in chromium, the return trip without JavaScript", async () => {
    const address = "new.resident@example.com";
    const before = smtp.received.length;
    const pages = Object.entries(commercialResident) as [string, Fields][];

    // First device: start, answer the first page, fill the second and save it for later.
    const first = await suite.newPage();
    await first.goto(BASE);
    await first.getByRole("button", { name: "Respond online" }).click();
    await first.waitForURL(suite.url(`${BASE}/respond/about-you`));
    await fill(first, commercialResident["about-you"]);
    await first.getByRole("button", { name: "Continue" }).click();
    await first.waitForURL(suite.url(`${BASE}/respond/before-reading`));
    await fill(first, commercialResident["before-reading"]);
    await first.getByRole("button", { name: "Save and come back later" }).click();
    await first.waitForURL(suite.url(`${BASE}/save?from=before-reading`));
    await expectAccessible(first);
    await first.getByLabel("Email address (optional)").fill(address);
    await first.getByRole("button", { name: "Get my link" }).click();
    await expect(first.locator("h1").textContent()).resolves.toBe("Your answers have been saved");
    await expectAccessible(first);
    const shown = await first.locator("#resume-link").inputValue();
    expect(await first.getByText(`We have also sent it to ${address}`).count()).toBe(1);
    await first.context().clearCookies();

    // The e-mail arrives with the same link.
    const mails = await smtp.waitFor(before + 1);
    const mail = mails[before];
    expect(mail?.to).toEqual([address]);
    expect(mail?.text).toContain(shown);
    const link = new URL(shown);
    expect(link.origin).toBe(suite.t.config.publicUrl);
    // The app's public address is configuration; in the test it listens on a port of its own.
    const path = link.pathname + link.search;

    // The link's page, audited (opening it uses nothing up).
    const look = await suite.newPage();
    await look.goto(path);
    await expectAccessible(look);

    // Second device, no JavaScript: follow the link from the e-mail, carry on, finish.
    const second = await suite.newPage({ javaScriptEnabled: false });
    await second.goto(path);
    await second.getByRole("button", { name: "Continue your response" }).click();
    // The first unanswered page: the one after "before-reading", which was saved.
    await second.waitForURL(suite.url(`${BASE}/respond/the-strategy`));
    const rest = pages.slice(pages.findIndex(([id]) => id === "the-strategy"));
    for (const [i, [pageId, fields]] of rest.entries()) {
      expect(second.url()).toBe(suite.url(`${BASE}/respond/${pageId}`));
      await fill(second, fields);
      await second.getByRole("button", { name: "Continue" }).click();
      const next = rest[i + 1]?.[0];
      await second.waitForURL(suite.url(next ? `${BASE}/respond/${next}` : `${BASE}/check`));
    }
    // The answers saved on the first device are there to check.
    expect(await second.getByText("Strongly agree").count()).toBeGreaterThan(0);
    await second.getByLabel("Email address for a receipt (optional)").fill(address);
    await second.getByRole("button", { name: "Send response" }).click();
    await second.waitForURL(suite.url(`${BASE}/confirmation?receipt=1`));
    const reference = (await second.locator(".app-reference").textContent())?.trim();
    expect(reference).toMatch(/^SND-/);

    // The receipt: the reference and a copy of the answers, from both devices.
    const all = await smtp.waitFor(before + 2);
    const receipt = all[before + 1];
    expect(receipt?.to).toEqual([address]);
    expect(receipt?.text).toContain(`Your reference: ${reference}`);
    expect(receipt?.text).toContain("Keep libraries open.");
    // "before-reading", answered on the first device, as the check page words it.
    expect(receipt?.text).toContain("I understand the financial pressures the Council faces: Tend to agree");

    // The link worked once, and no address is left behind.
    const again = await look.goto(path);
    expect(again?.status()).toBe(404);
    const left = suite.t.db
      .prepare("SELECT (SELECT count(*) FROM resume_codes) + (SELECT count(*) FROM mail_queue) AS n")
      .get() as { n: number };
    expect(left.n).toBe(0);
    // Two devices, eight pages and three audits: longer than one page's test on a shared machine.
  }, 150_000);

  it("the check page with its receipt question has no accessibility violation", async () => {
    const page = await suite.newPage();
    await page.goto(BASE);
    await page.getByRole("button", { name: "Respond online" }).click();
    for (const [pageId, fields] of Object.entries(commercialResident) as [string, Fields][]) {
      await page.waitForURL(suite.url(`${BASE}/respond/${pageId}`));
      await fill(page, fields);
      await page.getByRole("button", { name: "Continue" }).click();
    }
    await page.waitForURL(suite.url(`${BASE}/check`));
    await expectAccessible(page);
    await page.getByLabel("Email address for a receipt (optional)").fill("not an address");
    await page.getByRole("button", { name: "Send response" }).click();
    await expect(page.locator(".govuk-error-summary").textContent()).resolves.toContain(
      "Enter an email address in the correct format",
    );
    await expectAccessible(page);
  }, 90_000);
});
