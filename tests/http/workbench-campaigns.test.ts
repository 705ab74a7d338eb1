import { describe, expect, it } from "vitest";
import { buildTestApp, count, csrfFrom } from "../support/app.js";
import { addCampaign } from "../support/campaign.js";
import { signedInAs } from "../support/officer.js";

const CP = "commissioning-procurement-2015";
const WORKBENCH = `/officer/consultations/${CP}/comments/disagree-reasons`;
const copiesShown = (html: string) => html.split("voluntary groups cannot bid").length - 1;
const tagged = (t: ReturnType<typeof buildTestApp>, theme: number) =>
  count(
    t.db,
    `SELECT count(*) AS n FROM tags g JOIN campaign_members m ON m.comment_id = g.comment_id
      WHERE g.theme_id = ? AND g.confirmed = 1`,
    theme,
  );

describe("officer pages: campaigns in the workbench list", () => {
  it("lists a campaign once with its count, and codes all its copies as one undoable batch", async () => {
    const t = buildTestApp();
    addCampaign(t);
    const agent = await signedInAs(t, "officer");
    const before = await agent.get(WORKBENCH).expect(200);
    // Before anyone looks for campaigns, every copy is listed.
    expect(copiesShown(before.text)).toBe(6);
    const total = Number(/<strong>([\d,]+)<\/strong> comments/.exec(before.text)?.[1]);
    const insights = await agent.get(`${WORKBENCH}/insights`);
    await agent
      .post(`${WORKBENCH}/insights/campaigns`)
      .type("form")
      .send({ _csrf: csrfFrom(insights.text) })
      .expect(303);
    const group = count(t.db, "SELECT group_id AS n FROM campaign_members LIMIT 1");

    const page = await agent.get(WORKBENCH).expect(200);
    expect(copiesShown(page.text)).toBe(1);
    expect(page.text).toContain("Sent by 6");
    expect(page.text).toContain(
      `<strong>${total}</strong> comments, newest first, each campaign of near-identical comments listed once: ${total - 5} in the list`,
    );
    expect(page.text).toContain(`Apply a theme to all ${total} of these comments`);
    expect(page.text).toContain(`action="${WORKBENCH}/campaigns/${group}"`);
    // Narrowed by a search that finds every copy: still once.
    const searched = await agent
      .get(`${WORKBENCH}?search=${encodeURIComponent('"grants programme"')}`)
      .expect(200);
    expect(copiesShown(searched.text)).toBe(1);
    expect(searched.text).toContain("Sent by 6");

    const theme = count(t.db, "SELECT id AS n FROM themes WHERE name = 'Use of the VCS'");
    const post = (url: string, body: Record<string, string>) =>
      agent
        .post(url)
        .type("form")
        .send({ _csrf: csrfFrom(page.text), ...body });
    // No theme chosen: the error summary, beside the campaign, nothing tagged.
    const none = await post(`${WORKBENCH}/campaigns/${group}`, { themeId: "" });
    expect(none.status).toBe(400);
    expect(none.text).toContain("govuk-error-summary");
    expect(none.text).toContain(`href="#campaign-${group}"`);
    expect(none.text).toContain("Choose a theme to apply to the whole campaign");
    // Another consultation's theme, or no such campaign: 404, nothing tagged.
    const elsewhere = t.services.consultations.find("commercial-strategy-2018");
    if (!elsewhere) throw new Error("no demo");
    const otherTheme = t.services.themes.create(
      elsewhere,
      { name: "Elsewhere", description: "", parentId: null, questions: [], rules: "" },
      { id: 1, name: "Test" },
    );
    expect((await post(`${WORKBENCH}/campaigns/${group}`, { themeId: String(otherTheme) })).status).toBe(404);
    expect((await post(`${WORKBENCH}/campaigns/999999`, { themeId: String(theme) })).status).toBe(404);
    expect((await post(`${WORKBENCH}/campaigns/999999`, { themeId: "" })).status).toBe(404);
    expect(tagged(t, theme)).toBe(0);

    const done = await post(`${WORKBENCH}/campaigns/${group}`, { themeId: String(theme) });
    expect(done.status).toBe(303);
    expect(done.headers.location).toMatch(
      new RegExp(`^${WORKBENCH}\\?applied=${theme}&batch=\\d+&tagged=6$`),
    );
    expect(tagged(t, theme)).toBe(6);
    const after = await agent.get(done.headers.location ?? "").expect(200);
    expect(after.text).toContain("&#34;Use of the VCS&#34; applied to 6 comments.");
    const undo = /action="([^"]+\/batches\/\d+\/undo)"/.exec(after.text)?.[1] ?? "";
    await agent
      .post(undo)
      .type("form")
      .send({ _csrf: csrfFrom(after.text) })
      .expect(303);
    expect(tagged(t, theme)).toBe(0);
  });
});
