import { describe, expect, it } from "vitest";
import { agreement } from "../../analysis/themes/agreement.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { DoubleCodingRepository } from "../../db/double-coding.js";
import { ThemeRepository } from "../../db/themes.js";
import { DoubleCodingService } from "../../server/services/double-coding.js";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import { type Agent, signedInAs } from "../support/officer.js";

const CP = "commissioning-procurement-2015";
const WORKBENCH = `/officer/consultations/${CP}/comments/disagree-reasons`;
const PAGE = `${WORKBENCH}/double-coding`;

const demo = (t: TestApp) => {
  const row = t.services.consultations.find(CP);
  if (!row) throw new Error("no demo");
  return row;
};

/** The comment ids the page offers, in order, and the one it shows now. */
const shownComment = (html: string) => /action="[^"]*\/double-coding\/(\d+)"/.exec(html)?.[1];

async function post(agent: Agent, url: string, body: Record<string, string | string[]>) {
  const page = await agent.get(PAGE);
  return agent
    .post(url)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), ...body });
}

/** The comment's confirmed themes now (the first coding). */
const confirmedThemes = (t: TestApp, commentId: number) =>
  (
    t.db
      .prepare("SELECT theme_id FROM tags WHERE comment_id = ? AND confirmed = 1")
      .pluck()
      .all(commentId) as number[]
  ).sort((a, b) => a - b);

describe("officer pages: a double-coded sample coded blind", () => {
  it("draws coded comments, lets another officer code them blind, changes no count, and shows the agreement", {
    timeout: 60_000,
  }, async () => {
    const t = buildTestApp();
    const row = demo(t);
    const countsBefore = JSON.stringify(t.services.themes.results(row, null));
    const analyst = await signedInAs(t, "analyst");
    const empty = await analyst.get(PAGE).expect(200);
    expect(empty.text).toContain("No comments have been drawn yet.");
    expect(empty.text).toContain("only 55% of the time");

    // Bad sizes: the error summary, what was typed kept, nothing drawn.
    for (const [size, message] of [
      ["lots", "Enter a whole number of comments from 1 to 200"],
      ["0", "Enter a whole number of comments from 1 to 200"],
      ["201", "Enter a whole number of comments from 1 to 200"],
    ] as const) {
      const bad = await post(analyst, `${PAGE}/sample`, { size });
      expect(bad.status, size).toBe(400);
      expect(bad.text).toMatch(/<title>Error: /);
      expect(bad.text).toContain("govuk-error-summary");
      expect(bad.text).toContain(message);
      expect(bad.text).toContain(`value="${size}"`);
    }
    expect(t.db.prepare("SELECT count(*) FROM double_code_items").pluck().get()).toBe(0);

    // An officer without the analyst's role codes but does not draw.
    const second = await signedInAs(t, "officer");
    expect((await post(second, `${PAGE}/sample`, { size: "5" })).status).toBe(403);

    const drawn = await post(analyst, `${PAGE}/sample`, { size: "6" });
    expect(drawn.status).toBe(303);
    expect(drawn.headers.location).toBe(`${PAGE}?drawn=6`);
    const ids = t.db
      .prepare("SELECT comment_id FROM double_code_items ORDER BY position")
      .pluck()
      .all() as number[];
    expect(ids).toHaveLength(6);
    // Only coded comments are drawn: each has a confirmed tag or was marked reviewed.
    for (const id of ids) {
      const coded = t.db
        .prepare(
          "SELECT reviewed_at IS NOT NULL OR EXISTS (SELECT 1 FROM tags WHERE comment_id = ? AND confirmed = 1) FROM comments WHERE id = ?",
        )
        .pluck()
        .get(id, id);
      expect(coded).toBe(1);
    }

    // The blind page: the comment's text and the codebook, nothing of how it was coded.
    const blind = await second.get(PAGE).expect(200);
    expect(blind.text).toContain("6 comments are waiting for you");
    const first = Number(shownComment(blind.text));
    expect(first).toBe(ids[0]);
    const themes = t.services.themes.themesFor(row, "disagree-reasons");
    for (const theme of themes) expect(blind.text).toContain(theme.name);
    expect(blind.text).not.toContain("govuk-tag");
    expect(blind.text).not.toMatch(/suggested by|confirmed\b|Whole response/);
    const reference = t.db
      .prepare("SELECT r.reference FROM comments c JOIN responses r ON r.id = c.response_id WHERE c.id = ?")
      .pluck()
      .get(first) as string;
    expect(blind.text).not.toContain(reference);

    // Nothing ticked, or "none" with a theme: the error summary, the same comment shown again.
    const nothing = await post(second, `${PAGE}/${first}`, {});
    expect(nothing.status).toBe(400);
    expect(nothing.text).toContain("govuk-error-summary");
    expect(nothing.text).toContain("Select the themes that apply to the comment");
    const both = await post(second, `${PAGE}/${first}`, { themes: ["none", String(themes[0]?.id)] });
    expect(both.status).toBe(400);
    expect(both.text).toContain("not both");
    expect(shownComment(both.text)).toBe(String(first));
    // Another consultation's comment or theme, or a comment not in the sample: 404, nothing stored.
    const elsewhere = t.db
      .prepare(
        "SELECT c.id FROM comments c JOIN consultations k ON k.id = c.consultation_id WHERE k.slug != ? LIMIT 1",
      )
      .pluck()
      .get(CP) as number;
    expect((await post(second, `${PAGE}/${elsewhere}`, { themes: "none" })).status).toBe(404);
    expect((await post(second, `${PAGE}/${elsewhere}`, {})).status).toBe(404);
    const otherTheme = t.db
      .prepare(
        "SELECT t.id FROM themes t JOIN consultations k ON k.id = t.consultation_id WHERE k.slug != ? LIMIT 1",
      )
      .pluck()
      .get(CP) as number | undefined;
    expect((await post(second, `${PAGE}/${first}`, { themes: String(otherTheme ?? 999999) })).status).toBe(
      404,
    );
    expect(
      t.db.prepare("SELECT count(*) FROM double_code_items WHERE coded_at IS NOT NULL").pluck().get(),
    ).toBe(0);

    // The second officer agrees exactly on the first four comments and answers "none" on the rest.
    const second_: Record<number, number[]> = {};
    for (const [k, id] of ids.entries()) {
      const page = await second.get(PAGE).expect(200);
      expect(shownComment(page.text)).toBe(String(id));
      const given = k < 4 ? confirmedThemes(t, id) : [];
      second_[id] = given;
      const res = await post(second, `${PAGE}/${id}`, {
        themes: given.length ? given.map(String) : "none",
      });
      expect(res.status).toBe(303);
    }
    // Coded once only.
    expect((await post(second, `${PAGE}/${ids[0]}`, { themes: "none" })).status).toBe(404);
    const done = await second.get(PAGE).expect(200);
    expect(done.text).toContain("No comments are waiting for you");
    expect(done.text).toContain("6</strong> coded a second time");

    // The counts are the same: second codes are not tags.
    expect(JSON.stringify(t.services.themes.results(row, null))).toBe(countsBefore);

    // The agreement per theme is the analysis's own figure over the six comments.
    const view = t.services.doubleCoding.agreement(row);
    expect(view.compared).toBe(6);
    for (const theme of themes) {
      const expected = agreement(
        ids.map((id) => ({
          said: (second_[id] ?? []).includes(theme.id),
          truth: confirmedThemes(t, id).includes(theme.id),
        })),
      );
      const got = view.themes.get(theme.id);
      expect(got?.f1.value, theme.name).toBeCloseTo(expected.f1, 10);
      expect(got?.kappa.value, theme.name).toBeCloseTo(expected.kappa, 10);
      expect(got?.compared).toBe(6);
    }
    // The report's method note states the officers' agreement, from these figures, beside the model's.
    const section = t.services.report.current(row).report.sections.find((x) => x.kind === "themes");
    if (section?.kind !== "themes") throw new Error("no themes section");
    const f1s = themes.flatMap((theme) => {
      const f1 = view.themes.get(theme.id)?.f1.value;
      return f1 === undefined ? [] : [f1];
    });
    const stated = section.paragraphs.find((p) => p.includes("a second officer coded"));
    expect(stated).toContain("a random sample of 6 comments blind");
    expect(stated).toContain(`Across ${f1s.length} theme`);
    expect(stated).toContain(`from ${Math.min(...f1s).toFixed(2)} to ${Math.max(...f1s).toFixed(2)}`);
    // A large sample is worked out in a worker (forced here): pending at first, then the same figures.
    const viaWorker = new DoubleCodingService(
      new DoubleCodingRepository(t.db),
      new ThemeRepository(t.db),
      t.services.themes,
      new ConsultationRepository(t.db),
      t.services.results,
      () => t.clock.now,
      0,
    );
    expect(viaWorker.agreement(row)).toMatchObject({ compared: 0, pending: true });
    const worked = await viaWorker.agreementNow(row);
    expect(worked.compared).toBe(6);
    for (const theme of themes)
      expect(worked.themes.get(theme.id)?.f1).toEqual(view.themes.get(theme.id)?.f1);
    expect(viaWorker.agreement(row).pending).toBeUndefined();
    const workbench = await analyst.get(WORKBENCH).expect(200);
    expect(workbench.text).toContain("Agreement between two officers on a double-coded sample of 6 comments");
    expect(workbench.text).toContain(`href="${PAGE}"`);
    const dashboard = await analyst.get(`/officer/consultations/${CP}`).expect(200);
    expect(dashboard.text).toContain("Agreement between two officers on a double-coded sample of 6 comments");

    // Audited in the themes audit trail.
    const admin = await signedInAs(t, "admin");
    const audit = await admin.get(`/officer/consultations/${CP}/themes/audit`).expect(200);
    expect(audit.text).toContain("double-coded sample drawn");
    expect(audit.text).toContain("comment double-coded");
  });

  it("never gives an officer a comment they coded first", { timeout: 30_000 }, async () => {
    const t = buildTestApp();
    const row = demo(t);
    const analyst = await signedInAs(t, "analyst");
    expect((await post(analyst, `${PAGE}/sample`, { size: "3" })).status).toBe(303);
    const ids = t.db
      .prepare("SELECT comment_id FROM double_code_items ORDER BY position")
      .pluck()
      .all() as number[];
    const first = ids[0] as number;
    // The analyst marks the first drawn comment reviewed: they are now among its first coders.
    const wb = await analyst.get(WORKBENCH);
    await analyst
      .post(`${WORKBENCH}/${first}`)
      .type("form")
      .send({ _csrf: csrfFrom(wb.text), action: "reviewed" })
      .expect(303);
    const page = await analyst.get(PAGE).expect(200);
    expect(page.text).toContain("2 comments are waiting for you");
    expect(shownComment(page.text)).toBe(String(ids[1]));
    expect((await post(analyst, `${PAGE}/${first}`, { themes: "none" })).status).toBe(404);
    // Another consultation's slug with this comment: 404.
    const other = await analyst.get(
      `/officer/consultations/commercial-strategy-2018/comments/disagree-reasons/double-coding`,
    );
    expect(other.status).toBe(404);
    expect(t.services.doubleCoding.agreement(row).compared).toBe(0);
  });

  it("keeps the second codes comparable when a theme is merged into another", async () => {
    const t = buildTestApp();
    const row = demo(t);
    const analyst = await signedInAs(t, "analyst");
    expect((await post(analyst, `${PAGE}/sample`, { size: "1" })).status).toBe(303);
    const id = t.db.prepare("SELECT comment_id FROM double_code_items").pluck().get() as number;
    const [from, into] = t.services.themes.themesFor(row, "disagree-reasons");
    if (!from || !into) throw new Error("the demo has themes");
    const second = await signedInAs(t, "officer");
    expect((await post(second, `${PAGE}/${id}`, { themes: String(from.id) })).status).toBe(303);
    t.services.themes.merge(row, from.id, into.id, { id: 1, name: "Test" });
    const codes = t.db.prepare("SELECT theme_id FROM double_code_tags WHERE comment_id = ?").pluck().all(id);
    expect(codes).toEqual([into.id]);
  });
});
