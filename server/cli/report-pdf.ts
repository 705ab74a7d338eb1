/** Debian's chromium by default (never a browser downloaded by `playwright install`). */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** Headless, sandbox-free (containers) and silent on the network: it prints one local page. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-dev-shm-usage",
];

// A4 is 210mm wide; with 15mm margins the text is 180mm, 680 CSS pixels at 96 per inch. Charts are
// drawn at that width (and twice the pixel density), so the printed page does not rescale them.
const TEXT_WIDTH_PX = 680;
const A4_HEIGHT_PX = 1123;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/**
 * Print a standalone report page (views/report/report.ejs, standalone) to an A4 PDF with the
 * report's name and page numbers in the footer. Waits until every chart has been drawn.
 */
export async function printPdf(
  html: string,
  out: string,
  opts: { footer: string; chromiumPath?: string; timeoutMs?: number },
): Promise<void> {
  // Loaded only when a PDF is asked for, so that every other command starts without it.
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: opts.chromiumPath ?? DEFAULT_CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    const context = await browser.newContext({
      viewport: { width: TEXT_WIDTH_PX, height: A4_HEIGHT_PX },
      deviceScaleFactor: 2,
      javaScriptEnabled: true,
    });
    // The page is ours and self-contained: refuse anything it might try to fetch.
    await context.route(/^(?!data:|about:)/, (route) => route.abort());
    const page = await context.newPage();
    await page.emulateMedia({ media: "print" });
    await page.setContent(html, { waitUntil: "load", timeout: opts.timeoutMs ?? 30_000 });
    await page.waitForFunction(
      () => {
        const chart = (window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } }).Chart;
        const canvases = [...document.querySelectorAll<HTMLCanvasElement>("[data-chart] canvas")];
        return canvases.length === 0 || (chart !== undefined && canvases.every((c) => chart.getChart(c)));
      },
      undefined,
      { timeout: opts.timeoutMs ?? 30_000 },
    );
    await page.pdf({
      path: out,
      format: "A4",
      printBackground: true,
      margin: { top: "18mm", bottom: "20mm", left: "15mm", right: "15mm" },
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: `<div style="width:100%;padding:0 15mm;font:8pt arial,sans-serif;color:#505a5f;display:flex;justify-content:space-between"><span>${escapeHtml(
        opts.footer,
      )}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
    });
  } finally {
    await browser.close();
  }
}
