import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addOfficer, PASSWORD } from "../support/officer.js";
import { axeViolations, formatViolations, useBrowserSuite } from "./support/browser.js";

const suite = useBrowserSuite();
const CP = "commissioning-procurement-2015";

async function signIn(page: Page) {
  const officer = await addOfficer(suite.t, "officer", `dash-${Date.now()}@example.gov.uk`);
  await page.goto(suite.url(`/officer/consultations/${CP}`));
  // Not signed in: the dashboard sends the officer to sign in, then back.
  await page.fill("#email", officer.email);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL(`**/officer/consultations/${CP}`), page.click("button[type=submit]")]);
}

describe("results dashboard in a browser", () => {
  it("draws a chart above every table and has no axe violations, unfiltered and filtered", async () => {
    const page = await suite.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await signIn(page);
    await page.waitForFunction(() => document.querySelectorAll("canvas").length > 0);
    const drawn = await page.evaluate(() => {
      const canvases = [...document.querySelectorAll("figure[data-chart] canvas")] as HTMLCanvasElement[];
      const charts = (window as unknown as { Chart: { instances: Record<string, unknown> } }).Chart.instances;
      return {
        canvases: canvases.length,
        charts: Object.keys(charts).length,
        sized: canvases.every((c) => c.height > 50),
      };
    });
    expect(drawn.canvases).toBeGreaterThan(8);
    expect(drawn.charts).toBe(drawn.canvases);
    expect(drawn.sized).toBe(true);
    expect(errors).toEqual([]);
    expect(formatViolations("dashboard", await axeViolations(page))).toBe("");

    // Filter to suppliers with the form, as an officer would.
    await page.selectOption("#filter", "roles:supplier");
    await Promise.all([page.waitForURL(/filter=roles%3Asupplier/), page.click("text=Apply filter")]);
    expect(await page.locator("main").textContent()).toContain("9 respondents in this group");
    expect(formatViolations("dashboard filtered", await axeViolations(page))).toBe("");
  });

  it("shows every figure in its tables without JavaScript", async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    await signIn(page);
    const text = await page.locator("main").textContent();
    expect(text).toContain("Base: 43 respondents who answered");
    expect(text).toMatch(/Council employee\s+16\s+37%/);
    expect(text ?? "").not.toContain("undefined");
  });
});

describe("analyst pages in a browser", () => {
  it("the import page, its error state and the report have no axe violations", async () => {
    const page = await suite.newPage();
    const analyst = await addOfficer(suite.t, "analyst", `analyst-${Date.now()}@example.gov.uk`);
    await page.goto(suite.url(`/officer/consultations/${CP}/import`));
    await page.fill("#email", analyst.email);
    await page.fill("#password", PASSWORD);
    await Promise.all([
      page.waitForURL(`**/officer/consultations/${CP}/import`),
      page.click("button[type=submit]"),
    ]);
    expect(formatViolations("import", await axeViolations(page))).toBe("");
    // Send the form with no file: the GOV.UK error summary, still accessible.
    await Promise.all([page.waitForLoadState("load"), page.click("main button[type=submit]")]);
    expect(await page.title()).toMatch(/^Error: /);
    expect(formatViolations("import error", await axeViolations(page))).toBe("");
    await page.goto(suite.url(`/officer/consultations/${CP}/report`));
    expect(formatViolations("report", await axeViolations(page))).toBe("");
    const row = suite.t.services.consultations.find(CP);
    if (!row) throw new Error("no demo consultation");
    const entry = suite.t.services.report.addEntry(row, { weAsked: "Topic", youSaid: "Said", weDid: "Did" });
    await page.goto(suite.url(`/officer/consultations/${CP}/we-did`));
    expect(formatViolations("we did", await axeViolations(page))).toBe("");
    // Delete leads to a confirmation page (a link, so it works without JavaScript).
    await Promise.all([page.waitForURL(/\?delete=/), page.click(`a[href$="?delete=${entry.id}"]`)]);
    expect(await page.locator("h1").textContent()).toBe("Are you sure you want to delete this entry?");
    expect(formatViolations("we did delete", await axeViolations(page))).toBe("");
  });

  it("the comments page narrows by the chosen answers, with no axe violations", async () => {
    const page = await suite.newPage();
    const analyst = await addOfficer(suite.t, "analyst", `comments-${Date.now()}@example.gov.uk`);
    const path = `/officer/consultations/${CP}/comments/disagree-reasons`;
    await page.goto(suite.url(path));
    await page.fill("#email", analyst.email);
    await page.fill("#password", PASSWORD);
    await Promise.all([page.waitForURL(`**${path}`), page.click("button[type=submit]")]);
    expect(formatViolations("comments", await axeViolations(page))).toBe("");
    const all = await page.locator("article.app-comment").count();
    await page.selectOption("#filter-1", "roles:supplier");
    await Promise.all([page.waitForURL(/filter=roles%3Asupplier/), page.click("form.app-filter button")]);
    const suppliers = await page.locator("article.app-comment").count();
    expect(suppliers).toBeGreaterThan(0);
    expect(suppliers).toBeLessThan(all);
    expect(await page.locator(".govuk-inset-text").textContent()).toContain("Supplier");
    expect(formatViolations("comments filtered", await axeViolations(page))).toBe("");
  });
});
