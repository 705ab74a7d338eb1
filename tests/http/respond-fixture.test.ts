import { describe, expect, it } from "vitest";
import { ConsultationRepository } from "../../db/consultations.js";
import { buildTestApp, scoped } from "../support/app.js";
import { FIXTURE_SLUG, fixtureDefinition } from "../support/import-fixture.js";
import { Respondent } from "../support/respondent.js";

/** The import fixture consultation (every question kind, its own scales) answered online. */
function fixtureApp() {
  const t = buildTestApp({ now: new Date("2026-06-01T10:00:00Z") });
  new ConsultationRepository(t.db).save(fixtureDefinition());
  return t;
}

describe('"Other, please specify" on the answer page (#9 item 8)', () => {
  it("puts the box in a conditional reveal under its own checkbox", async () => {
    const t = fixtureApp();
    const r = new Respondent(t, FIXTURE_SLUG);
    await r.start();
    const page = await r.agent.get(`/consultations/${FIXTURE_SLUG}/respond/about-you`).expect(200);
    const reveal =
      /<div class="govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden" id="conditional-([^"]+)">([\s\S]*?)<\/div>\s*<\/div>/.exec(
        page.text,
      );
    expect(reveal?.[2]).toContain('name="visitor-other"');
    expect(page.text).toContain(`data-aria-controls="conditional-${reveal?.[1]}"`);
    expect(page.text).toMatch(new RegExp(`id="${reveal?.[1]}" name="visitor" type="checkbox" value="other"`));
  });

  it("refuses text typed in the box without ticking the option, keeping what was typed", async () => {
    const t = fixtureApp();
    const r = new Respondent(t, FIXTURE_SLUG);
    await r.start();
    const res = await r.answer("about-you", {
      visitor: ["alone"],
      "visitor-other": "My grandad",
      ward: "ward-2",
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain(
      "Select &#34;Someone else&#34; if you want to tell us about it, or delete the text",
    );
    expect(res.text).toContain('href="#visitor-other"');
    expect(res.text).toContain('value="My grandad"');
    expect(scoped(t.db, FIXTURE_SLUG).draftJson()).toBe("{}");
    // Ticked, the same text is kept, with its line ends and control characters cleaned.
    const ok = await r.answer("about-you", {
      visitor: ["alone", "other"],
      "visitor-other": "My\u0000 grandad",
      ward: "ward-2",
    });
    expect(ok.status).toBe(303);
    expect(JSON.parse(scoped(t.db, FIXTURE_SLUG).draftJson() ?? "{}")).toMatchObject({
      visitor: { codes: ["alone", "other"], other: "My grandad" },
    });
  });
});
