import request from "supertest";
import { describe, expect, it, vi } from "vitest";
import { ConsultationRepository } from "../../db/consultations.js";
import { buildTestApp, type TestApp } from "../support/app.js";
import { signedInAs } from "../support/officer.js";

const CLOSED = "commissioning-procurement-2015";
const REPORT = `/consultations/${CLOSED}/report`;

/** Counts how many times the report's results are computed, i.e. how often it is built. */
function countBuilds(t: TestApp) {
  return vi.spyOn(t.services.results, "compute");
}

/** A new submitted response to the closed consultation with one comment, as an import would add it. */
function addComment(t: TestApp, text: string): number {
  const c = t.db.prepare("SELECT id FROM consultations WHERE slug = ?").get(CLOSED) as { id: number };
  const item = t.db
    .prepare(
      `SELECT i.id FROM items i JOIN questions q ON q.id = i.question_id
        WHERE q.consultation_id = ? AND q.kind = 'text' ORDER BY q.position LIMIT 1`,
    )
    .get(c.id) as { id: number };
  const stamp = "2015-03-01T10:00:00.000Z";
  const id = Number(
    t.db
      .prepare(
        `INSERT INTO responses (consultation_id, status, reference, channel, started_at, updated_at, submitted_at)
         VALUES (?, 'submitted', ?, 'paper', ?, ?, ?)`,
      )
      .run(c.id, `TEST-${Math.random()}`, stamp, stamp, stamp).lastInsertRowid,
  );
  t.db
    .prepare("INSERT INTO answers (response_id, item_id, text_value) VALUES (?, ?, ?)")
    .run(id, item.id, text);
  return id;
}

describe("the public report is built once and kept until something changes", () => {
  it("does not build it again for a second request", async () => {
    const t = buildTestApp();
    const builds = countBuilds(t);
    const first = await request(t.app).get(REPORT).expect(200);
    const second = await request(t.app).get(REPORT).expect(200);
    expect(builds).toHaveBeenCalledTimes(1);
    expect(second.text).toBe(first.text);
  });

  it("renders the page once too, for everyone but a signed-in officer, until the report changes", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const renders = vi.spyOn(t.app, "render");
    const first = await request(t.app).get(REPORT).expect(200);
    const second = await request(t.app).get(REPORT).expect(200);
    expect(renders).toHaveBeenCalledTimes(1);
    expect(second.text).toBe(first.text);
    expect(second.headers["content-type"]).toBe(first.headers["content-type"]);
    // An officer's copy has their menu and its form token: rendered for them, never kept for others.
    const theirs = await agent.get(REPORT).expect(200);
    expect(theirs.text).toContain("Sign out");
    expect(first.text).not.toContain("Sign out");
    expect(renders).toHaveBeenCalledTimes(2);
    expect((await request(t.app).get(REPORT).expect(200)).text).toBe(first.text);
    expect(renders).toHaveBeenCalledTimes(2);
    addComment(t, "A comment that changes the counts");
    const changed = await request(t.app).get(REPORT).expect(200);
    expect(renders).toHaveBeenCalledTimes(3);
    expect(changed.text).not.toBe(first.text);
  });

  it("builds it again after a response arrives, its comment is approved, or it is deleted", async () => {
    const t = buildTestApp();
    const builds = countBuilds(t);
    const text = "A comment that arrived after the report was first read";
    await request(t.app).get(REPORT).expect(200);
    const id = addComment(t, text);
    const after = await request(t.app).get(REPORT).expect(200);
    expect(builds).toHaveBeenCalledTimes(2);
    // Counted, but not quoted until an officer approves it (issue 11).
    expect(after.text).not.toContain(text);
    const c = t.services.consultations.find(CLOSED);
    const question = c?.definition.pages.flatMap((p) => p.questions).find((q) => q.kind === "text");
    const item = c && question && t.services.moderation.itemOf(c, question.id);
    if (!c || item === undefined) throw new Error("no comment waiting");
    await t.services.moderation.prepare(c, item, 1);
    await t.services.moderation.close();
    const [waiting] = t.services.moderation.page(c, item, "pending", 0);
    expect(waiting?.original).toBe(text);
    t.services.moderation.decide(c, [waiting?.commentId ?? 0], "approved", null);
    const approved = await request(t.app).get(REPORT).expect(200);
    expect(builds).toHaveBeenCalledTimes(3);
    expect(approved.text).toContain(text);
    t.db.prepare("DELETE FROM responses WHERE id = ?").run(id);
    const gone = await request(t.app).get(REPORT).expect(200);
    expect(builds).toHaveBeenCalledTimes(4);
    expect(gone.text).not.toContain(text);
  });

  it("builds it again when a 'we did' entry is published or a published one edited, not for a draft", async () => {
    const t = buildTestApp();
    const builds = countBuilds(t);
    await request(t.app).get(REPORT).expect(200);
    const c = t.services.consultations.find(CLOSED);
    if (!c) throw new Error("no demo consultation");
    const entry = t.services.report.addEntry(c, {
      weAsked: "Our priorities",
      youSaid: "Keep the libraries",
      weDid: "We kept the libraries open",
    });
    // A draft is not on the public report, so the public report stands as it was.
    expect((await request(t.app).get(REPORT).expect(200)).text).not.toContain("We kept the libraries open");
    expect(builds).toHaveBeenCalledTimes(1);
    t.services.report.publishEntry(c, entry.id, true);
    expect((await request(t.app).get(REPORT).expect(200)).text).toContain("We kept the libraries open");
    t.services.report.updateEntry(c, entry.id, { ...entry, weDid: "We kept every library open" });
    expect((await request(t.app).get(REPORT).expect(200)).text).toContain("We kept every library open");
    expect(builds).toHaveBeenCalledTimes(3);
  });

  it("builds it again after the definition is loaded again", async () => {
    const t = buildTestApp();
    const repo = new ConsultationRepository(t.db);
    const closed = repo.findBySlug(CLOSED);
    if (!closed) throw new Error("no demo consultation");
    // A closed copy without responses, so its definition may be replaced.
    const copy = { ...closed.definition, slug: "closed-copy", title: "The first title" };
    const saved = repo.save(copy);
    repo.setResultsPublished(saved.id, copy.slug, t.clock.now);
    const builds = countBuilds(t);
    expect((await request(t.app).get("/consultations/closed-copy/report").expect(200)).text).toContain(
      "The first title",
    );
    repo.save({ ...copy, title: "The second title" });
    // The app checks a definition it holds against the database at most once a second.
    await new Promise((r) => setTimeout(r, 1_100));
    const res = await request(t.app).get("/consultations/closed-copy/report").expect(200);
    expect(res.text).toContain("The second title");
    expect(builds).toHaveBeenCalledTimes(2);
  });

  it("keeps the officers' report (which shows draft entries too) built as well", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const builds = countBuilds(t);
    await request(t.app).get(REPORT).expect(200);
    await agent.get(`/officer/consultations/${CLOSED}/report`).expect(200);
    await agent.get(`/officer/consultations/${CLOSED}/report`).expect(200);
    await request(t.app).get(REPORT).expect(200);
    expect(builds).toHaveBeenCalledTimes(2);
  });
});

describe("the public report is rate limited per client address", () => {
  it("answers 429 past the limit", async () => {
    const t = buildTestApp({ config: { reportRateLimit: 3 } });
    for (let i = 0; i < 3; i++) await request(t.app).get(REPORT).expect(200);
    const res = await request(t.app).get(REPORT).expect(429);
    expect(res.text).toContain("Too many requests");
  });
});
