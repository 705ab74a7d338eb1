import { describe, expect, it } from "vitest";
import { buildTestApp, csrfFrom } from "../support/app.js";
import { signedInAs } from "../support/officer.js";

const CP = "commissioning-procurement-2015";
const PAGE = `/officer/consultations/${CP}/comments/disagree-reasons`;

/** The workbench's suggestions panel, through the real routes, on the demo's own coding. */
describe("officer pages: theme suggestions in the workbench", () => {
  it("says what each theme needs, learns on request, shows the agreement, and refuses a bad score", {
    timeout: 180_000,
  }, async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const first = await agent.get(PAGE).expect(200);
    expect(first.text).toContain("Suggested themes");
    expect(first.text).toContain("No suggestions yet");
    // The demo's "delivery model" theme has 3 confirmed comments.
    expect(first.text).toContain("Needs 2 more confirmed comments before Sounding suggests it");
    expect(first.text).not.toContain("The model is least sure first");

    await agent
      .post(`${PAGE}/suggestions/train`)
      .type("form")
      .send({ _csrf: csrfFrom(first.text) })
      .expect(303)
      .expect("Location", `${PAGE}#suggestions`);
    const row = t.services.consultations.find(CP);
    if (!row) throw new Error("no demo");
    await t.services.suggestions.train(row);
    const after = await agent.get(`${PAGE}?order=unsure`).expect(200);
    expect(after.text).toMatch(/Suggestions learned from 22 confirmed tags/);
    expect(after.text).toMatch(/Agreement with officers: F1/);
    expect(after.text).toMatch(/over 22 comments, 7 with the theme/);
    expect(after.text).toContain("What these figures mean");
    expect(after.text).toContain("those the model is least sure about first");
    // The dashboard shows the agreement beside the theme counts.
    const dashboard = await agent.get(`/officer/consultations/${CP}`).expect(200);
    expect(dashboard.text).toContain("How the comments were coded");
    expect(dashboard.text).toContain("Agreement of the model's suggestions with the officers");

    const themeId = t.services.themes.codebook(row)[0]?.id ?? -1;
    const bad = await agent
      .post(`${PAGE}/suggestions/accept`)
      .type("form")
      .send({ _csrf: csrfFrom(after.text), themeId: String(themeId), minScore: "lots" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Enter a score from 0 to 1, such as 0.8");
    const other = await agent
      .post(`${PAGE}/suggestions/accept`)
      .type("form")
      .send({ _csrf: csrfFrom(after.text), themeId: "999999", minScore: "0.5" });
    expect(other.status).toBe(404);
  });
});
