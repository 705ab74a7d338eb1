import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ConsultationRepository } from "../../db/consultations.js";
import { scoped } from "../support/app.js";
import { FIXTURE_SLUG, fixtureDefinition } from "../support/import-fixture.js";
import { axeViolations, formatViolations, frontendReady, useBrowserSuite } from "./support/browser.js";

const suite = useBrowserSuite();
const BASE = `/consultations/${FIXTURE_SLUG}`;

beforeAll(() => {
  new ConsultationRepository(suite.t.db).save(fixtureDefinition());
});

async function startResponding(page: Page) {
  await page.goto(BASE);
  await page.getByRole("button", { name: "Respond online" }).click();
  await page.waitForURL(suite.url(`${BASE}/respond/about-you`));
}

describe("a long option list and an 'Other' box, as a respondent uses them (#9 items 4 and 8)", () => {
  it("without JavaScript: picks a ward from a select, and is told to tick 'Other' for the text typed", async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    await startResponding(page);
    // 30 wards: a select, not 30 radios.
    const ward = page.getByLabel("Which ward do you live in?");
    expect(await ward.evaluate((el) => el.tagName)).toBe("SELECT");
    expect(await page.locator('input[type="radio"][name="ward"]').count()).toBe(0);
    await ward.selectOption({ label: "Ward 12" });
    await page.getByLabel("With children").check();
    // Without JavaScript the box is always shown; text without the tick is refused, not dropped.
    await page.getByLabel(/please tell us what you mean/).fill("Grandparents");
    await page.getByRole("button", { name: "Continue" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.textContent()).resolves.toContain(
      'Select "Someone else" if you want to tell us about it, or delete the text',
    );
    // Everything typed and chosen is still there.
    await expect(ward.inputValue()).resolves.toBe("ward-12");
    await expect(page.getByLabel(/please tell us what you mean/).inputValue()).resolves.toBe("Grandparents");
    await page.getByLabel("Someone else", { exact: true }).check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(suite.url(`${BASE}/respond/before`));
    const drafts = suite.t.db
      .prepare(
        "SELECT draft_json FROM responses r JOIN consultations c ON c.id = r.consultation_id WHERE c.slug = ? AND draft_json LIKE '%ward-12%'",
      )
      .pluck()
      .all(FIXTURE_SLUG) as string[];
    expect(drafts.map((d) => JSON.parse(d))).toContainEqual({
      ward: "ward-12",
      visitor: { codes: ["children", "other"], other: "Grandparents" },
    });
    expect(scoped(suite.t.db, FIXTURE_SLUG).submitted()).toBe(0);
  });

  it("with JavaScript: the 'Other' box is revealed when its option is ticked", async () => {
    const page = await suite.newPage();
    await startResponding(page);
    await frontendReady(page);
    const box = page.getByLabel(/please tell us what you mean/);
    expect(await box.isVisible()).toBe(false);
    await page.getByLabel("Someone else", { exact: true }).check();
    expect(await box.isVisible()).toBe(true);
    const violations = await axeViolations(page);
    expect(violations, formatViolations("about-you with the box revealed", violations)).toEqual([]);
    await page.getByLabel("Someone else", { exact: true }).uncheck();
    expect(await box.isVisible()).toBe(false);
  });
});
