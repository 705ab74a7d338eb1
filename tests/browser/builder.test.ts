import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { timeOfDayText, ukWallClock } from "../../analysis/dates.js";
import { type DefinitionInput, definitionSchema, type Question } from "../../analysis/definition.js";
import { addOfficer, PASSWORD } from "../support/officer.js";
import { axeViolations, formatViolations, useBrowserSuite } from "./support/browser.js";

const suite = useBrowserSuite();

/**
 * The seed is the input: what the council's questionnaire asked, as its papers describe it. The
 * test types it into the builder as an officer would, then checks the saved definition says the same.
 */
const SEED_FILE = join(
  import.meta.dirname,
  "..",
  "..",
  "db",
  "seed",
  "definitions",
  "commissioning-procurement-2015.json",
);
const seed = definitionSchema.parse(JSON.parse(readFileSync(SEED_FILE, "utf8")));
const SLUG = `${seed.slug}-built`;
const BASE = `/officer/consultations/${SLUG}/build`;

const lines = (items: { code: string; label: string }[]) =>
  items.map((i) => `${i.code} | ${i.label}`).join("\n");
const problems: string[] = [];
const seen = new Set<string>();

/** Axe on each kind of builder page, once. */
async function axe(page: Page, name: string) {
  if (seen.has(name)) return;
  seen.add(name);
  const found = formatViolations(name, await axeViolations(page));
  if (found) problems.push(found);
}

async function submit(page: Page, button: string) {
  await Promise.all([
    page.waitForLoadState("load"),
    page.getByRole("button", { name: button, exact: true }).click(),
  ]);
  const summary = page.locator(".govuk-error-summary");
  if ((await summary.count()) > 0) throw new Error(`${page.url()}: ${await summary.textContent()}`);
}

async function dateTime(page: Page, prefix: string, iso: string) {
  const w = ukWallClock(iso);
  await page.fill(`#${prefix}-day`, String(w.day));
  await page.fill(`#${prefix}-month`, String(w.month));
  await page.fill(`#${prefix}-year`, String(w.year));
  await page.fill(`#${prefix}-time`, timeOfDayText(w.hour, w.minute));
}

async function condition(page: Page, showIf: { question: string; anyOf: string[] } | undefined) {
  if (!showIf) return;
  if ((await page.locator("#showIf-details[open]").count()) === 0)
    await page.locator("#showIf-details summary").click();
  for (const code of showIf.anyOf)
    await page.check(`input[name="showIf"][value="${showIf.question}:${code}"]`);
}

async function addQuestion(page: Page, pageId: string, q: Question) {
  await page.goto(suite.url(`${BASE}/pages/${pageId}/questions/new`));
  await axe(page, "question kind");
  await page.check(`input[name="kind"][value="${q.kind}"]`);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(/kind=/);
  await axe(page, `question form (${q.kind})`);
  await page.fill("#text", q.text);
  if (q.hint) await page.fill("#hint", q.hint);
  await page.check(`input[name="required"][value="${q.required ? "yes" : "no"}"]`);
  await page.fill("#id", q.id);
  if (q.kind === "single" || q.kind === "multiple") await page.fill("#options", lines(q.options));
  if (q.kind === "multiple" && q.other) await page.fill("#other", lines([q.other]));
  if (q.kind === "likert" || q.kind === "grid") await page.check(`input[name="scale"][value="${q.scale}"]`);
  if (q.kind === "grid")
    await page.fill("#statements", lines(q.statements.map((s) => ({ code: s.id, label: s.text }))));
  if (q.kind === "text") {
    await page.fill("#maxLength", String(q.maxLength));
    await page.fill("#rows", String(q.rows));
  }
  if (q.kind === "number") {
    if (q.min !== undefined) await page.fill("#min", String(q.min));
    if (q.max !== undefined) await page.fill("#max", String(q.max));
    await page.check(`input[name="integer"][value="${q.integer ? "yes" : "no"}"]`);
    if (q.suffix) await page.fill("#suffix", q.suffix);
  }
  await condition(page, q.showIf);
  await submit(page, "Save question");
}

/** Answer whatever a page asks with its first choices, as a quick respondent would. */
async function answerPage(page: Page) {
  const form = page.locator("main form").first();
  for (const kind of ["radio", "checkbox"]) {
    const names = new Set(
      await form
        .locator(`input[type=${kind}]:visible`)
        .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).name)),
    );
    for (const name of names) await form.locator(`input[type=${kind}][name="${name}"]`).first().check();
  }
  for (const box of await form.locator("textarea:visible").all()) await box.fill("A comment");
  for (const box of await form.locator('input[type=text]:visible:not([name="website"])').all())
    await box.fill("1");
  await Promise.all([page.waitForLoadState("load"), form.getByRole("button", { name: "Continue" }).click()]);
}

describe("the builder in a browser", () => {
  it("builds the seed's questionnaire without seeing its JSON, previews it, and saves what the seed describes", async () => {
    const officer = await addOfficer(suite.t, "editor", "builder-test@example.gov.uk");
    const page = await suite.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(suite.url("/officer"));
    await page.fill("#email", officer.email);
    await page.fill("#password", PASSWORD);
    await Promise.all([page.waitForURL("**/officer"), page.click("button[type=submit]")]);
    await axe(page, "officer home");

    await page.getByRole("button", { name: "Create a consultation" }).click();
    await page.waitForURL("**/officer/create");
    await axe(page, "create");
    await page.check('input[name="start"][value="blank"]');
    await page.fill("#title", seed.title);
    await page.fill("#slug", SLUG);
    await page.fill("#summary", seed.summary.join("\n\n"));
    await page.fill("#audience", seed.audience);
    await dateTime(page, "opens", seed.opens);
    await dateTime(page, "closes", seed.closes);
    await submit(page, "Create and start building");
    expect(page.url()).toContain(`${BASE}?saved=created`);
    await axe(page, "overview");

    await page.goto(suite.url(`${BASE}/details`));
    await axe(page, "details");
    await page.fill("#promotion", seed.promotion.join("\n"));
    await submit(page, "Save details");

    // Pages: the first one the builder made is renamed; the rest are added; conditions come last.
    const [first, ...rest] = seed.pages;
    if (!first) throw new Error("the seed has no pages");
    let current = "your-views";
    for (const p of [first, ...rest]) {
      if (p !== first) {
        await page.goto(suite.url(BASE));
        await page.fill("#new-page-title", p.title);
        await submit(page, "Add a page");
        current = (await page.locator("section[data-page]").last().getAttribute("data-page")) ?? "";
      }
      await page.goto(suite.url(`${BASE}/pages/${current}`));
      await axe(page, "page");
      await page.fill("#title", p.title);
      await page.fill("#id", p.id);
      await page.fill("#content", p.content.join("\n\n"));
      await submit(page, "Save page");
    }
    for (const p of seed.pages)
      for (const q of p.questions) if (q.kind !== "paired") await addQuestion(page, p.id, q);
    for (const p of seed.pages) {
      if (!p.showIf) continue;
      await page.goto(suite.url(`${BASE}/pages/${p.id}`));
      await condition(page, p.showIf);
      await submit(page, "Save page");
    }

    // Before-and-after sets: both halves at once, then each half put where the seed asks it.
    for (const set of seed.pairedSets) {
      const halves = seed.pages.flatMap((p) =>
        p.questions.filter((q) => q.kind === "paired" && q.set === set.id).map((q) => ({ q, page: p.id })),
      );
      const before = halves.find((h) => h.q.kind === "paired" && h.q.phase === "before");
      const after = halves.find((h) => h.q.kind === "paired" && h.q.phase === "after");
      if (!before || !after) throw new Error("a set without both halves");
      await page.goto(suite.url(BASE));
      await page.getByRole("link", { name: "Add before and after questions" }).click();
      await axe(page, "paired");
      await page.fill("#statements", lines(set.statements.map((s) => ({ code: s.id, label: s.text }))));
      await page.check(`input[name="scale"][value="${set.scale}"]`);
      await page.fill("#before", set.moments?.before ?? "");
      await page.fill("#after", set.moments?.after ?? "");
      await page.selectOption("#beforePage", before.page);
      await page.selectOption("#afterPage", after.page);
      await page.fill("#beforeText", before.q.text);
      await page.fill("#afterText", after.q.text);
      await page.check(`input[name="required"][value="${before.q.required ? "yes" : "no"}"]`);
      await page.fill("#set", set.id);
      await submit(page, "Add before and after questions");
      for (const h of [before, after]) {
        // Move each half up until it is where the seed asks it on its page.
        const target =
          seed.pages.find((p) => p.id === h.page)?.questions.findIndex((q) => q.id === h.q.id) ?? 0;
        const made = `${set.id}-${h.q.kind === "paired" ? h.q.phase : ""}`;
        await page.goto(suite.url(`${BASE}/questions/${made}`));
        await page.fill("#id", h.q.id);
        if (h.q.hint) await page.fill("#hint", h.q.hint);
        await submit(page, "Save question");
        for (;;) {
          const ids = await page
            .locator(`[data-questions="${h.page}"] [data-question]`)
            .evaluateAll((els) => els.map((e) => e.getAttribute("data-question")));
          if (ids.indexOf(h.q.id) <= target) break;
          await page.goto(suite.url(BASE));
          await page
            .locator(`#question-${h.q.id}`)
            .getByRole("button", { name: /^Move up/ })
            .click();
          await page.waitForLoadState("load");
        }
      }
    }
    await page.goto(suite.url(`${BASE}/scales`));
    await axe(page, "scales");

    const built = suite.t.services.consultations.find(SLUG)?.definition;
    const { documents: _d, ...expected } = seed as DefinitionInput & typeof seed;
    const { documents: _b, ...actual } = built ?? ({} as typeof seed);
    const minute = (iso: string) => Math.floor(Date.parse(iso) / 60_000);
    expect(minute(actual.opens ?? "")).toBe(minute(seed.opens));
    expect(minute(actual.closes ?? "")).toBe(minute(seed.closes));
    expect({ ...actual, opens: "", closes: "" }).toEqual({ ...expected, slug: SLUG, opens: "", closes: "" });

    // Preview it as a respondent, every page to the check-answers page, storing nothing.
    const responses = () =>
      (suite.t.db.prepare("SELECT count(*) AS n FROM responses").get() as { n: number }).n;
    const before = responses();
    await page.goto(suite.url(`/officer/consultations/${SLUG}/preview`));
    await axe(page, "preview start");
    expect(await page.locator("main").textContent()).toContain("Nothing you enter is stored or sent");
    await Promise.all([
      page.waitForLoadState("load"),
      page.getByRole("button", { name: "Respond online" }).click(),
    ]);
    const titles: string[] = [];
    for (let i = 0; i < seed.pages.length && !page.url().endsWith("/check"); i++) {
      titles.push((await page.locator("h1").textContent()) ?? "");
      await axe(page, "preview page");
      await answerPage(page);
    }
    expect(page.url()).toMatch(/\/preview\/check$/);
    await axe(page, "preview check");
    // Every page not behind a condition the first answers left closed was shown, in order.
    expect(titles).toEqual(seed.pages.filter((p) => !p.showIf).map((p) => p.title));
    await Promise.all([
      page.waitForLoadState("load"),
      page.getByRole("button", { name: "Send response" }).click(),
    ]);
    expect(await page.locator("h1").textContent()).toBe("End of the preview");
    expect(responses()).toBe(before);
    expect(errors).toEqual([]);
    expect(problems).toEqual([]);
  }, 240_000);
});

describe("the builder's drag and drop", () => {
  it("moves a question by dragging it, and the order is saved", async () => {
    const officer = await addOfficer(suite.t, "editor", "dragger@example.gov.uk");
    const [source] = suite.t.services.consultations.overview();
    if (!source) throw new Error("no consultation");
    const def = structuredClone(source.definition);
    def.slug = "drag-test";
    const page = def.pages.find(
      (p) => p.questions.length >= 2 && !p.questions.some((q) => q.kind === "paired"),
    );
    if (!page) throw new Error("no page with two questions");
    suite.t.services.consultations.store(def, { stage: "draft" });
    const [a, b] = page.questions.map((q) => q.id);
    const browserPage = await suite.newPage();
    await browserPage.goto(suite.url("/officer/consultations/drag-test/build"));
    await browserPage.fill("#email", officer.email);
    await browserPage.fill("#password", PASSWORD);
    await Promise.all([browserPage.waitForURL("**/build"), browserPage.click("button[type=submit]")]);
    await Promise.all([
      browserPage.waitForURL(/saved=order/),
      browserPage
        .locator(`#question-${b}`)
        .dragTo(browserPage.locator(`#question-${a}`), { targetPosition: { x: 5, y: 2 } }),
    ]);
    const saved = suite.t.services.consultations
      .find("drag-test")
      ?.definition.pages.find((p) => p.id === page.id);
    expect(saved?.questions.slice(0, 2).map((q) => q.id)).toEqual([b, a]);
  }, 60_000);
});

describe("the builder's documents, import and publishing pages", () => {
  it("is axe-clean on each, before and after a refused and an accepted form", async () => {
    const officer = await addOfficer(suite.t, "editor", "documents@example.gov.uk");
    const [source] = suite.t.services.consultations.overview();
    if (!source) throw new Error("no consultation");
    const def = structuredClone(source.definition);
    def.slug = "documents-test";
    def.documents = [];
    suite.t.services.consultations.store(def, { stage: "draft" });
    const base = "/officer/consultations/documents-test/build";
    const page = await suite.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(suite.url(`${base}/documents`));
    await page.fill("#email", officer.email);
    await page.fill("#password", PASSWORD);
    await Promise.all([page.waitForURL("**/documents"), page.click("button[type=submit]")]);
    const found: string[] = [];
    const check = async (name: string) => {
      const text = formatViolations(name, await axeViolations(page));
      if (text) found.push(text);
    };
    const press = async (button: string) => {
      await Promise.all([
        page.waitForLoadState("load"),
        page.getByRole("button", { name: button, exact: true }).click(),
      ]);
    };

    await check("documents");
    await press("Add document");
    expect(await page.locator(".govuk-error-summary").count()).toBe(1);
    await check("documents, refused");
    await page.fill("#title", "Draft strategy (PDF)");
    await page.setInputFiles("#file", {
      name: "strategy.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    });
    await press("Add document");
    expect(await page.locator(".govuk-error-summary").count()).toBe(0);
    await page.goto(suite.url(`${base}/documents`));
    expect(await page.locator("main").textContent()).toContain("Draft strategy (PDF)");
    await check("documents, with one");

    await page.goto(suite.url(`${base}/import`));
    await check("import");
    await press("Import");
    expect(await page.locator(".govuk-error-summary").count()).toBe(1);
    await check("import, no file");
    await page.setInputFiles("#file", {
      name: "definition.json",
      mimeType: "application/json",
      buffer: Buffer.from('{"title": 5}'),
    });
    await press("Import");
    expect(await page.locator(".govuk-error-summary").count()).toBe(1);
    // Each message beside the file field is read out with it.
    const describedBy = (await page.locator("#file").getAttribute("aria-describedby")) ?? "";
    expect(describedBy).not.toBe("");
    for (const id of describedBy.split(" "))
      expect(await page.locator(`#${id}.govuk-error-message`).count()).toBe(1);
    await check("import, refused");

    await page.goto(suite.url(`${base}/publication`));
    await check("publishing responses");
    await press("Save");
    expect(await page.locator(".govuk-error-summary").count()).toBe(0);
    await page.goto(suite.url(`${base}/publication`));
    await check("publishing responses, saved");
    expect(found).toEqual([]);
  }, 120_000);
});
