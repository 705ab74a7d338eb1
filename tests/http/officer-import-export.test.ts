import { describe, expect, it } from "vitest";
import { BOM } from "../../server/services/csv.js";
import { buildTestApp, count, csrfFrom, type TestApp } from "../support/app.js";
import { type Agent, signedInAs } from "../support/officer.js";

const CLOSED = "communities-approach-2022";
const BASE = `/officer/consultations/${CLOSED}`;
const HEAD =
  "reference,principles-agreement,principles-comments,objective-agreement,objective-support," +
  "local-assets-strength,strengthen-assets,collaboration-examples,other-comments,respondent-type";
const GOOD = `${HEAD}\r\n,agree,From a paper form,agree,,strong,,,,resident\r\n,disagree,,undecided,,weak,,,,partner\r\n`;

const responses = (t: TestApp) =>
  count(
    t.db,
    "SELECT count(*) AS n FROM responses r JOIN consultations c ON c.id = r.consultation_id WHERE c.slug = ?",
    CLOSED,
  );

async function upload(agent: Agent, csv: string | Buffer, fields: Record<string, string> = {}) {
  const page = await agent.get(`${BASE}/import`).expect(200);
  let req = agent.post(`${BASE}/import`).field("_csrf", csrfFrom(page.text)).field("channel", "paper");
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach("file", Buffer.isBuffer(csv) ? csv : Buffer.from(csv), "responses.csv");
}

describe("officer pages: raw responses export", () => {
  it("streams the responses as a CSV download, with codes or labels", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const res = await agent
      .get(`${BASE}/export/responses.csv`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c));
        r.on("end", () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toContain(`${CLOSED}-responses.csv`);
    const text = (res.body as Buffer).toString("utf8");
    expect(text.startsWith(`${BOM}reference,channel,submitted_at,principles-agreement,`)).toBe(true);
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(responses(t) + 1);
    const labels = await agent.get(`${BASE}/export/responses.csv?labels=1`).expect(200);
    expect(labels.text).toContain("As a Leicestershire resident");
  });

  it("is for admins and analysts only", async () => {
    const t = buildTestApp();
    const officer = await signedInAs(t, "officer");
    await officer.get(`${BASE}/export/responses.csv`).expect(403);
    await officer.get(`${BASE}/import`).expect(403);
  });
});

describe("officer pages: importing responses", () => {
  it("imports an uploaded file, says how many, and adds nothing the second time", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const before = responses(t);
    const form = await agent.get(`${BASE}/import`).expect(200);
    expect(form.text).toContain('enctype="multipart/form-data"');
    expect(form.text).toContain('name="channel" type="radio" value="paper"');

    const res = await upload(agent, GOOD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^${BASE}/import\\?result=[\\w-]+$`));
    expect(responses(t)).toBe(before + 2);
    const done = await agent.get(res.headers.location ?? "").expect(200);
    expect(done.text).toContain("2 responses imported");

    const again = await upload(agent, GOOD);
    expect(again.headers.location).toMatch(new RegExp(`^${BASE}/import\\?result=[\\w-]+$`));
    expect(responses(t)).toBe(before + 2);
    const skipped = await agent.get(again.headers.location ?? "").expect(200);
    expect(skipped.text).toContain("2 rows were already imported");
  });

  it("counts imported responses on the dashboard already open", async () => {
    // The dashboard's answers are held in memory once read; an import must reach them.
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const before = responses(t);
    const shown = await agent.get(BASE).expect(200);
    expect(shown.text).toContain(`<strong>${before}</strong> responses`);
    expect(shown.text).not.toContain("From a paper form");
    expect((await upload(agent, GOOD)).status).toBe(303);
    const after = await agent.get(BASE).expect(200);
    expect(after.text).toContain(`<strong>${before + 2}</strong> responses`);
    // The newest comments come first: the imported one is among them.
    expect(after.text).toContain("From a paper form");
  });

  it("shows every bad line in a table, with the error summary, and stores nothing", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "admin");
    const before = responses(t);
    const bad = `${HEAD}\r\n,agree,,agree,,strong,,,,resident\r\n,maybe,,agree,,strong,,,,resident\r\n,agree,,agree,,strong,,,,alien\r\n`;
    const res = await upload(agent, bad);
    expect(res.status).toBe(400);
    expect(res.text).toContain("<title>Error: Import responses");
    expect(res.text).toContain("There is a problem");
    expect(res.text).toContain('href="#file"');
    expect(res.text).toContain("The file has 2 problems and nothing was imported");
    expect(res.text).toMatch(/>3<\/t[hd]>\s*<td class="govuk-table__cell">principles-agreement<\/td>/);
    expect(res.text).toMatch(/>4<\/t[hd]>\s*<td class="govuk-table__cell">respondent-type<\/td>/);
    expect(res.text).toContain("&#34;maybe&#34; is not an option here");
    expect(responses(t)).toBe(before);

    const windows1252 = Buffer.from(`${HEAD}\r\n,agree,Caf\xe9,agree,,strong,,,,resident\r\n`, "latin1");
    const encoding = await upload(agent, windows1252);
    expect(encoding.status).toBe(400);
    expect(encoding.text).toContain("CSV UTF-8 (Comma delimited)");
    expect(responses(t)).toBe(before);
  });

  it("asks for a file and a channel", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const page = await agent.get(`${BASE}/import`).expect(200);
    const res = await agent
      .post(`${BASE}/import`)
      .field("_csrf", csrfFrom(page.text))
      .field("channel", "carrier-pigeon");
    expect(res.status).toBe(400);
    expect(res.text).toContain("Select a CSV file of responses");
    expect(res.text).toContain("Select how the responses came in");
  });

  it("refuses an upload without a CSRF token, or with a wrong one, and stores nothing", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const before = responses(t);
    const none = await agent
      .post(`${BASE}/import`)
      .field("channel", "paper")
      .attach("file", Buffer.from(GOOD), "responses.csv");
    expect(none.status).toBe(403);
    const wrong = await agent
      .post(`${BASE}/import`)
      .field("_csrf", "not-the-token")
      .field("channel", "paper")
      .attach("file", Buffer.from(GOOD), "responses.csv");
    expect(wrong.status).toBe(403);
    expect(responses(t)).toBe(before);
  });

  it("refuses a file over 60 MB without reading the rest", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "analyst");
    const res = await upload(agent, Buffer.alloc(61 * 1024 * 1024, "a"));
    expect(res.status).toBe(413);
    expect(res.text).toContain("The file must be smaller than 60 MB");
  });
});
