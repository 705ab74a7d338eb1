import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { OPEN_SLUG, useBrowserSuite } from "./support/browser.js";

const suite = useBrowserSuite();
const BASE = `/consultations/${OPEN_SLUG}`;

/** Open the consultation and press "Respond online", as a respondent does. */
async function startResponding(page: Page) {
  await page.goto(BASE);
  await page.getByRole("button", { name: "Respond online" }).click();
  await page.waitForURL(suite.url(`${BASE}/respond/about-you`));
}

async function continueTo(page: Page, path: string) {
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(suite.url(`${BASE}${path}`));
}

const heading = (page: Page) => page.locator("h1").textContent();
const caption = async (page: Page) =>
  ((await page.locator(".govuk-caption-l").textContent()) ?? "").replace(/\s+/g, " ");

describe("the supplier page is shown only to suppliers", () => {
  it("a supplier is asked about their organisation next", async () => {
    const page = await suite.newPage();
    await startResponding(page);
    await page.getByLabel("Supplier to the council").check();
    await continueTo(page, "/respond/supplier-details");

    expect(await heading(page)).toBe("About your organisation");
    expect(await caption(page)).toContain("Page 2 of 8");
    await expect(page.getByRole("link", { name: "Back" }).getAttribute("href")).resolves.toBe(
      `${BASE}/respond/about-you`,
    );

    await page.getByLabel("Small (10 to 49 employees)").check();
    await continueTo(page, "/respond/before-reading");
    expect(await caption(page)).toContain("Page 3 of 8");
    await expect(page.getByRole("link", { name: "Back" }).getAttribute("href")).resolves.toBe(
      `${BASE}/respond/supplier-details`,
    );
  });

  it("a resident goes straight to the questions before reading", async () => {
    const page = await suite.newPage();
    await startResponding(page);
    await page.getByLabel("Leicestershire resident").check();
    await continueTo(page, "/respond/before-reading");

    expect(await caption(page)).toContain("Page 2 of 7");
    expect(await page.getByText("About your organisation").count()).toBe(0);
    await expect(page.getByRole("link", { name: "Back" }).getAttribute("href")).resolves.toBe(
      `${BASE}/respond/about-you`,
    );

    // The supplier page does not exist for them, even by its address.
    const direct = await page.goto(`${BASE}/respond/supplier-details`);
    expect(direct?.status()).toBe(404);
    expect(await heading(page)).toBe("Page not found");
  });

  it("a supplier who changes their answer to resident loses the supplier page", async () => {
    const page = await suite.newPage();
    await startResponding(page);
    await page.getByLabel("Supplier to the council").check();
    await continueTo(page, "/respond/supplier-details");

    await page.getByRole("link", { name: "Back" }).click();
    await page.waitForURL(suite.url(`${BASE}/respond/about-you`));
    await expect(page.getByLabel("Supplier to the council").isChecked()).resolves.toBe(true);
    await page.getByLabel("Supplier to the council").uncheck();
    await page.getByLabel("Leicestershire resident").check();
    await continueTo(page, "/respond/before-reading");
    expect(await caption(page)).toContain("Page 2 of 7");
  });
});
