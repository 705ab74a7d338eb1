import { describe, expect, it } from "vitest";
import type { ConsultationRow } from "../../db/consultations.js";
import { summaryCsv } from "../../server/services/summary-export.js";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import { addLetterCampaign as addCampaign, LETTER_TEXT as LETTER } from "../support/letter-campaign.js";
import { type Agent, signedInAs } from "../support/officer.js";

/**
 * Issue 12 item 5 through the comment themes: a response set aside as spam or a duplicate leaves
 * every themes figure (the workbench, theme counts on the dashboard, in the CSV and the report, the
 * theme x group table, quotes, rule matches, the codebook's tag counts, the model's training data
 * and its accepted suggestions) and comes back whole when restored.
 */
const CP = "commissioning-procurement-2015";
const Q = "disagree-reasons";
const BASE = `/officer/consultations/${CP}`;
const THEME = "Communication of messages";
/** A demo comment coded to THEME and picked by the demo's officers as one of its quotes. */
const PHRASE = "Written at very high, strategic level";
const officer = { id: 1, name: "Pat" };

function setup() {
  const t = buildTestApp();
  const row = t.services.consultations.find(CP);
  if (!row) throw new Error("no demo");
  const found = t.db
    .prepare(
      `SELECT c.id, r.reference FROM comments c JOIN responses r ON r.id = c.response_id
         JOIN answers a ON a.response_id = c.response_id AND a.item_id = c.item_id
        WHERE c.consultation_id = ? AND a.text_value LIKE ?`,
    )
    .get(row.id, `${PHRASE}%`) as { id: number; reference: string };
  const themeId = t.services.themes.codebook(row).find((x) => x.name === THEME)?.id ?? -1;
  // A theme whose rule matches that comment (and others), for the rule preview.
  const ruleTheme = t.services.themes.create(
    row,
    { name: "Level of detail", description: "", parentId: null, questions: [Q], rules: "strategic" },
    officer,
  );
  return { t, row, commentId: found.id, reference: found.reference, themeId, ruleTheme };
}

type Setup = ReturnType<typeof setup>;

/** Every themes figure the set-aside response could reach, read through the services and pages. */
async function figures(s: Setup, agent: Agent) {
  const { t, row, commentId, themeId } = s;
  const themes = t.services.themes;
  const page = { limit: 500, offset: 0 };
  const listed = (q: Parameters<typeof themes.workbench>[1]) => {
    const found = themes.workbench(row, q, page);
    return { total: found.total, has: found.rows.some((r) => r.id === commentId) };
  };
  const [result] = themes.results(row, null, "organisation-size");
  const theme = result?.themes.find((x) => x.themeId === themeId);
  const section = t.services.report.current(row).report.sections.find((x) => x.kind === "themes");
  const reported = themes.reportThemes(row).find((x) => x.label === THEME);
  const codebook = themes.codebook(row).find((x) => x.id === themeId);
  const status = t.services.suggestions.status(row, Q).themes.find((x) => x.id === themeId);
  const rules = await themes.ruleMatches(row, s.ruleTheme);
  const workbenchPage = await agent.get(`${BASE}/comments/${Q}`).expect(200);
  const themePage = await agent.get(`${BASE}/comments/${Q}?theme=${themeId}`).expect(200);
  const dashboard = await agent.get(BASE).expect(200);
  const csv = summaryCsv(t.services.results, row, undefined, themes);
  return {
    workbench: {
      all: listed({ question: Q, filters: [] }),
      theme: listed({ question: Q, filters: [], themeId }),
      search: listed({ question: Q, filters: [], search: "strategic" }),
      confirmed: listed({ question: Q, filters: [], reviewed: false }),
      selectionCount: themes.selectionCount(row, { question: Q, filters: [], themeId }),
      pageShowsIt: workbenchPage.text.includes(PHRASE),
      themePageShowsIt: themePage.text.includes(PHRASE),
    },
    count: theme?.count,
    commented: result?.commented,
    groupTotal: result?.byGroup?.columns.reduce(
      (n, c) => n + (c.cells.find((x) => x.themeId === themeId)?.count ?? 0),
      0,
    ),
    quoted: (result?.quotes[themeId] ?? []).some((q) => q.startsWith(PHRASE)),
    dashboardQuotesIt: dashboard.text.includes(PHRASE),
    csvRow: csv
      .split("\r\n")
      .find((l) => l.includes(`,${THEME},`))
      ?.replace(/^.*?,Communication/, "Communication"),
    reportLine: section?.list?.find((l) => l.startsWith(THEME)),
    reportCoding: reported?.coding,
    codebook: { tags: codebook?.tags, confirmed: codebook?.confirmed },
    suggestionExamples: status?.confirmed,
    ruleMatches: { n: rules.length, has: rules.some((r) => r.id === commentId) },
  };
}

async function act(agent: Agent, reference: string, action: "mark" | "restore") {
  const page = await agent.get(`${BASE}/responses/${reference}`).expect(200);
  const fields = action === "mark" ? { kind: "spam", reason: "Advertising" } : {};
  await agent
    .post(`${BASE}/responses/${reference}/${action}`)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), ...fields })
    .expect(303);
}

/** The comment ids the stored model learned from. */
function trainedOn(t: TestApp, row: ConsultationRow): Set<number> {
  const training = t.db
    .prepare("SELECT training FROM theme_models WHERE consultation_id = ? ORDER BY id DESC LIMIT 1")
    .pluck()
    .get(row.id) as string;
  return new Set((JSON.parse(training) as [number, number, number][]).map((d) => d[0]));
}

describe("a response set aside as spam or a duplicate, in the comment themes", () => {
  it("leaves every themes figure and list, and restoring it brings it back", {
    timeout: 120_000,
  }, async () => {
    const s = setup();
    const agent = await signedInAs(s.t, "admin");
    const before = await figures(s, agent);
    // The comment is in every list and count to begin with.
    expect(before.workbench.all.has && before.workbench.theme.has && before.workbench.search.has).toBe(true);
    expect(before.workbench.pageShowsIt && before.workbench.themePageShowsIt).toBe(true);
    expect(before.count).toBe(7);
    expect(before.groupTotal).toBeGreaterThan(0);
    expect(before.quoted && before.dashboardQuotesIt).toBe(true);
    expect(before.ruleMatches.has).toBe(true);
    expect(before.csvRow).toMatch(/^Communication of messages,7,22,/);
    expect(before.reportLine).toBe("Communication of messages: 7 comments (32% of the 22 who commented)");

    await act(agent, s.reference, "mark");
    const marked = await figures(s, agent);
    const less = (w: { total: number }) => ({ total: w.total - 1, has: false });
    expect(marked).toEqual({
      workbench: {
        all: less(before.workbench.all),
        theme: less(before.workbench.theme),
        search: less(before.workbench.search),
        confirmed: { total: before.workbench.confirmed.total - 1, has: false },
        selectionCount: before.workbench.selectionCount - 1,
        pageShowsIt: false,
        themePageShowsIt: false,
      },
      count: 6,
      commented: 21,
      groupTotal: (before.groupTotal ?? 0) - 1,
      quoted: false,
      dashboardQuotesIt: false,
      csvRow: expect.stringMatching(/^Communication of messages,6,21,/),
      reportLine: "Communication of messages: 6 comments (29% of the 21 who commented)",
      reportCoding: { ...before.reportCoding, officer: (before.reportCoding?.officer ?? 0) - 1 },
      codebook: { tags: (before.codebook.tags ?? 0) - 1, confirmed: (before.codebook.confirmed ?? 0) - 1 },
      suggestionExamples: (before.suggestionExamples ?? 0) - 1,
      ruleMatches: { n: before.ruleMatches.n - 1, has: false },
    });

    // The model neither learns from it nor suggests a theme for it, and accepting every suggestion
    // of a theme does not reach it.
    await s.t.services.suggestions.train(s.row);
    expect(trainedOn(s.t, s.row).has(s.commentId)).toBe(false);
    expect(trainedOn(s.t, s.row).size).toBeGreaterThan(0);
    const suggested = s.t.db
      .prepare("SELECT count(*) FROM tags WHERE comment_id = ? AND source = 'model'")
      .pluck()
      .get(s.commentId);
    expect(suggested).toBe(0);
    // A suggestion written before it was set aside is not accepted with the rest of its theme's.
    const other = s.t.services.themes.codebook(s.row).find((x) => x.name === "Service delivery")?.id ?? -1;
    const tagsOf = (themeId: number) =>
      s.t.db
        .prepare("SELECT count(*) FROM tags WHERE comment_id = ? AND theme_id = ? AND confirmed = 1")
        .pluck()
        .get(s.commentId, themeId);
    s.t.db
      .prepare(
        "INSERT INTO tags (comment_id, theme_id, source, score, confirmed, created_at) VALUES (?, ?, 'model', 0.99, 0, '2026')",
      )
      .run(s.commentId, other);
    s.t.services.suggestions.acceptAbove(s.row, other, 0.5, officer);
    expect(tagsOf(other)).toBe(0);
    // Bulk tagging a selection leaves it alone too.
    s.t.services.themes.bulkApply(
      s.row,
      { question: Q, filters: [], search: "strategic" },
      s.ruleTheme,
      officer,
    );
    expect(tagsOf(s.ruleTheme)).toBe(0);
    // Its own tags are kept, so restoring it restores its coding.
    expect(tagsOf(s.themeId)).toBe(1);

    // Undo the bulk actions and drop the model and its suggestions, so that the restored figures
    // compare with the first ones.
    for (const b of s.t.services.themes.batches(s.row))
      if (!b.undoneAt) s.t.services.themes.undoBatch(s.row, b.id, officer);
    s.t.db.prepare("DELETE FROM tags WHERE source = 'model' AND confirmed = 0").run();
    s.t.db.prepare("DELETE FROM theme_models").run();
    await act(agent, s.reference, "restore");
    expect(await figures(s, agent)).toEqual(before);
    await s.t.services.suggestions.train(s.row);
    expect(trainedOn(s.t, s.row).has(s.commentId)).toBe(true);
  });
});

describe("a campaign member set aside as spam or a duplicate", () => {
  it("leaves its campaign, which still counts once when its representative was the one set aside", {
    timeout: 120_000,
  }, async () => {
    const s = setup();
    const { t, row } = s;
    const agent = await signedInAs(t, "admin");
    const [first] = addCampaign(t, row);
    await t.services.insights.findCampaigns(row, Q, officer);
    const campaign = () => t.services.insights.campaigns(row, Q)[0];
    expect(campaign()?.count).toBe(5);
    const vcs = t.services.themes.codebook(row).find((x) => x.name === "Use of the VCS")?.id ?? -1;
    t.services.insights.codeCampaign(row, Q, campaign()?.groupId ?? -1, vcs, officer);
    const counted = () => {
      const [r] = t.services.themes.results(row, null);
      return { count: r?.themes.find((x) => x.themeId === vcs)?.count, commented: r?.commented };
    };
    t.services.insights.setCounting(row, "once", officer);
    const once = counted();
    expect(once).toEqual({ count: 6 + 1, commented: 22 + 1 });

    // The campaign's first member, whose comment stands for it, is set aside.
    await act(agent, first ?? "", "mark");
    expect(campaign()?.count).toBe(4);
    expect(campaign()?.text).toBe(`${LETTER} Thank you.`);
    expect(counted()).toEqual(once);
    t.services.insights.setCounting(row, "each", officer);
    expect(counted()).toEqual({ count: 6 + 4, commented: 22 + 4 });

    await act(agent, first ?? "", "restore");
    expect(campaign()?.count).toBe(5);
    expect(counted()).toEqual({ count: 6 + 5, commented: 22 + 5 });
    t.services.insights.setCounting(row, "once", officer);
    expect(counted()).toEqual(once);
  });
});
