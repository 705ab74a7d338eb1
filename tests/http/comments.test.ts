import { describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/app.js";
import { signedInAs } from "../support/officer.js";
import { addResponse } from "../support/transfer.js";

const CP = "commissioning-procurement-2015";
const PAGE = `/officer/consultations/${CP}/comments/disagree-reasons`;

/**
 * The oracle: the references of a question's comments, newest (highest response id) first, from
 * respondents who gave every one of these (question, option) answers, read straight from SQL.
 */
function expected(t: TestApp, question: string, filters: [string, string][] = []): string[] {
  const clauses = filters.map(
    () => `AND a.response_id IN (SELECT f.response_id FROM answers f
       JOIN items fi ON fi.id = f.item_id JOIN questions fq ON fq.id = fi.question_id
       JOIN options fo ON fo.id = f.option_id
      WHERE fq.consultation_id = c.id AND fq.question_key = ? AND fo.code = ?)`,
  );
  return (
    t.db
      .prepare(
        `SELECT r.reference FROM answers a JOIN responses r ON r.id = a.response_id
           JOIN items i ON i.id = a.item_id JOIN questions q ON q.id = i.question_id
           JOIN consultations c ON c.id = q.consultation_id
          WHERE c.slug = ? AND q.question_key = ? AND a.text_value IS NOT NULL ${clauses.join(" ")}
          ORDER BY a.response_id DESC`,
      )
      .all(CP, question, ...filters.flat()) as { reference: string }[]
  ).map((r) => r.reference);
}

/** The references in the page's comments table, in order. */
function references(html: string): string[] {
  return [...html.matchAll(/class="govuk-heading-s app-comment__reference"[^>]*>\s*(SND-[0-9A-Z-]+)/g)].map(
    (m) => m[1] ?? "",
  );
}

describe("officer pages: reading comments", () => {
  it("lists every comment to a question, newest first, with how many there are", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const want = expected(t, "disagree-reasons");
    expect(want.length).toBeGreaterThan(5);
    const res = await agent.get(PAGE).expect(200);
    expect(res.text).toContain(`<strong>${want.length}</strong> comments, newest first`);
    expect(references(res.text)).toEqual(want);
    // The other questions with comments are a link away.
    expect(res.text).toContain(`href="/officer/consultations/${CP}/comments/principles-comments"`);
  });

  it("narrows the comments to respondents who gave up to three answers", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const suppliers = expected(t, "disagree-reasons", [["roles", "supplier"]]);
    const one = await agent.get(`${PAGE}?filter=roles:supplier`).expect(200);
    expect(references(one.text)).toEqual(suppliers);
    expect(one.text).toContain("Showing comments from respondents who answered");

    const both: [string, string][] = [
      ["roles", "supplier"],
      ["best-way-forward", "agree"],
    ];
    const narrower = expected(t, "disagree-reasons", both);
    const two = await agent
      .get(`${PAGE}?filter=roles:supplier&filter=best-way-forward:agree&filter=`)
      .expect(200);
    expect(references(two.text)).toEqual(narrower);
    const all = expected(t, "disagree-reasons");
    // Each filter narrows: the check above could not pass by ignoring one.
    expect(narrower.length).toBeLessThan(suppliers.length);
    expect(suppliers.length).toBeLessThan(all.length);
    // The chosen answers stay selected in the form.
    expect(two.text).toMatch(/<option value="roles:supplier" selected>/);
    expect(two.text).toMatch(/<option value="best-way-forward:agree" selected>/);
  });

  it("pages through the comments fifty at a time, keeping the filter", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    for (let i = 0; i < 60; i++)
      addResponse(t.db, CP, `SND-PAGE-${String(i).padStart(4, "0")}`, {
        roles: { codes: ["supplier"] },
        "disagree-reasons": `Paged comment ${i}`,
      });
    const want = expected(t, "disagree-reasons", [["roles", "supplier"]]);
    expect(want.length).toBeGreaterThan(60);
    const first = await agent.get(`${PAGE}?filter=roles:supplier`).expect(200);
    expect(references(first.text)).toEqual(want.slice(0, 50));
    expect(first.text).toContain("Showing 1 to 50");
    const next = /href="([^"]+)" rel="next"/.exec(first.text)?.[1]?.replaceAll("&amp;", "&");
    expect(next).toBe(`${PAGE}?filter=roles%3Asupplier&page=2`);
    const second = await agent.get(next ?? "").expect(200);
    expect(references(second.text)).toEqual(want.slice(50, 100));
    expect(second.text).toContain('rel="prev"');
    expect(second.text).not.toContain('rel="next"');
    // A page past the end (an old link) goes to the last page, keeping the filter.
    const past = await agent.get(`${PAGE}?filter=roles:supplier&page=9`).expect(303);
    expect(past.headers.location).toBe(next);
  });

  it("links to the comments from the dashboard, for the same group", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const res = await agent.get(`/officer/consultations/${CP}?filter=roles:supplier`).expect(200);
    expect(res.text).toContain(`href="${PAGE}?filter=roles%3Asupplier"`);
  });

  it("refuses a question without comments, a filter it cannot use, and more than three", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    await agent.get(`/officer/consultations/${CP}/comments/best-way-forward`).expect(404);
    await agent.get(`/officer/consultations/${CP}/comments/no-such-question`).expect(404);
    const bad = await agent.get(`${PAGE}?filter=roles:mayor`).expect(400);
    expect(bad.text).toContain("govuk-error-summary");
    expect(bad.text).toContain('href="#filter-1"');
    // The page still lists every comment beneath the error.
    expect(references(bad.text)).toEqual(expected(t, "disagree-reasons"));
    const four = "filter=roles:supplier&filter=roles:public&filter=roles:vcs&filter=roles:business";
    const tooMany = await agent.get(`${PAGE}?${four}`).expect(400);
    expect(tooMany.text).toContain("Choose at most 3 answers");
  });
});
