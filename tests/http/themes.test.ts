import request from "supertest";
import { describe, expect, it } from "vitest";
import { buildTestApp as buildDemoApp, count, csrfFrom, type TestApp } from "../support/app.js";
import { signedInAs } from "../support/officer.js";

const CP = "commissioning-procurement-2015";
const OTHER = "strategic-plan-2022";
const Q = "disagree-reasons";
const PAGE = `/officer/consultations/${CP}/comments/${Q}`;
const CODEBOOK = `/officer/consultations/${CP}/themes`;

type Agent = Awaited<ReturnType<typeof signedInAs>>;

/** The app with the demo, less the demo's own codebook: these tests build theirs. */
function buildTestApp(): TestApp {
  const t = buildDemoApp();
  t.db
    .prepare("DELETE FROM themes WHERE consultation_id = (SELECT id FROM consultations WHERE slug = ?)")
    .run(CP);
  return t;
}

async function addTheme(agent: Agent, fields: Record<string, string | string[]>, slug = CP) {
  const page = await agent.get(`/officer/consultations/${slug}/themes`);
  return agent
    .post(`/officer/consultations/${slug}/themes`)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

const themeId = (t: TestApp, name: string) => count(t.db, "SELECT id AS n FROM themes WHERE name = ?", name);
/** A comment of the question whose text contains a phrase. */
const commentSaying = (t: TestApp, phrase: string) =>
  count(
    t.db,
    `SELECT c.id AS n FROM comments c JOIN answers a ON a.response_id = c.response_id AND a.item_id = c.item_id
      JOIN consultations k ON k.id = c.consultation_id WHERE k.slug = ? AND a.text_value LIKE ?`,
    CP,
    `%${phrase}%`,
  );
const tags = (t: TestApp) => count(t.db, "SELECT count(*) AS n FROM tags");

describe("the codebook pages", () => {
  it("adds, renames, merges and deletes themes, asking first when a theme has tags", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    expect((await addTheme(agent, { name: "Volunteers", questions: Q })).status).toBe(303);
    expect((await addTheme(agent, { name: "Use of the VCS" })).status).toBe(303);
    const dup = await addTheme(agent, { name: "volunteers", description: "typed" });
    expect(dup.status).toBe(400);
    expect(dup.text).toContain('href="#name">There is already a theme called');
    expect(dup.text).toContain(">typed</textarea>");
    const blank = await addTheme(agent, { name: "  " });
    expect(blank.text).toContain('href="#name">Enter a name for the theme');
    const badRule = await addTheme(agent, { name: "Jargon", rules: '"plain english' });
    expect(badRule.status).toBe(400);
    expect(badRule.text).toContain('href="#rules">In');
    expect(badRule.text).toContain("close the quoted phrase");

    const volunteers = themeId(t, "Volunteers");
    const vcs = themeId(t, "Use of the VCS");
    const page = await agent.get(`${CODEBOOK}/${volunteers}`).expect(200);
    const csrf = csrfFrom(page.text);
    await agent
      .post(`${CODEBOOK}/${volunteers}`)
      .type("form")
      .send({ _csrf: csrf, name: "Volunteering", questions: Q, rules: "volunteers" })
      .expect(303);
    expect(count(t.db, "SELECT count(*) AS n FROM themes WHERE name = 'Volunteering'")).toBe(1);

    // Tag a comment, then merge: the tag moves to the survivor.
    const comment = commentSaying(t, "Using the voluntary sector");
    const wb = await agent.get(PAGE).expect(200);
    await agent
      .post(`${PAGE}/${comment}`)
      .type("form")
      .send({ _csrf: csrfFrom(wb.text), action: "apply", themeId: String(volunteers) })
      .expect(303);
    await agent
      .post(`${CODEBOOK}/${volunteers}/merge`)
      .type("form")
      .send({ _csrf: csrf, into: String(vcs) })
      .expect(303);
    expect(t.db.prepare("SELECT theme_id AS theme FROM tags").all()).toEqual([{ theme: vcs }]);

    // Deleting a theme with tags asks first, and deletes nothing until confirmed.
    const ask = await agent.post(`${CODEBOOK}/${vcs}/delete`).type("form").send({ _csrf: csrf }).expect(200);
    expect(ask.text).toContain("1 comments carry this theme");
    expect(tags(t)).toBe(1);
    await agent
      .post(`${CODEBOOK}/${vcs}/delete`)
      .type("form")
      .send({ _csrf: csrf, confirm: "yes" })
      .expect(303);
    expect(count(t.db, "SELECT count(*) AS n FROM themes")).toBe(0);
    expect(tags(t)).toBe(0);
  });

  it("previews a rule's matches before applying it as unconfirmed, rule-made tags", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    await addTheme(agent, { name: "Jargon", questions: Q, rules: 'jargon\n"hard to follow"' }).then((r) =>
      expect(r.status).toBe(303),
    );
    const id = themeId(t, "Jargon");
    const preview = await agent.get(`${CODEBOOK}/${id}/rules`).expect(200);
    expect(preview.text).toContain("The rules match <strong>2</strong> comments.");
    expect(preview.text).toContain("Too much jargon.");
    expect(tags(t)).toBe(0);
    await agent
      .post(`${CODEBOOK}/${id}/rules`)
      .type("form")
      .send({ _csrf: csrfFrom(preview.text) })
      .expect(303);
    expect(t.db.prepare("SELECT source, confirmed, count(*) AS n FROM tags GROUP BY 1, 2").all()).toEqual([
      { source: "rule", confirmed: 0, n: 2 },
    ]);
    const unconfirmed = await agent.get(`${PAGE}?coding=unconfirmed`).expect(200);
    expect(unconfirmed.text).toContain("<strong>2</strong> comments match these filters");
    expect(unconfirmed.text).toContain("suggested by a rule, not counted until confirmed");
  });

  it("imports a codebook all or nothing, naming each bad line, and exports it", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const page = await agent.get(CODEBOOK);
    const upload = (csv: string | Buffer, token = csrfFrom(page.text)) =>
      agent
        .post(`${CODEBOOK}/import`)
        .field("_csrf", token)
        .attach("file", Buffer.isBuffer(csv) ? csv : Buffer.from(csv), "codebook.csv");
    const bad = await upload("name,parent,questions\nA,,\nA,,\nB,Nobody,\nC,,roles-typo\n");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("The codebook has 3 problems: nothing was imported");
    for (const reason of [
      '"A" is also the name on line 2',
      'There is no theme called "Nobody"',
      '"roles-typo" is not a question with comments',
    ])
      expect(bad.text).toContain(reason.replaceAll('"', "&#34;"));
    expect(count(t.db, "SELECT count(*) AS n FROM themes")).toBe(0);
    // A file that is not UTF-8, an empty file, no file, and a missing token: refused, nothing stored.
    const latin1 = await upload(Buffer.from("name\nCaf\xe9 culture\n", "latin1"));
    expect(latin1.status).toBe(400);
    expect(latin1.text).toContain("The file is not UTF-8");
    expect((await upload("")).text).toContain("Select a codebook CSV file");
    expect((await upload(" \n")).text).toContain("The file is empty");
    const noFile = await agent.post(`${CODEBOOK}/import`).field("_csrf", csrfFrom(page.text));
    expect(noFile.status).toBe(400);
    expect(noFile.text).toContain("Select a codebook CSV file");
    expect((await upload("name\nA\n", "forged")).status).toBe(403);
    const huge = await upload(`name\n${"A long theme name\n".repeat(70_000)}`);
    expect(huge.status).toBe(413);
    expect(huge.text).toContain("The codebook file must be smaller than 1 MB");
    expect(count(t.db, "SELECT count(*) AS n FROM themes")).toBe(0);
    const csv =
      "name,description,parent,questions,rules\nService delivery,,,disagree-reasons,\nCuts,,Service delivery,,cuts\n";
    await upload(csv).expect(303);
    const out = await agent.get(`${CODEBOOK}.csv`).expect(200);
    expect(out.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(out.text).toBe(
      `\uFEFF${csv.replaceAll("\n", "\r\n").replace("Service delivery,,,disagree-reasons,\r\nCuts,,Service delivery,,cuts", "Service delivery,,,disagree-reasons,\r\nCuts,,Service delivery,,cuts")}`,
    );
  });

  it("shows the audit trail to admins only", async () => {
    const t = buildTestApp();
    const officer = await signedInAs(t, "officer");
    await addTheme(officer, { name: "Volunteers" });
    await officer.get(`${CODEBOOK}/audit`).expect(403);
    const admin = await signedInAs(t, "admin");
    const trail = await admin.get(`${CODEBOOK}/audit`).expect(200);
    expect(trail.text).toContain("theme created");
    expect(trail.text).toContain("Test officer");
  });
});

describe("the coding workbench", () => {
  it("applies, confirms and removes themes with plain forms, coming back to the same filters", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    await addTheme(agent, { name: "Communication", questions: Q });
    const theme = themeId(t, "Communication");
    const comment = commentSaying(t, "Too much jargon");
    const url = `${PAGE}?filter=roles%3Apublic&search=jargon`;
    const page = await agent.get(url).expect(200);
    expect(page.text).toContain("<strong>1</strong> comments match these filters");
    const res = await agent
      .post(`${PAGE}/${comment}`)
      .type("form")
      .send({
        _csrf: csrfFrom(page.text),
        action: "apply",
        themeId: String(theme),
        filter: "roles:public",
        search: "jargon",
      })
      .expect(303);
    expect(res.headers.location).toBe(`${url}#comment-${comment}`);
    expect(t.db.prepare("SELECT source, confirmed FROM tags").all()).toEqual([
      { source: "officer", confirmed: 1 },
    ]);
    const after = await agent.get(`${PAGE}?theme=${theme}`).expect(200);
    expect(after.text).toContain("Too much jargon");
    // Without a theme chosen: an error beside the select, nothing stored.
    const none = await agent
      .post(`${PAGE}/${comment}`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), action: "remove", themeId: String(theme) });
    expect(none.status).toBe(303);
    expect(tags(t)).toBe(0);
    const missing = await agent
      .post(`${PAGE}/${comment}`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), action: "apply", themeId: "" });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain(`href="#apply-${comment}">Choose a theme to apply`);
  });

  it("marks comments reviewed and flags them with a note, filtering by both", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const comment = commentSaying(t, "Too much jargon");
    const page = await agent.get(PAGE);
    const post = (body: Record<string, string>) =>
      agent
        .post(`${PAGE}/${comment}`)
        .type("form")
        .send({ _csrf: csrfFrom(page.text), ...body });
    await post({ action: "reviewed" }).expect(303);
    const empty = await post({ action: "flag", note: "   " }).expect(400);
    expect(empty.text).toContain(`href="#note-${comment}">Enter a note`);
    const long = await post({ action: "flag", note: "x".repeat(1001) }).expect(400);
    expect(long.text).toContain(`>${"x".repeat(1001)}</textarea>`);
    await post({ action: "flag", note: "Ask the policy team" }).expect(303);
    const flagged = await agent.get(`${PAGE}?flagged=yes&reviewed=yes`).expect(200);
    expect(flagged.text).toContain("<strong>1</strong> comments match these filters");
    expect(flagged.text).toContain("Follow-up note: Ask the policy team");
    const notReviewed = await agent.get(`${PAGE}?reviewed=no`).expect(200);
    expect(notReviewed.text).not.toContain("Too much jargon");
  });

  it("answers fetch with the comment's new HTML, and a bad search with a message", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    await addTheme(agent, { name: "Communication" });
    const comment = commentSaying(t, "Too much jargon");
    const page = await agent.get(PAGE);
    const res = await agent
      .post(`${PAGE}/${comment}`)
      .set("Accept", "application/json")
      .type("form")
      .send({ _csrf: csrfFrom(page.text), action: "apply", themeId: String(themeId(t, "Communication")) })
      .expect(200);
    expect(res.body.id).toBe(comment);
    expect(res.body.html).toContain(`id="comment-${comment}"`);
    expect(res.body.html).toMatch(/govuk-tag--blue">Communication</);
    const bad = await agent.get(`${PAGE}?search=%22open`).expect(400);
    expect(bad.text).toContain('href="#search">Close the quoted phrase with a second quotation mark');
    const only = await agent.get(`${PAGE}?search=-paid`).expect(400);
    expect(only.text).toContain("Add a word or &#34;phrase&#34; to search for");
  });

  it("refuses a comment or theme of another consultation with a 404, storing nothing", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    await addTheme(agent, { name: "Here" });
    await addTheme(agent, { name: "There" }, OTHER);
    const here = themeId(t, "Here");
    const there = themeId(t, "There");
    const comment = commentSaying(t, "Too much jargon");
    const foreign = count(
      t.db,
      "SELECT min(c.id) AS n FROM comments c JOIN consultations k ON k.id = c.consultation_id WHERE k.slug = ?",
      OTHER,
    );
    const page = await agent.get(PAGE);
    const csrf = csrfFrom(page.text);
    const auditBefore = count(t.db, "SELECT count(*) AS n FROM theme_audit");
    for (const body of [
      { action: "apply", themeId: String(there), comment },
      { action: "apply", themeId: String(here), comment: foreign },
      { action: "reviewed", comment: foreign },
      { action: "flag", note: "x", comment: foreign },
      { action: "confirm", themeId: "999999", comment },
    ]) {
      const { comment: id, ...rest } = body;
      await agent
        .post(`${PAGE}/${id}`)
        .type("form")
        .send({ _csrf: csrf, ...rest })
        .expect(404);
    }
    await agent.post(`${CODEBOOK}/${there}/delete`).type("form").send({ _csrf: csrf }).expect(404);
    await agent.get(`${CODEBOOK}/${there}`).expect(404);
    expect(tags(t)).toBe(0);
    expect(
      count(
        t.db,
        "SELECT count(*) AS n FROM comments WHERE reviewed_at IS NOT NULL OR flagged_at IS NOT NULL",
      ),
    ).toBe(0);
    expect(count(t.db, "SELECT count(*) AS n FROM theme_audit")).toBe(auditBefore);
  });

  it("refuses a tag for the comment of a response set aside as spam or a duplicate, storing nothing", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    await addTheme(agent, { name: "Here" });
    const here = themeId(t, "Here");
    const comment = commentSaying(t, "Too much jargon");
    const reference = t.db
      .prepare("SELECT r.reference FROM responses r JOIN comments c ON c.response_id = r.id WHERE c.id = ?")
      .pluck()
      .get(comment) as string;
    const row = t.services.consultations.find(CP);
    if (!row) throw new Error("no demo");
    const admin = { id: 1, email: "admin@example.gov.uk" };
    const post = async (body: Record<string, string> = { action: "apply", themeId: String(here) }) => {
      const page = await agent.get(PAGE);
      return agent
        .post(`${PAGE}/${comment}`)
        .type("form")
        .send({ _csrf: csrfFrom(page.text), ...body });
    };
    const marked = () =>
      count(
        t.db,
        "SELECT count(*) AS n FROM comments WHERE reviewed_at IS NOT NULL OR flagged_at IS NOT NULL",
      );
    for (const kind of ["spam", "duplicate"] as const) {
      expect(t.services.records.mark(row, reference, kind, "Set aside in a test", admin)).toBe(true);
      const auditBefore = count(t.db, "SELECT count(*) AS n FROM theme_audit");
      expect((await post()).status).toBe(404);
      // Nor is it marked reviewed or flagged: it is not on the workbench.
      expect((await post({ action: "reviewed" })).status).toBe(404);
      expect((await post({ action: "flag", note: "x" })).status).toBe(404);
      expect(tags(t)).toBe(0);
      expect(marked()).toBe(0);
      expect(count(t.db, "SELECT count(*) AS n FROM theme_audit")).toBe(auditBefore);
      t.services.records.restore(row, reference, admin);
    }
    // Restored, the same comment can be tagged again.
    expect((await post()).status).toBe(303);
    expect(tags(t)).toBe(1);
  });

  it("applies a theme to everything selected after showing the count, and undoes the batch", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    await addTheme(agent, { name: "Services" });
    const theme = themeId(t, "Services");
    const confirm = await agent.get(`${PAGE}/bulk?filter=roles%3Aemployee&search=services`).expect(200);
    expect(confirm.text).toContain("Apply a theme to 3 comments");
    const csrf = csrfFrom(confirm.text);
    // A count that no longer holds is shown again, not applied.
    const stale = await agent
      .post(`${PAGE}/bulk`)
      .type("form")
      .send({
        _csrf: csrf,
        themeId: String(theme),
        expected: "4",
        filter: "roles:employee",
        search: "services",
      })
      .expect(303);
    expect(stale.headers.location).toContain("changed=1");
    expect(tags(t)).toBe(0);
    const done = await agent
      .post(`${PAGE}/bulk`)
      .type("form")
      .send({
        _csrf: csrf,
        themeId: String(theme),
        expected: "3",
        filter: "roles:employee",
        search: "services",
      })
      .expect(303);
    expect(tags(t)).toBe(3);
    const back = await agent.get(done.headers.location ?? "").expect(200);
    expect(back.text).toContain("&#34;Services&#34; applied to 3 comments.");
    const undo = /action="([^"]+\/undo)"/.exec(back.text)?.[1] ?? "";
    await agent
      .post(undo)
      .type("form")
      .send({ _csrf: csrfFrom(back.text), filter: "roles:employee", search: "services" })
      .expect(303);
    expect(tags(t)).toBe(0);
  });

  it("loses nothing when two officers code the same comments at the same moment", async () => {
    const t = buildTestApp();
    const pat = await signedInAs(t, "officer");
    const sam = await signedInAs(t, "admin");
    await addTheme(pat, { name: "A" });
    await addTheme(pat, { name: "B" });
    const [a, b] = [themeId(t, "A"), themeId(t, "B")];
    const ids = t.db
      .prepare(
        "SELECT c.id FROM comments c JOIN consultations k ON k.id = c.consultation_id WHERE k.slug = ? LIMIT 20",
      )
      .pluck()
      .all(CP) as number[];
    const [p1, p2] = await Promise.all([pat.get(PAGE), sam.get(PAGE)]);
    const send = (agent: Agent, csrf: string, comment: number, theme: number) =>
      agent
        .post(`${PAGE}/${comment}`)
        .type("form")
        .send({ _csrf: csrf, action: "apply", themeId: String(theme) });
    // Interleaved requests in flight together: each officer applies their theme, and both apply A to half.
    const results = await Promise.all(
      ids.flatMap((id, k) => [
        send(pat, csrfFrom(p1.text), id, a),
        send(sam, csrfFrom(p2.text), id, b),
        ...(k % 2 === 0 ? [send(sam, csrfFrom(p2.text), id, a)] : []),
      ]),
    );
    // A comment of another question is a 404 only if the theme does not apply; these apply to all.
    expect(results.map((r) => r.status).every((s) => s === 303)).toBe(true);
    expect(count(t.db, "SELECT count(*) AS n FROM tags WHERE theme_id = ?", a)).toBe(ids.length);
    expect(count(t.db, "SELECT count(*) AS n FROM tags WHERE theme_id = ?", b)).toBe(ids.length);
    expect(count(t.db, "SELECT count(*) AS n FROM theme_audit WHERE action = 'tag applied'")).toBe(
      2 * ids.length,
    );
  });
});

it("never lets a signed-out browser code a comment", async () => {
  const t = buildTestApp();
  const page = await request(t.app).get("/officer/sign-in");
  await request(t.app)
    .post(`${PAGE}/1`)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), action: "reviewed" })
    .expect((r) => expect([401, 403]).toContain(r.status));
  expect(count(t.db, "SELECT count(*) AS n FROM comments WHERE reviewed_at IS NOT NULL")).toBe(0);
});

it("publishes the confirmed theme counts on a closed consultation's page", async () => {
  const t = buildDemoApp();
  const page = await request(t.app).get(`/consultations/${CP}`).expect(200);
  expect(page.text).toContain("Themes in the comments");
  expect(page.text).toContain("Communication of messages: 7 comments of the 22 who commented");
  expect(page.text).toContain("Use of the VCS: 6 comments");
  // Not while it is open: the open demo has no published themes.
  const open = await request(t.app).get("/consultations/commercial-strategy-2018").expect(200);
  expect(open.text).not.toContain("Themes in the comments");
});
