import request from "supertest";
import { describe, expect, it } from "vitest";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import { addOfficer, type Agent, signedInAs, signIn } from "../support/officer.js";

/** Issue 12, item 6: imports, exports and "we did" edits go into the audit trail, in counts, never content. */
const CLOSED = "communities-approach-2022";
const BASE = `/officer/consultations/${CLOSED}`;
const HEAD =
  "reference,principles-agreement,principles-comments,objective-agreement,objective-support," +
  "local-assets-strength,strengthen-assets,collaboration-examples,other-comments,respondent-type";
const SECRET = "A comment only the file holds";
const GOOD = `${HEAD}\r\n,agree,${SECRET},agree,,strong,,,,resident\r\n,disagree,,undecided,,weak,,,,partner\r\n`;

interface Row {
  officer_email: string;
  action: string;
  consultation_slug: string | null;
  subject: string | null;
  detail: string;
  at: string;
}
async function signedInWith(t: TestApp, role: "admin" | "analyst", email: string): Promise<Agent> {
  await addOfficer(t, role, email);
  return signIn(request.agent(t.app), email);
}
const trail = (t: TestApp, action: string) =>
  t.db.prepare("SELECT * FROM audit_events WHERE action = ? ORDER BY id").all(action) as Row[];

describe("the audit trail of imports, exports and 'we did' edits", () => {
  it("records an import with its counts, and a refused file not at all", async () => {
    const t = buildTestApp();
    const agent = await signedInWith(t, "analyst", "importer@example.gov.uk");
    const page = await agent.get(`${BASE}/import`).expect(200);
    const send = (csv: string) =>
      agent
        .post(`${BASE}/import`)
        .field("_csrf", csrfFrom(page.text))
        .field("channel", "paper")
        .attach("file", Buffer.from(csv), "responses.csv");
    expect((await send(`${HEAD}\r\n,not-a-code,,,,,,,,\r\n`)).status).toBe(400);
    expect(trail(t, "import")).toHaveLength(0);
    expect((await send(GOOD)).status).toBe(303);
    const [entry, ...more] = trail(t, "import");
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({ officer_email: "importer@example.gov.uk", consultation_slug: CLOSED });
    expect(entry?.detail).toMatch(/^2 imported \(.+\), 0 duplicates skipped, 0 blank rows$/);
    expect(JSON.stringify(trail(t, "import"))).not.toContain(SECRET);
    const shown = await (await signedInAs(t, "admin")).get("/officer/audit?action=import").expect(200);
    expect(shown.text).toContain("Imported responses");
    expect(shown.text).toContain("2 imported");
  });

  it("records each export: which file, of which consultation, how many responses", async () => {
    const t = buildTestApp();
    const agent = await signedInWith(t, "analyst", "exporter@example.gov.uk");
    const csv = await agent.get(`${BASE}/export/responses.csv`).expect(200);
    const rows = csv.text.split("\r\n").filter(Boolean).length - 1;
    await agent.get(`${BASE}/export/responses.csv?labels=1`).expect(200);
    await agent.get(`${BASE}/export/summary.csv`).expect(200);
    const exports = trail(t, "export");
    expect(exports.map((e) => [e.officer_email, e.consultation_slug, e.subject, e.detail])).toEqual([
      ["exporter@example.gov.uk", CLOSED, "responses.csv", `${rows} responses`],
      ["exporter@example.gov.uk", CLOSED, "responses.csv (labels)", `${rows} responses`],
      ["exporter@example.gov.uk", CLOSED, "summary.csv", ""],
    ]);
    expect(rows).toBeGreaterThan(0);
  });

  it("records the codebook and definition downloads: which file and how many themes, never their words", async () => {
    const t = buildTestApp();
    const slug = "commissioning-procurement-2015";
    const themes = t.db
      .prepare(
        "SELECT name FROM themes WHERE consultation_id = (SELECT id FROM consultations WHERE slug = ?)",
      )
      .pluck()
      .all(slug) as string[];
    expect(themes.length).toBeGreaterThan(0);
    const agent = await signedInWith(t, "admin", "downloader@example.gov.uk");
    const codebook = await agent.get(`/officer/consultations/${slug}/themes.csv`).expect(200);
    expect(codebook.text).toContain(themes[0]);
    const definition = await agent.get(`/officer/consultations/${slug}/build/definition.json`).expect(200);
    const version = t.services.consultations.find(slug)?.version;
    expect(
      trail(t, "export").map((e) => [e.officer_email, e.consultation_slug, e.subject, e.detail]),
    ).toEqual([
      ["downloader@example.gov.uk", slug, "codebook.csv", `${themes.length} themes`],
      ["downloader@example.gov.uk", slug, "definition.json", `version ${version}`],
    ]);
    const kept = JSON.stringify(trail(t, "export"));
    for (const name of themes) expect(kept).not.toContain(name);
    expect(kept).not.toContain(JSON.parse(definition.text).title);
  });

  it("records adding, changing, publishing, moving and deleting a 'we did' entry, without its words", async () => {
    const t = buildTestApp();
    const agent = await signedInWith(t, "admin", "editor-of-we-did@example.gov.uk");
    const path = `${BASE}/we-did`;
    const post = async (fields: Record<string, string>) => {
      const page = await agent.get(path).expect(200);
      return agent
        .post(path)
        .type("form")
        .send({ _csrf: csrfFrom(page.text), ...fields })
        .expect(303);
    };
    const words = { weAsked: "Parking words", youSaid: "You said words", weDid: "We did words" };
    await post(words);
    const id = String(t.db.prepare("SELECT max(id) FROM we_did_entries").pluck().get());
    await post({ ...words, id, weDid: "We did other words" });
    await post({ action: "publish", id });
    await post({ action: "down", id });
    await post({ action: "delete", id, confirm: "yes" });
    const edits = trail(t, "we-did-saved");
    expect(edits.map((e) => [e.officer_email, e.consultation_slug, e.subject, e.detail])).toEqual(
      ["Added", "Changed", "Published", "Moved down", "Deleted"].map((how) => [
        "editor-of-we-did@example.gov.uk",
        CLOSED,
        `Entry ${id}`,
        how,
      ]),
    );
    expect(JSON.stringify(edits)).not.toMatch(/words/);
  });
});
