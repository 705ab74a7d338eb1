import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "../support/app.js";
import { signedInAs } from "../support/officer.js";
import { commercialResident, Respondent } from "../support/respondent.js";

const CP = "commissioning-procurement-2015";

describe("results dashboard", () => {
  it("shows every question with its chart data and the table beneath, with bases", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t);
    const res = await agent.get(`/officer/consultations/${CP}`).expect(200);
    expect(res.text).toContain("<strong>43</strong> responses");
    // The roles table counts each ticked role, of the 43 respondents.
    expect(res.text).toMatch(
      /Council employee<\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Respondents">\s*16/,
    );
    expect(res.text).toContain("Base: 43 respondents who answered");
    expect(res.text).toContain("not of ticks");
    // Charts carry server-computed numbers as JSON; there is a table for every chart.
    const charts = [...res.text.matchAll(/<script type="application\/json">([^<]*)<\/script>/g)].map((m) =>
      JSON.parse(m[1] ?? "{}"),
    );
    expect(charts.length).toBeGreaterThan(8);
    expect(charts.some((c) => c.kind === "diverging")).toBe(true);
    expect(charts.some((c) => c.kind === "paired")).toBe(true);
    const figures = (res.text.match(/data-chart/g) ?? []).length;
    const tables = (res.text.match(/class="govuk-table app-table--compact[ "]/g) ?? []).length;
    expect(tables).toBeGreaterThanOrEqual(figures);
    // Before/after: the statement with the greatest shift comes first.
    expect(res.text).toMatch(
      /Before reading the strategy and after reading the strategy[\s\S]*?The Council is doing the best job/,
    );
    expect(res.text).toContain("Low base");
  });

  it("narrows every chart and table to one group", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t);
    const res = await agent.get(`/officer/consultations/${CP}?filter=roles:supplier`).expect(200);
    expect(res.text).toContain("<strong>9</strong> respondents in this group");
    expect(res.text).toContain("Supplier to the council");
    expect(res.text).toContain("a respondent can be in more than one group");
    expect(res.text).toContain("Base: 9 respondents who answered");
    expect(res.text).not.toContain("Base: 43 respondents");
    // "Responses over time" follows the filter too: its totals add up to the group.
    const timeline = /id="responses-over-time"[\s\S]*?<\/section>/.exec(res.text)?.[0] ?? "";
    expect(timeline).toContain("by channel (this group)");
    const totals = [...timeline.matchAll(/data-label="Total">\s*(\d+)/g)].map((m) => Number(m[1]));
    expect(totals.reduce((a, b) => a + b, 0)).toBe(9);
    const everyone = await agent.get(`/officer/consultations/${CP}`).expect(200);
    const all = /id="responses-over-time"[\s\S]*?<\/section>/.exec(everyone.text)?.[0] ?? "";
    expect(all).toContain("by channel (all respondents)");
    expect([...all.matchAll(/data-label="Total">\s*(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0)).toBe(43);
  });

  it("explains a filter it cannot use with the error summary", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t);
    const bad = await agent.get(`/officer/consultations/${CP}?filter=roles:mayor`).expect(400);
    expect(bad.text).toContain("govuk-error-summary");
    expect(bad.text).toContain('href="#filter"');
    const text = await agent.get(`/officer/consultations/${CP}?filter=head-office-town:x`).expect(400);
    expect(text.text).toContain("cannot be used to filter");
    const junk = await agent.get(`/officer/consultations/${CP}?filter=%3Cscript%3E`).expect(400);
    expect(junk.text).not.toContain("<script>");
  });

  it("works while a consultation is open, counting each new response", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t);
    const slug = "commercial-strategy-2018";
    const before = await agent.get(`/officer/consultations/${slug}`).expect(200);
    expect(before.text).toContain("<strong>0</strong> responses");
    // No empty charts or "low base" warnings before the first response.
    expect(before.text).toContain("No responses yet");
    expect(before.text).not.toContain("data-chart");
    expect(before.text).not.toContain("Low base");
    const r = new Respondent(t, slug);
    await r.start();
    for (const [pageId, fields] of Object.entries(commercialResident)) await r.answer(pageId, fields);
    await r.submit();
    const after = await agent.get(`/officer/consultations/${slug}`).expect(200);
    expect(after.text).toContain("<strong>1</strong> responses");
    expect(after.text).toContain("The consultation is open");
    expect(after.text).not.toContain("No responses yet");
    expect(after.text).toContain("data-chart");
  });

  it("downloads the summary tables as CSV with a BOM and unrounded shares", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const res = await agent.get(`/officer/consultations/${CP}/export/summary.csv`).buffer(true).expect(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    const text = res.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = Papa.parse<Record<string, string>>(text.slice(1), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const agree = rows.find((r) => r.question_id === "best-way-forward" && r.option_code === "(positive)");
    expect(agree?.count).toBe("22");
    expect(agree?.base).toBe("42");
    // Shares to 4 decimal places; every digit when asked.
    expect(agree?.share).toBe("0.5238");
    const full = await agent
      .get(`/officer/consultations/${CP}/export/summary.csv?precision=full`)
      .buffer(true)
      .expect(200);
    const fullAgree = Papa.parse<Record<string, string>>(full.text.slice(1), {
      header: true,
      skipEmptyLines: true,
    }).data.find((r) => r.question_id === "best-way-forward" && r.option_code === "(positive)");
    expect(Number(fullAgree?.share)).toBeCloseTo(22 / 42, 12);
    expect(
      rows.every((r) => ["share", "shift", "positive_before"].every((c) => !/\.\d{5}/.test(r[c] ?? ""))),
    ).toBe(true);
    const shift = rows.find((r) => r.item_id === "best-job" && r.option_code === "(shift)");
    expect(Number(shift?.shift)).toBeGreaterThan(0);
    expect(Number(shift?.wilcoxon_p)).toBeLessThan(0.05);
  });

  it("answers a group question that cannot split the summary with a 400 page saying why", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const res = await agent
      .get(`/officer/consultations/${CP}/export/summary.csv?groupBy=head-office-town`)
      .expect(400);
    expect(res.headers["content-type"]).toContain("text/html");
    // The message names the question (its quotes escaped by EJS).
    expect(res.text).toContain("&#34;head-office-town&#34; is not a closed question");
    expect(res.text).toContain("Nothing you sent has been stored");
    expect(t.errors).toEqual([]);
    await agent.get(`/officer/consultations/${CP}/export/summary.csv?groupBy=roles`).expect(200);
  });
});
