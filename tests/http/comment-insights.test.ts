import { describe, expect, it } from "vitest";
import { buildTestApp, count, csrfFrom } from "../support/app.js";
import { addCampaign } from "../support/campaign.js";
import { signedInAs } from "../support/officer.js";

const CP = "commissioning-procurement-2015";
const Q = "disagree-reasons";
const BASE = `/officer/consultations/${CP}/comments/${Q}/insights`;
describe("campaigns, new themes and stance", () => {
  it("groups a campaign, codes it as one, and counts it once or per respondent as the officer chooses", async () => {
    const t = buildTestApp();
    addCampaign(t);
    const agent = await signedInAs(t, "officer");
    const first = await agent.get(BASE).expect(200);
    expect(first.text).toContain("Nobody has looked for campaigns");
    await agent
      .post(`${BASE}/campaigns`)
      .type("form")
      .send({ _csrf: csrfFrom(first.text) })
      .expect(303);
    const page = await agent.get(BASE).expect(200);
    expect(page.text).toContain("Sent by 6");
    const group = count(t.db, "SELECT group_id AS n FROM campaign_members LIMIT 1");
    expect(count(t.db, "SELECT count(*) AS n FROM campaign_members WHERE group_id = ?", group)).toBe(6);
    const theme = count(t.db, "SELECT id AS n FROM themes WHERE name = 'Use of the VCS'");
    await agent
      .post(`${BASE}/campaigns/${group}`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), theme: String(theme) })
      .expect(303);
    expect(
      count(
        t.db,
        "SELECT count(*) AS n FROM tags g JOIN campaign_members m ON m.comment_id = g.comment_id WHERE g.theme_id = ? AND g.confirmed = 1",
        theme,
      ),
    ).toBe(6);
    const vcs = () => {
      const row = t.services.consultations.find(CP);
      if (!row) throw new Error("no demo");
      const r = t.services.themes.results(row, null).find((x) => x.question.id === Q);
      return { count: r?.themes.find((x) => x.themeId === theme)?.count, base: r?.commented };
    };
    const each = vcs();
    const dashboard = await agent.get(`/officer/consultations/${CP}`).expect(200);
    expect(dashboard.text).toContain("count once per respondent who sent them");
    await agent
      .post(`${BASE}/counting`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), counting: "once" })
      .expect(303);
    expect(vcs()).toEqual({ count: (each.count ?? 0) - 5, base: (each.base ?? 0) - 5 });
    const after = await agent.get(`/officer/consultations/${CP}`).expect(200);
    expect(after.text).toContain("count once in the theme counts, however many sent them");
    const csv = await agent.get(`/officer/consultations/${CP}/export/summary.csv`).expect(200);
    expect(csv.text).toContain("Themes in the comments (confirmed; a campaign counts once)");
    // Bad input changes nothing: an unknown counting, an unknown campaign, a theme of nobody.
    const bad = await agent
      .post(`${BASE}/counting`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), counting: "twice" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Choose how a campaign counts");
    await agent
      .post(`${BASE}/campaigns/999999`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), theme: String(theme) })
      .expect(404);
    await agent
      .post(`${BASE}/campaigns/${group}`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), theme: "999999" })
      .expect(404);
    expect(count(t.db, "SELECT count(*) AS n FROM campaign_settings WHERE counting = 'once'")).toBe(1);
  });

  it("suggests new themes for the uncoded comments and makes one a theme with its rule", async () => {
    const t = buildTestApp();
    addCampaign(t);
    const agent = await signedInAs(t, "officer");
    const page = await agent.get(`${BASE}?discover=1`).expect(200);
    expect(page.text).toContain("Make this a theme");
    const rule = /name="rules" value="([^"]*)"/.exec(page.text)?.[1]?.replaceAll("&#34;", '"') ?? "";
    expect(rule).not.toBe("");
    const made = await agent
      .post(`${BASE}/candidates`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), index: "0", name: "Grants for small groups", rules: rule });
    expect(made.status).toBe(303);
    const id = count(t.db, "SELECT id AS n FROM themes WHERE name = 'Grants for small groups'");
    expect(made.headers.location).toBe(`/officer/consultations/${CP}/themes/${id}/rules`);
    expect(t.db.prepare("SELECT rules, question_keys FROM themes WHERE id = ?").get(id)).toEqual({
      rules: rule,
      question_keys: JSON.stringify([Q]),
    });
    const again = await agent
      .post(`${BASE}/candidates`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), index: "0", name: "grants for small groups", rules: rule });
    expect(again.status).toBe(400);
    expect(again.text).toContain("There is already a theme called");
    expect(again.text).toContain('value="grants for small groups"');
    expect(count(t.db, "SELECT count(*) AS n FROM themes WHERE name = 'Grants for small groups'")).toBe(1);
  });

  it("works out each comment's stance and shows themes by stance on the page and the dashboard", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const page = await agent.get(BASE).expect(200);
    await agent
      .post(`${BASE}/stance`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    const comments = count(
      t.db,
      `SELECT count(*) AS n FROM comments c JOIN consultations k ON k.id = c.consultation_id
        JOIN items i ON i.id = c.item_id JOIN questions q ON q.id = i.question_id WHERE k.slug = ? AND q.question_key = ?`,
      CP,
      Q,
    );
    expect(count(t.db, "SELECT count(*) AS n FROM comment_stances")).toBe(comments);
    const shown = await agent.get(BASE).expect(200);
    expect(shown.text).toContain("Themes by stance");
    expect(shown.text).toContain("sentiment word list");
    const dashboard = await agent.get(`/officer/consultations/${CP}`).expect(200);
    expect(dashboard.text).toContain("Themes by stance");
  });
});
