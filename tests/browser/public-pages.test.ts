import { describe, expect, it } from "vitest";
import { WeDidRepository } from "../../db/we-did.js";
import {
  axeViolations,
  formatViolations,
  frontendReady,
  OPEN_SLUG,
  useBrowserSuite,
  WCAG_AND_BEST_PRACTICE,
} from "./support/browser.js";

const suite = useBrowserSuite();
const CLOSED_SLUG = "commissioning-procurement-2015";

describe("the public pages, audited with axe's best practices as well as WCAG", () => {
  it.each([
    ["/privacy"],
    ["/cookies"],
    ["/accessibility"],
    // A page with a Back link: it must sit inside a landmark (axe "region").
    [`/consultations/${OPEN_SLUG}`],
    [`/consultations/${CLOSED_SLUG}/documents`],
  ])("%s has no violation", async (path) => {
    const page = await suite.newPage();
    const res = await page.goto(path);
    expect(res?.status()).toBe(200);
    await frontendReady(page);
    const violations = await axeViolations(page, WCAG_AND_BEST_PRACTICE);
    expect(violations.length, formatViolations(path, violations)).toBe(0);
  });

  it("the public report with a published 'we did' entry has one landmark of each name (axe 'landmark-unique')", async () => {
    const consultation = suite.t.services.consultations.find(CLOSED_SLUG);
    if (!consultation) throw new Error("no closed demo consultation");
    const weDid = new WeDidRepository(suite.t.db);
    const entry = weDid.add(
      consultation.id,
      {
        weAsked: "Should the council buy locally?",
        youSaid: "Most said yes.",
        weDid: "We changed the policy.",
      },
      suite.t.clock.now,
    );
    weDid.publish(consultation.id, entry.id, suite.t.clock.now);
    const page = await suite.newPage();
    const path = `/consultations/${CLOSED_SLUG}/report`;
    const res = await page.goto(path);
    expect(res?.status()).toBe(200);
    expect(await page.locator("#we-did").getByText("We changed the policy.").count()).toBe(1);
    const violations = await axeViolations(page, WCAG_AND_BEST_PRACTICE);
    expect(violations.length, formatViolations(path, violations)).toBe(0);
  });
});
