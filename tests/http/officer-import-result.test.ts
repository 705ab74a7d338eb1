import request from "supertest";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { ConsultationRepository } from "../../db/consultations.js";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import { FIXTURE_SLUG, fixtureDefinition } from "../support/import-fixture.js";
import { type Agent, signedInAs } from "../support/officer.js";

const BASE = `/officer/consultations/${FIXTURE_SLUG}`;

function fixtureApp(): TestApp {
  const t = buildTestApp({ now: new Date("2026-06-01T10:00:00Z") });
  new ConsultationRepository(t.db).save(fixtureDefinition());
  return t;
}

async function upload(agent: Agent, csv: string | Buffer) {
  const page = await agent.get(`${BASE}/import`).expect(200);
  return agent
    .post(`${BASE}/import`)
    .field("_csrf", csrfFrom(page.text))
    .field("channel", "paper")
    .attach("file", Buffer.isBuffer(csv) ? csv : Buffer.from(csv), "responses.csv");
}

describe("officer import page: what an accepted import did (#8 item 4, #9 item 4)", () => {
  it("lists possible duplicates from another file, questions with no column and blank rows", async () => {
    const t = fixtureApp();
    const agent = await signedInAs(t, "analyst");
    expect((await upload(agent, "ward,visits\r\nWard 2,5\r\n")).status).toBe(303);
    const res = await upload(agent, "ward,visits\r\nWard 2,5\r\n,\r\nWard 3,1\r\n");
    expect(res.status).toBe(303);
    const page = await agent.get(res.headers.location ?? "").expect(200);
    expect(page.text).toContain("2 responses imported");
    expect(page.text).toContain("1 blank row was skipped");
    expect(page.text).toContain("The file had no column for");
    expect(page.text).toContain("What would you improve?");
    expect(page.text).toContain("Possible duplicates to check");
    const refs = t.db
      .prepare(
        "SELECT reference FROM responses r JOIN consultations c ON c.id = r.consultation_id WHERE c.slug = ? ORDER BY r.id",
      )
      .pluck()
      .all(FIXTURE_SLUG) as string[];
    const table = page.text.slice(page.text.indexOf("Possible duplicates to check"));
    expect(table.indexOf(refs[1] ?? "?")).toBeGreaterThan(0);
    expect(table.indexOf(refs[0] ?? "?")).toBeGreaterThan(table.indexOf(refs[1] ?? "?"));
    // Another officer's result is not shown for a key from another consultation.
    const other = await agent.get(
      `/officer/consultations/commercial-strategy-2018/import?${res.headers.location?.split("?")[1]}`,
    );
    expect(other.text).not.toContain("Possible duplicates to check");
  });

  it("offers the blank template", async () => {
    const t = fixtureApp();
    const agent = await signedInAs(t, "analyst");
    const form = await agent.get(`${BASE}/import`).expect(200);
    expect(form.text).toContain(`href="${BASE}/import/template.csv"`);
    const res = await agent.get(`${BASE}/import/template.csv`).expect(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const [header, notes] = Papa.parse<string[]>(res.text.replace(/^\uFEFF/, "")).data;
    expect(header?.slice(0, 4)).toEqual(["reference", "channel", "submitted_at", "visitor__alone"]);
    expect(notes?.[0]).toContain("Blank for a new response");
  });

  it("serves other requests while a large upload is imported", async () => {
    const t = fixtureApp();
    const agent = await signedInAs(t, "analyst");
    const rows: string[][] = [["ward", "visits", "ideas"]];
    const idea = "Longer benches by the pond, and more bins on the path to the playground. ".repeat(2);
    while (rows.length < 20_000) rows.push([`Ward ${(rows.length % 6) + 1}`, "3", idea]);
    const file = Buffer.from(Papa.unparse(rows));
    let importDone = 0;
    const importing = upload(agent, file).then((res) => {
      importDone = performance.now();
      return res;
    });
    // Requests made while it runs are answered before it ends.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answered: number[] = [];
    for (let i = 0; i < 3; i++) {
      await request(t.app).get(`/consultations/${FIXTURE_SLUG}`).expect(200);
      answered.push(performance.now());
    }
    const res = await importing;
    expect(res.status).toBe(303);
    expect(importDone).toBeGreaterThan(0);
    for (const at of answered) expect(at).toBeLessThan(importDone);
    expect(
      t.db.prepare("SELECT count(*) FROM responses WHERE status = 'submitted'").pluck().get(),
    ).toBeGreaterThan(19_000);
  }, 120_000);
});
