import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Db } from "../../db/connection.js";
import { commercialResident } from "../support/respondent.js";
import { frontendReady, OPEN_SLUG, useBrowserSuite } from "./support/browser.js";
import { answerByKeyboard, pressAndWaitFor, tabTo } from "./support/keyboard.js";

const suite = useBrowserSuite();
const BASE = `/consultations/${OPEN_SLUG}`;
const REFERENCE = /^SND-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
const pages = Object.entries(commercialResident);

function titleOf(db: Db, slug: string): string {
  return (db.prepare("SELECT title FROM consultations WHERE slug = ?").get(slug) as { title: string }).title;
}

/** A submitted response's answers, keyed by form field name, as the questionnaire posts them. */
function storedAnswers(db: Db, reference: string) {
  const response = db
    .prepare("SELECT id, status, channel FROM responses WHERE reference = ?")
    .get(reference) as { id: number; status: string; channel: string } | undefined;
  const rows = db
    .prepare(
      `SELECT q.question_key AS question, q.kind, i.statement_key AS statement, o.code, a.text_value AS text
         FROM answers a JOIN items i ON i.id = a.item_id JOIN questions q ON q.id = i.question_id
         LEFT JOIN options o ON o.id = a.option_id
        WHERE a.response_id = ? ORDER BY q.position, i.position`,
    )
    .all(response?.id ?? -1) as {
    question: string;
    kind: string;
    statement: string | null;
    code: string | null;
    text: string | null;
  }[];
  const answers: Record<string, string | string[]> = {};
  for (const r of rows) {
    const field = r.statement ? `${r.question}--${r.statement}` : r.question;
    const value = r.code ?? r.text ?? "";
    if (r.kind === "multiple") answers[field] = [...((answers[field] as string[] | undefined) ?? []), value];
    else answers[field] = value;
  }
  return { response, answers };
}

/** What the resident meant to answer: every non-empty field, line breaks as the app stores them. */
function intendedAnswers(): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [, fields] of pages)
    for (const [name, value] of Object.entries(fields as Record<string, string | string[]>))
      if (value !== "") out[name] = Array.isArray(value) ? value : value.replace(/\r\n/g, "\n");
  return out;
}

async function expectStored(reference: string) {
  expect(reference).toMatch(REFERENCE);
  const { response, answers } = storedAnswers(suite.t.db, reference);
  expect(response, `no response with reference ${reference} in the database`).toMatchObject({
    status: "submitted",
    channel: "online",
  });
  expect(answers).toEqual(intendedAnswers());
}

async function referenceOn(page: Page): Promise<string> {
  return ((await page.locator(".app-reference").textContent()) ?? "").trim();
}

describe("a resident responds using only the keyboard", () => {
  it("finds the open consultation from the hub, answers every page and sends the response", async () => {
    const page = await suite.newPage();
    const title = titleOf(suite.t.db, OPEN_SLUG);

    await page.goto("/");
    await frontendReady(page);
    await tabTo(page, (el) => el.tag === "a" && el.text === title, `the "${title}" link`);
    await pressAndWaitFor(page, "Enter", suite.url(BASE));

    await frontendReady(page);
    await tabTo(page, (el) => el.tag === "button" && el.text === "Respond online", "Respond online");
    await pressAndWaitFor(page, "Space", suite.url(`${BASE}/respond/about-you`));

    for (const [i, [pageId, fields]] of pages.entries()) {
      expect(page.url()).toBe(suite.url(`${BASE}/respond/${pageId}`));
      await frontendReady(page);
      await answerByKeyboard(page, fields);
      await tabTo(page, (el) => el.tag === "button" && el.text === "Continue", `Continue on ${pageId}`);
      const next = pages[i + 1]?.[0];
      // Both keys a keyboard user may use on a button, in turn.
      await pressAndWaitFor(
        page,
        i % 2 === 0 ? "Enter" : "Space",
        suite.url(next ? `${BASE}/respond/${next}` : `${BASE}/check`),
      );
    }

    await frontendReady(page);
    await expect(page.locator("h1").textContent()).resolves.toBe(
      "Check your answers before sending your response",
    );
    await tabTo(page, (el) => el.tag === "button" && el.text === "Send response", "Send response");
    await pressAndWaitFor(page, "Enter", suite.url(`${BASE}/confirmation`));

    await expectStored(await referenceOn(page));
  });
});

describe("a resident responds with JavaScript turned off", () => {
  it("completes the whole journey: no page needs JavaScript", async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    const title = titleOf(suite.t.db, OPEN_SLUG);

    await page.goto("/");
    await page.getByRole("link", { name: title }).click();
    await page.waitForURL(suite.url(BASE));
    await page.getByRole("button", { name: "Respond online" }).click();
    await page.waitForURL(suite.url(`${BASE}/respond/about-you`));
    // /js/init.js would have marked the body: nothing ran.
    expect(await page.locator("body").getAttribute("class")).not.toContain("js-enabled");

    for (const [i, [pageId, fields]] of pages.entries()) {
      expect(page.url()).toBe(suite.url(`${BASE}/respond/${pageId}`));
      for (const [name, value] of Object.entries(fields as Record<string, string | string[]>)) {
        if (value === "") continue;
        const field = page.locator(`[name="${name}"]`).first();
        const type = await field.getAttribute("type");
        if (type === "radio" || type === "checkbox")
          for (const v of Array.isArray(value) ? value : [value])
            await page.locator(`input[name="${name}"][value="${v}"]`).check();
        else await field.fill(String(value));
      }
      await page.getByRole("button", { name: "Continue" }).click();
      const next = pages[i + 1]?.[0];
      await page.waitForURL(suite.url(next ? `${BASE}/respond/${next}` : `${BASE}/check`));
    }

    await page.getByRole("button", { name: "Send response" }).click();
    await page.waitForURL(suite.url(`${BASE}/confirmation`));
    expect(await page.locator("body").getAttribute("class")).not.toContain("js-enabled");
    await expectStored(await referenceOn(page));
  });
});
