import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
// Debian's chromium (never one downloaded by `playwright install`) with the PDF report's flags.
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM as CHROMIUM_PATH } from "../../../server/cli/report-pdf.js";
import type { Config } from "../../../server/config.js";
import { buildTestApp, csrfFrom, type TestApp } from "../../support/app.js";
import { toForm } from "../../support/respondent.js";

/** The open demo consultation. */
export const OPEN_SLUG = "commercial-strategy-2018";

export interface RunningApp {
  t: TestApp;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real app (buildTestApp: in-memory database, demo consultations) on an ephemeral local port. */
export async function startApp(opts: { config?: Partial<Config> } = {}): Promise<RunningApp> {
  const t = buildTestApp(opts);
  const server: Server = await new Promise((resolve, reject) => {
    const s = t.app.listen(0, "127.0.0.1", (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    t,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          t.db.close();
          resolve();
        });
      }),
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface BrowserSuite {
  readonly t: TestApp;
  readonly baseUrl: string;
  readonly browser: Browser;
  url(path: string): string;
  /**
   * A page with no cookies: a new respondent. Without options it is the file's shared page, its
   * context's cookies cleared (cheaper than a new context, which starts a new renderer); with
   * options (javaScriptEnabled: false...) a new context of its own, closed after the test.
   */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * Per test file: start the app and launch chromium once (beforeAll), close the contexts a test
 * opened after it, and close chromium and the server in afterAll, so no browser process outlives
 * the file.
 */
export function useBrowserSuite(opts: { config?: Partial<Config> } = {}): BrowserSuite {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let shared: Page | undefined;
  const contexts = new Set<BrowserContext>();
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready: use the suite inside tests`);
    return value;
  };
  const newContext = (options?: BrowserContextOptions) =>
    need(browser, "The browser").newContext({ baseURL: need(app, "The app").baseUrl, ...options });

  beforeAll(async () => {
    // A browser walking many pages posts more than a person would: lift the per-minute limit.
    [app, browser] = await Promise.all([
      startApp({ config: { answerRateLimit: 10_000, ...opts.config } }),
      launchBrowser(),
    ]);
  });
  afterEach(async () => {
    await Promise.all([...contexts].map((c) => c.close()));
    contexts.clear();
  });
  afterAll(async () => {
    await Promise.all([...contexts].map((c) => c.close()));
    await shared?.context().close();
    await browser?.close();
    await app?.close();
  });

  return {
    get t() {
      return need(app, "The app").t;
    },
    get baseUrl() {
      return need(app, "The app").baseUrl;
    },
    get browser() {
      return need(browser, "The browser");
    },
    url(path: string) {
      return `${need(app, "The app").baseUrl}${path}`;
    },
    async newPage(options?: BrowserContextOptions) {
      if (options) {
        const context = await newContext(options);
        contexts.add(context);
        return context.newPage();
      }
      if (shared && !shared.isClosed()) {
        await shared.context().clearCookies();
        await shared.goto("about:blank");
        return shared;
      }
      shared = await (await newContext()).newPage();
      return shared;
    },
  };
}

/** Wait until govuk-frontend (loaded by /js/init.js) has initialised every component on the page. */
export async function frontendReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.body.classList.contains("js-enabled") &&
      [...document.querySelectorAll("[data-module]")].every((el) =>
        el.hasAttribute(`data-${el.getAttribute("data-module")}-init`),
      ),
    undefined,
    { timeout: 5_000 },
  );
}

// ---------------------------------------------------------------------------
// Answering through the browser's own cookie jar (context.request shares it)
// ---------------------------------------------------------------------------

type Fields = Record<string, string | string[]>;

/**
 * Post a form the way the page's own form would: read the page for its CSRF token, then post.
 * Used to put a draft in the state a test needs without walking every page in the browser.
 */
export async function postForm(
  request: APIRequestContext,
  formPage: string,
  action: string,
  fields: Fields = {},
): Promise<number> {
  const form = await request.get(formPage);
  if (!form.ok()) throw new Error(`GET ${formPage} gave HTTP ${form.status()}: no form to post`);
  const html = await form.text();
  const res = await request.post(action, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: toForm({ _csrf: csrfFrom(html), ...fields }),
    maxRedirects: 0,
  });
  return res.status();
}

/** Start a new draft response to a consultation, as "Respond online" does. */
export async function startDraft(request: APIRequestContext, slug = OPEN_SLUG): Promise<void> {
  const status = await postForm(request, `/consultations/${slug}`, `/consultations/${slug}/start`);
  if (status !== 303) throw new Error(`Starting a response to ${slug} gave HTTP ${status}`);
}

/** Answer one questionnaire page of the current draft. */
export async function answerPage(
  request: APIRequestContext,
  pageId: string,
  fields: Fields,
  slug = OPEN_SLUG,
): Promise<void> {
  const path = `/consultations/${slug}/respond/${pageId}`;
  const status = await postForm(request, path, path, fields);
  if (status !== 303) throw new Error(`Answering ${pageId} gave HTTP ${status}`);
}

// ---------------------------------------------------------------------------
// axe-core
// ---------------------------------------------------------------------------

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

const require = createRequire(import.meta.url);
/**
 * axe-core's source, evaluated in the page rather than added with page.addScriptTag({ path }):
 * addScriptTag inserts an inline <script>, which the app's Content Security Policy
 * (script-src 'self', no 'unsafe-inline') rightly blocks. page.evaluate runs through the
 * DevTools protocol, which CSP does not govern, so the page is audited exactly as a resident
 * receives it, with its CSP still in force (no bypassCSP context needed).
 */
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
export interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** WCAG's rules and axe's best practices (landmarks, one main, unique region names...). */
export const WCAG_AND_BEST_PRACTICE = [...WCAG_TAGS, "best-practice"];

/** Run axe-core on the page as it stands, for WCAG 2.0, 2.1 and 2.2 A and AA rules (or other tags). */
export async function axeViolations(page: Page, tags: string[] = WCAG_TAGS): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const results = await axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    // Only what the report needs crosses back to Node.
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  }, tags);
}

/** A readable report: one block per rule, with its impact and every offending element's selector. */
export function formatViolations(where: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return "";
  const blocks = violations.map((v) => {
    const nodes = v.nodes.map((n) => {
      // "Fix any of the following:\n  reason\n  reason": the reasons, on one line.
      const reasons = (n.failureSummary ?? "").split("\n").slice(1);
      const summary = reasons
        .map((r) => r.trim())
        .filter(Boolean)
        .join("; ")
        .slice(0, 300);
      return `    - ${n.target.map(String).join(" > ")}\n      ${n.html.slice(0, 160)}${summary ? `\n      ${summary}` : ""}`;
    });
    return `  [${v.impact ?? "unknown"}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join("\n")}`;
  });
  return `axe-core found ${violations.length} WCAG violation(s) on ${where}:\n${blocks.join("\n")}`;
}
