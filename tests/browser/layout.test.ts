import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addOfficer, PASSWORD } from "../support/officer.js";
import { axeViolations, formatViolations, useBrowserSuite } from "./support/browser.js";

const suite = useBrowserSuite();

/** Pages whose tables were wider than their column: grids and paired sets on five-point scales. */
const PAGES = [
  { name: "the officer home", path: "/officer" },
  { name: "the dashboard", path: "/officer/consultations/strategic-plan-2022" },
  { name: "the dashboard (paired)", path: "/officer/consultations/commissioning-procurement-2015" },
  { name: "the report", path: "/officer/consultations/strategic-plan-2022/report" },
  { name: "the report (paired)", path: "/officer/consultations/commissioning-procurement-2015/report" },
];

async function signIn(page: Page) {
  const officer = await addOfficer(suite.t, "analyst", `layout-${Date.now()}@example.gov.uk`);
  await page.goto(suite.url("/officer/sign-in"));
  await page.fill("#email", officer.email);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL("**/officer"), page.click("button[type=submit]")]);
}

/** Everything wider than the box it sits in: the page itself, each table wrapper, each chart's labels. */
function overflows(page: Page) {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth)
      found.push(`the page scrolls sideways (${root.scrollWidth} px in ${root.clientWidth} px)`);
    for (const wrap of document.querySelectorAll<HTMLElement>(
      ".app-table-wrap, main table:not(.app-table-wrap table)",
    )) {
      const box = wrap.classList.contains("app-table-wrap") ? wrap : (wrap.parentElement as HTMLElement);
      if (wrap.scrollWidth > box.clientWidth + 1) {
        const label = wrap.getAttribute("aria-label") ?? wrap.querySelector("caption")?.textContent ?? "";
        found.push(`${label.trim()}: ${wrap.scrollWidth} px in ${box.clientWidth} px`);
      }
    }
    type Scale = { left: number; right: number; width: number; _labelSizes?: { widest?: { width: number } } };
    const chartApi = (
      window as unknown as {
        Chart?: { getChart(c: HTMLCanvasElement): { scales: Record<string, Scale> } | undefined };
      }
    ).Chart;
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>("[data-chart] canvas")) {
      const chart = chartApi?.getChart(canvas);
      const y = chart?.scales.y;
      const widest = y?._labelSizes?.widest?.width ?? 0;
      if (y && widest > y.width + 1)
        found.push(
          `${canvas.getAttribute("aria-label")}: labels ${Math.round(widest)} px in ${Math.round(y.width)} px`,
        );
    }
    return found;
  });
}

describe("every results table and chart fits its column", () => {
  for (const width of [1280, 390]) {
    it(`at ${width} px`, { timeout: 120_000 }, async () => {
      const page = await suite.newPage({ viewport: { width, height: 900 } });
      await signIn(page);
      const problems: string[] = [];
      for (const p of PAGES) {
        await page.goto(suite.url(p.path));
        await page.waitForFunction(
          () =>
            document.querySelectorAll("[data-chart]").length === 0 ||
            document.querySelectorAll("[data-chart] canvas[width]").length > 0,
        );
        for (const o of await overflows(page)) problems.push(`${p.name}: ${o}`);
        // The stacked tables of a phone screen keep their headers and row headers for assistive technology.
        if (width < 640) problems.push(formatViolations(p.name, await axeViolations(page)));
      }
      expect(problems.filter(Boolean).join("\n")).toBe("");
    });
  }
});

describe("charts", () => {
  it("list a scale's options in the legend in the scale's order, as the table heads them", async () => {
    const page = await suite.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page);
    await page.goto(suite.url("/officer/consultations/strategic-plan-2022"));
    await page.waitForFunction(() => document.querySelectorAll("[data-chart] canvas[width]").length > 0);
    const orders = await page.evaluate(() => {
      const chartApi = (
        window as unknown as {
          Chart: {
            getChart(c: HTMLCanvasElement): { legend: { legendItems: { text: string }[] } } | undefined;
          };
        }
      ).Chart;
      return [...document.querySelectorAll<HTMLElement>(".app-result")].flatMap((block) => {
        const canvas = block.querySelector<HTMLCanvasElement>("[data-chart] canvas");
        const spec = JSON.parse(block.querySelector("[data-chart] script")?.textContent ?? "{}") as {
          kind?: string;
        };
        if (!canvas || spec.kind !== "diverging") return [];
        const legend = chartApi.getChart(canvas)?.legend.legendItems.map((i) => i.text) ?? [];
        const heads = [...block.querySelectorAll("thead th")].map((th) => th.textContent?.trim() ?? "");
        return [{ legend, heads: heads.filter((h) => legend.includes(h)) }];
      });
    });
    expect(orders.length).toBeGreaterThan(3);
    for (const { legend, heads } of orders) {
      expect(legend.length).toBeGreaterThanOrEqual(3);
      expect(legend).toEqual(heads);
    }
  });

  it("are not shown without JavaScript, where the tables hold the figures", async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    await signIn(page);
    await page.goto(suite.url("/officer/consultations/strategic-plan-2022"));
    const charts = page.locator("[data-chart]");
    expect(await charts.count()).toBeGreaterThan(3);
    for (const chart of await charts.all()) expect(await chart.isVisible()).toBe(false);
    expect(await page.locator(".app-table--compact").first().isVisible()).toBe(true);
  });
});
