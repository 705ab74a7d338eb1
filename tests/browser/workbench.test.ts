import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { count } from "../support/app.js";
import { addOfficer, PASSWORD } from "../support/officer.js";
import { axeViolations, formatViolations, useBrowserSuite } from "./support/browser.js";

const suite = useBrowserSuite();
const CP = "commissioning-procurement-2015";
const Q = "disagree-reasons";
const PAGE = `/officer/consultations/${CP}/comments/${Q}`;

async function signIn(page: Page, path: string) {
  const officer = await addOfficer(suite.t, "officer", `coder-${Date.now()}@example.gov.uk`);
  await page.goto(suite.url(path));
  await page.fill("#email", officer.email);
  await page.fill("#password", PASSWORD);
  // Not signed in, the page sent the officer to sign in; signing in comes back to it.
  await page.click("button[type=submit]");
  const url = new URL(page.url());
  expect(`${url.pathname}${url.search}`).toBe(path);
}

/** The tags of the demo comment with this text, as theme names. */
const themesOf = (text: string) =>
  (
    suite.t.db
      .prepare(
        `SELECT t.name FROM tags g JOIN themes t ON t.id = g.theme_id JOIN comments c ON c.id = g.comment_id
           JOIN answers a ON a.response_id = c.response_id AND a.item_id = c.item_id
          WHERE a.text_value = ? ORDER BY t.name`,
      )
      .pluck()
      .all(text) as string[]
  ).join(", ");

const JARGON = "Too much jargon. A plain English version would help people see what is proposed.";

describe("the coding workbench in a browser", () => {
  // First: the other tests code comments, which changes the counts.
  it("shows the published theme counts on the dashboard, and the codebook pages are axe-clean", async () => {
    const page = await suite.newPage();
    await signIn(page, `/officer/consultations/${CP}`);
    const themes = (await page.locator("#themes-disagree-reasons").textContent()) ?? "";
    expect(themes).toMatch(/Communication of messages\s+7\s+32%/);
    expect(themes).toMatch(/Use of the VCS\s+6\s+27%/);
    expect(themes).toMatch(/Service delivery\s+6\s+27%/);
    expect(themes).toMatch(/delivery model\s+3\s+14%/);
    expect(formatViolations("dashboard with themes", await axeViolations(page))).toBe("");
    await page.goto(suite.url(`/officer/consultations/${CP}/themes`));
    expect(formatViolations("codebook", await axeViolations(page))).toBe("");
    await page.click("text=Use of the VCS");
    expect(formatViolations("theme", await axeViolations(page))).toBe("");
    await page.click("text=See which comments the rules match");
    expect(await page.locator("main").textContent()).toContain("The rules match");
    expect(formatViolations("rule preview", await axeViolations(page))).toBe("");
  });
  // axe runs in the page, so it is run where JavaScript is on (the markup is the same).
  it("codes a comment with plain forms without JavaScript", async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    await signIn(page, `${PAGE}?search=jargon`);
    expect(await page.locator("#comment-count").textContent()).toContain("1 comments match these filters");
    const before = themesOf(JARGON);
    expect(before).toBe("Communication of messages");
    await page.selectOption("article[data-comment] select[name=themeId]", { label: "Use of the VCS" });
    await Promise.all([
      page.waitForURL(/search=jargon/),
      page.click("article[data-comment] button[value=apply]"),
    ]);
    expect(themesOf(JARGON)).toBe("Communication of messages, Use of the VCS");
    // Back on the same search, the new theme shows on the comment.
    expect(await page.locator("article[data-comment] .app-comment__themes").textContent()).toContain(
      "Use of the VCS",
    );
    await Promise.all([
      page.waitForURL(/search=jargon/),
      page.click('article[data-comment] button[value=remove]:has-text("Use of the VCS")'),
    ]);
    expect(themesOf(JARGON)).toBe("Communication of messages");
  });

  it("codes from the keyboard with JavaScript: j/k to move, a number to apply, r to review, no reload", async () => {
    const page = await suite.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));

    await signIn(page, `${PAGE}?coding=untagged`);
    // The demo comments are all coded: add one that is not, as a respondent's answer would.
    expect(await page.locator("#comment-count").textContent()).toContain("No comments match these filters");
    await page.goto(suite.url(`${PAGE}?search=services`));
    await page.evaluate(() => {
      (window as unknown as { marker: boolean }).marker = true;
    });
    const first = page.locator("article[data-comment]").first();
    const text = (await first.locator(".app-comment__text").textContent()) ?? "";
    const id = Number(await first.getAttribute("data-comment"));
    await page.keyboard.press("j");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-comment"))).toBe(String(id));
    // The number of a theme not yet on the comment, from the key the page shows.
    const available = await first
      .locator("select[name=themeId] option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ""));
    const keyed = await page.locator("#theme-keys li").evaluateAll((lis) =>
      lis.map((li) => ({
        id: li.getAttribute("data-theme-key") ?? "",
        name: li.textContent?.trim() ?? "",
      })),
    );
    const k = keyed.findIndex((x) => available.includes(x.id));
    const second = keyed[k]?.name ?? "";
    expect(k).toBeGreaterThanOrEqual(0);
    const response = page.waitForResponse(
      (r) => r.url().endsWith(`/${id}`) && r.request().method() === "POST",
    );
    await page.keyboard.press(String(k + 1));
    await response;
    await page.waitForFunction(
      ([cid, name]) =>
        document.querySelector(`#comment-${cid} .app-comment__themes`)?.textContent?.includes(name) ?? false,
      [id, second] as const,
    );
    expect(themesOf(text)).toContain(second);
    await page.keyboard.press("r");
    await page.waitForFunction(
      (cid) => document.querySelector(`#comment-${cid} .govuk-tag--green`) !== null,
      id,
    );
    expect(
      count(suite.t.db, "SELECT count(*) AS n FROM comments WHERE id = ? AND reviewed_at IS NOT NULL", id),
    ).toBe(1);
    // Still the same page: no reload.
    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
    await page.keyboard.press("j");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-comment"))).not.toBe(
      String(id),
    );
    await page.keyboard.press("k");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-comment"))).toBe(String(id));
    expect(errors).toEqual([]);
    expect(formatViolations("workbench with JavaScript", await axeViolations(page))).toBe("");
  });
});
