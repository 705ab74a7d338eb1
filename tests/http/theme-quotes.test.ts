import { describe, expect, it } from "vitest";
import { buildTestApp } from "../support/app.js";
import { addLetterCampaign as addCampaign, LETTER_TEXT as LETTER } from "../support/letter-campaign.js";
import { signedInAs } from "../support/officer.js";

/**
 * The representative quotes of a theme (issue 10 item 5) show one comment per campaign at most
 * (issue 13 item 6), whether a campaign counts once or once per respondent; and comments whose
 * words the retention job deleted are never quoted, and the dashboard and workbench say what
 * happened to them instead of showing a blank.
 */
const CP = "commissioning-procurement-2015";
const Q = "disagree-reasons";
const BASE = `/officer/consultations/${CP}`;
const officer = { id: 1, name: "Pat" };

function setup() {
  const t = buildTestApp();
  t.db
    .prepare(
      "INSERT OR IGNORE INTO officers (id, email, name, role, password_hash, created_at) VALUES (1, 'pat@example.gov.uk', 'Pat', 'admin', 'x', '2026')",
    )
    .run();
  const row = t.services.consultations.find(CP);
  if (!row) throw new Error("no demo");
  const vcs = t.services.themes.codebook(row).find((x) => x.name === "Use of the VCS")?.id ?? -1;
  const quotes = () => t.services.themes.results(row, null)[0]?.quotes[vcs] ?? [];
  return { t, row, vcs, quotes };
}

describe("theme quotes", () => {
  it("never quote a campaign twice, however campaigns count", { timeout: 120_000 }, async () => {
    const { t, row } = setup();
    addCampaign(t, row);
    await t.services.insights.findCampaigns(row, Q, officer);
    const campaign = t.services.insights.campaigns(row, Q)[0];
    expect(campaign?.count).toBe(5);
    // A theme with no quotes picked by an officer: its most typical comments are quoted.
    const grants = t.services.themes.create(
      row,
      { name: "Grants", description: "", parentId: null, questions: [Q], rules: "" },
      officer,
    );
    t.services.insights.codeCampaign(row, Q, campaign?.groupId ?? -1, grants, officer);
    const others = t.services.themes
      .workbench(row, { question: Q, filters: [] }, { limit: 4, offset: 5 })
      .rows.map((r) => r.id);
    for (const id of others) t.services.themes.tag(row, id, grants, "apply", officer);
    const quotes = () => t.services.themes.results(row, null)[0]?.quotes[grants] ?? [];
    const letters = (qs: string[]) => qs.filter((q) => q.startsWith(LETTER)).length;
    for (const counting of ["each", "once"] as const) {
      t.services.insights.setCounting(row, counting, officer);
      // Five near-identical letters among nine comments: the most typical, so without the rule
      // every quote would be a copy of the letter.
      expect(quotes()).toHaveLength(3);
      expect(letters(quotes())).toBe(1);
    }
    // Officer-picked quotes too: copies picked are not shown beside their representative.
    for (const id of campaign?.commentIds ?? []) t.services.themes.tag(row, id, grants, "quote", officer);
    expect(quotes()).toHaveLength(1);
    expect(letters(quotes())).toBe(1);
  });

  it("skip comments emptied by the retention policy, which the dashboard and workbench name", async () => {
    const { t, row, vcs, quotes } = setup();
    const agent = await signedInAs(t, "admin");
    const before = quotes();
    expect(before).toHaveLength(3);
    const first = before[0] ?? "";
    // What the retention job does to the words of a comment once the retention period has passed.
    t.db.prepare("UPDATE answers SET text_value = '' WHERE text_value = ?").run(first);
    t.services.themes.insightsChanged(row, null, "retention");
    const after = quotes();
    expect(after).not.toContain(first);
    expect(after).not.toContain("");
    // The demo's officers picked this theme's quotes: the others stay.
    expect(after).toEqual(before.filter((q) => q !== first));
    expect(t.services.themes.results(row, null)[0]?.themes.find((x) => x.themeId === vcs)?.count).toBe(6);

    // Emptied comments everywhere on the dashboard's latest comments and in the workbench say so.
    t.db.prepare("UPDATE answers SET text_value = '' WHERE text_value IS NOT NULL").run();
    const dashboard = await agent.get(BASE).expect(200);
    expect(dashboard.text).toContain("Removed under the retention policy");
    expect(dashboard.text).not.toMatch(/<td class="govuk-table__cell">\s*<\/td>/);
    const workbench = await agent.get(`${BASE}/comments/${Q}`).expect(200);
    expect(workbench.text).toContain("Removed under the retention policy");
    expect(workbench.text).not.toMatch(/app-comment__text">\s*<\/p>/);
    // So do the moderation queue and a response's own page, rather than a blank or "Not answered".
    const queue = await agent.get(`${BASE}/moderation/${Q}?show=all`).expect(200);
    expect(queue.text).toContain("Removed under the retention policy");
    expect(queue.text).not.toMatch(/data-original>\s*<\/p>/);
    const reference = t.db
      .prepare(
        `SELECT r.reference FROM responses r JOIN comments c ON c.response_id = r.id
          JOIN items i ON i.id = c.item_id JOIN questions q ON q.id = i.question_id
         WHERE r.consultation_id = ? AND q.question_key = ? ORDER BY r.id LIMIT 1`,
      )
      .pluck()
      .get(row.id, Q) as string;
    const response = await agent.get(`${BASE}/responses/${reference}`).expect(200);
    expect(response.text).toContain("Removed under the retention policy");
  });
});
