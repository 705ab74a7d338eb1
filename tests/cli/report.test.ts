import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runCliProcess } from "../support/cli.js";

/**
 * `npx sounding report` on the demo database: each closed demo consultation's report states the
 * figures the council published (../shared/seeds/README.md), from the demo responses.
 */
const dir = mkdtempSync(join(tmpdir(), "sounding-report-"));
const env = { SOUNDING_DB: join(dir, "report.db") };

/** The report's text as a reader sees it: tags dropped, entities decoded, spaces collapsed. */
function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<style[\s\S]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

async function report(slug: string): Promise<{ html: string; text: string }> {
  const out = join(dir, `${slug}.html`);
  const run = await runCli(["report", "--consultation", slug, "--out", out], env);
  expect(run.stderr.split("\n").filter((l) => l && !/^(Database|Loaded demo)/.test(l))).toEqual([]);
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(`Wrote the summary report of "${slug}"`);
  const html = readFileSync(out, "utf8");
  return { html, text: textOf(html) };
}

const expectAll = (text: string, sentences: string[]) => {
  for (const s of sentences) expect(text).toContain(s);
};

describe("npx sounding report: the published figures", () => {
  it("Commissioning and Procurement Strategy", { timeout: 120_000 }, async () => {
    const { html, text } = await report("commissioning-procurement-2015");
    expectAll(text, [
      "Commissioning and Procurement Strategy 2015-18",
      "43 people responded, all online.",
      // Roles: a respondent may tick several.
      "16 ticked ‘Council employee’ (37%), 14 ‘Member of the public’ (33%), 9 ‘Supplier to the council’ (21%), 4 ‘Service user’ (9%), 4 ‘Voluntary or community sector organisation’ (9%), 3 ‘Business’ (7%) and 2 ‘Other’ (5%).",
      "Respondents could tick more than one role, so the numbers add up to more than 43.",
      "Only respondents who ticked ‘Supplier to the council’ (9) were asked the questions under ‘About your organisation’.",
      // "Best way forward": published as 52.4%, 26% and 21%; whole percentages here.
      "52% of respondents agreed with the statement ‘Overall, I think the Commissioning and Procurement Strategy sets out the best way forward for the County Council’ (14% strongly), 26% neither agreed nor disagreed and 21% disagreed.",
      // Before and after: greatest shift on doing the best job, smallest on the financial challenges.
      "After reading the strategy, agreement rose for every statement.",
      // +18: the difference of the percentages shown beside it (33% to 51%), not the unrounded 18.6.
      "The greatest shift was for ‘the Council is doing the best job it can with the limited resources available’ (+18 points",
      // Each test said for what it is about; the share only called changed where every figure agrees.
      "Ratings along the whole scale moved by more than chance would explain for all 4 statements",
      "The change in the share who agreed was larger than chance would explain for ‘the Council is doing the best job it can with the limited resources available’",
      "the smallest for ‘I understand the financial challenges the Council faces’ (+4 points",
      // The principles: the enhanced commercial approach least popular.
      "The least popular principle was ‘Use an enhanced commercial approach",
    ]);
    // Comment themes: the demo's codebook and coding give the published counts.
    expect(text).toContain("Communication of messages: 7 comments");
    expect(text).toContain("Use of the VCS: 6 comments");
    // Standalone: the stylesheet and the chart scripts are inlined, nothing is fetched.
    expect(html).toContain("<style>");
    expect(html).toMatch(/<script>[\s\S]*Chart/);
    expect(html).not.toMatch(/<(?:script|link)[^>]+(?:src|href)="\/(?:vendor|js)\//);
  });

  it("Strategic Plan 2022-26", { timeout: 120_000 }, async () => {
    const { text } = await report("strategic-plan-2022");
    expectAll(text, [
      "259 people responded: 244 online, 10 on paper and 5 by email.",
      "79% of respondents agreed with the vision statement (39% strongly), 11% neither agreed nor disagreed and 10% disagreed",
      "79% of respondents agreed with the five outcomes (42% strongly)",
      "‘Improving Opportunities’: 88% agreed (58% strongly)",
      "‘Clean, Green Future’: 83% agreed (54% strongly)",
      "‘Keeping People Safe and Well’: 83% agreed (56% strongly)",
      "‘Great Communities’: 76% agreed (44% strongly)",
      "‘Strong Economy, Transport and Infrastructure’: 68% agreed (34% strongly), 17% disagreed (6% strongly).",
      "The least popular outcome was ‘Strong Economy, Transport and Infrastructure’",
      // The housing aim: 23% not at all important, 19% not very important.
      "The aim rated least important was ‘Housing development that meets the needs of a growing population’: 58% said it was important (20% very important), while 19% chose ‘Not very important’ and 23% ‘Not at all important’.",
      // The totals explained in the words that head them in the tables, not "Agree".
      "the ‘Important (total)’ column adds ‘Very important’ and ‘Fairly important’",
    ]);
    expect(text).not.toContain("the ‘Agree’ column adds ‘Very important’");
  });

  it("Communities Approach", { timeout: 120_000 }, async () => {
    const { text } = await report("communities-approach-2022");
    expectAll(text, [
      "97 people responded",
      "73% of respondents agreed with the principles set out in the draft Communities Approach, 24% were undecided and 3% disagreed.",
      "40% of respondents rated them strong, 36% neither strong nor weak and 24% weak.",
    ]);
    expect(text).toContain(
      "60% of respondents agreed with the objective to help communities to design and deliver solutions, 19% were undecided and 21% disagreed.",
    );
  });
});

describe("npx sounding report: PDF", () => {
  it("prints the Commissioning report to an A4 PDF whose pages render", { timeout: 180_000 }, async () => {
    const out = join(dir, "commissioning.pdf");
    const run = await runCli(
      ["report", "--consultation", "commissioning-procurement-2015", "--out", out],
      env,
    );
    expect(run.status, run.stderr).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(50_000);

    const png = spawnSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "2", out, join(dir, "page")], {
      encoding: "utf8",
    });
    expect(png.status, png.stderr).toBe(0);
    const pages = readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f));
    expect(pages).toHaveLength(2);
    for (const page of pages) expect(statSync(join(dir, page)).size).toBeGreaterThan(10_000);

    const info = spawnSync("pdfinfo", [out], { encoding: "utf8" });
    expect(info.stdout).toMatch(/Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)/);
    const text = spawnSync("pdftotext", [out, "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, " ");
    expect(text).toContain("Commissioning and Procurement Strategy 2015-18");
    expect(text).toContain("Consultation summary report");
    expect(text).toContain("43 people responded");
    expect(text).toContain(
      "The greatest shift was for ‘the Council is doing the best job it can with the limited resources available’",
    );
    expect(text).toMatch(/Page 1 of \d+/);
  });

  it("refuses an output that is neither HTML nor PDF, and an unknown consultation", async () => {
    // In a process of its own: main.ts turns the thrown error into a message and exit code 1.
    const bad = runCliProcess(
      ["report", "--consultation", "commissioning-procurement-2015", "--out", join(dir, "x.docx")],
      env,
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("--out must end in .html or .pdf");
    const unknown = await runCli(
      ["report", "--consultation", "no-such-thing", "--out", join(dir, "x.html")],
      env,
    );
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No consultation "no-such-thing"');
    expect(existsSync(join(dir, "x.html"))).toBe(false);
  });
});
