import { describe, expect, it } from "vitest";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import { type Agent, signedInAs } from "../support/officer.js";

/** Issue 12, item 5: a response set aside as spam or a duplicate leaves every count and comes back. */
const CLOSED = "communities-approach-2022";
const BASE = `/officer/consultations/${CLOSED}`;

function responseWithComment(t: TestApp): { reference: string; text: string } {
  return t.db
    .prepare(
      `SELECT r.reference, a.text_value AS text FROM responses r JOIN consultations c ON c.id = r.consultation_id
         JOIN answers a ON a.response_id = r.id
        WHERE c.slug = ? AND r.status = 'submitted' AND length(a.text_value) > 40 LIMIT 1`,
    )
    .get(CLOSED) as { reference: string; text: string };
}

interface Counts {
  dashboard: number;
  matrix: number;
  exported: number;
  exportHasIt: boolean;
  home: number;
}

async function counts(t: TestApp, agent: Agent, reference: string): Promise<Counts> {
  const row = t.services.consultations.find(CLOSED);
  if (!row) throw new Error("no consultation");
  const dash = await agent.get(BASE).expect(200);
  const shown = /<strong>([\d,]+)<\/strong> responses/.exec(dash.text)?.[1] ?? "";
  const csv = await agent.get(`${BASE}/export/responses.csv`).expect(200);
  return {
    dashboard: Number(shown.replaceAll(",", "")),
    matrix: t.services.results.compute(row).respondents,
    exported: csv.text.split("\r\n").filter(Boolean).length - 1,
    exportHasIt: csv.text.includes(reference),
    home: t.services.consultations.overview().find((c) => c.slug === CLOSED)?.responses ?? -1,
  };
}

async function post(agent: Agent, reference: string, action: string, fields: Record<string, string> = {}) {
  const page = await agent.get(`${BASE}/responses/${reference}`).expect(200);
  return agent
    .post(`${BASE}/responses/${reference}/${action}`)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

describe("setting a response aside as spam or a duplicate", () => {
  it("leaves it out of the results, matrix, exports and home counts, keeps it, and restores it", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "admin");
    const { reference } = responseWithComment(t);
    const before = await counts(t, agent, reference);
    expect(before.dashboard).toBeGreaterThan(1);
    expect(before).toEqual({
      dashboard: before.dashboard,
      matrix: before.dashboard,
      exported: before.dashboard,
      exportHasIt: true,
      home: before.dashboard,
    });

    // A missing reason and kind: the error summary, the typed values kept, nothing changed.
    const refused = await post(agent, reference, "mark", { kind: "", reason: "" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("govuk-error-summary");
    expect(refused.text).toContain('href="#kind"');
    expect(refused.text).toContain('href="#reason"');
    expect(await counts(t, agent, reference)).toEqual(before);

    const marked = await post(agent, reference, "mark", { kind: "duplicate", reason: "Sent twice by post" });
    expect(marked.status).toBe(303);
    const n = before.dashboard - 1;
    expect(await counts(t, agent, reference)).toEqual({
      dashboard: n,
      matrix: n,
      exported: n,
      exportHasIt: false,
      home: n,
    });
    // Kept, and found by its reference, saying why it does not count.
    const page = await agent.get(`${BASE}/responses/${reference}`).expect(200);
    expect(page.text).toContain("Set aside as a duplicate");
    expect(page.text).toContain("Sent twice by post");
    expect(page.text).toMatch(/<button[^>]*>\s*Restore\s*<\/button>/);

    expect((await post(agent, reference, "restore")).status).toBe(303);
    expect(await counts(t, agent, reference)).toEqual(before);

    const trail = t.db
      .prepare("SELECT action, subject, detail FROM audit_events WHERE action LIKE 'response-%' ORDER BY id")
      .all();
    expect(trail).toEqual([
      { action: "response-marked", subject: reference, detail: "Duplicate: Sent twice by post" },
      { action: "response-unmarked", subject: reference, detail: "" },
    ]);
  });

  it("can still be withdrawn while set aside, and the counts stay right", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "editor");
    const { reference } = responseWithComment(t);
    const row = t.services.consultations.find(CLOSED);
    if (!row) throw new Error("no consultation");
    const before = t.services.results.compute(row).respondents;
    expect((await post(agent, reference, "mark", { kind: "spam", reason: "Advertising" })).status).toBe(303);
    expect(t.services.results.compute(row).respondents).toBe(before - 1);
    expect((await post(agent, reference, "withdraw", { reason: "Asked by email" })).status).toBe(303);
    expect(t.services.results.compute(row).respondents).toBe(before - 1);
    expect(t.db.prepare("SELECT count(*) FROM response_marks").pluck().get()).toBe(0);
    expect(t.services.consultations.overview().find((c) => c.slug === CLOSED)?.responses).toBe(before - 1);
  });

  it("is for admins and editors", async () => {
    const t = buildTestApp();
    const { reference } = responseWithComment(t);
    for (const role of ["officer", "analyst"] as const) {
      const agent = await signedInAs(t, role);
      const page = await agent.get(`${BASE}/responses/${reference}`).expect(200);
      expect(page.text).not.toContain("Set this response aside");
      expect((await post(agent, reference, "mark", { kind: "spam", reason: "x" })).status).toBe(403);
    }
    expect(t.db.prepare("SELECT count(*) FROM response_marks").pluck().get()).toBe(0);
  });
});

describe("the list of responses set aside", () => {
  it("lists each with its reference, kind, reason, who and when, and restores one from the list", async () => {
    const t = buildTestApp();
    const admin = await signedInAs(t, "admin");
    const empty = await admin.get(`${BASE}/responses/set-aside`).expect(200);
    expect(empty.text).toContain("No response to this consultation has been set aside");
    const [first, second] = t.db
      .prepare(
        `SELECT r.reference FROM responses r JOIN consultations c ON c.id = r.consultation_id
          WHERE c.slug = ? AND r.status = 'submitted' ORDER BY r.id LIMIT 2`,
      )
      .pluck()
      .all(CLOSED) as string[];
    if (!first || !second) throw new Error("the demo has responses");
    expect(
      (await post(admin, first, "mark", { kind: "spam", reason: "Advertising <b>a</b> website" })).status,
    ).toBe(303);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    expect(
      (await post(admin, second, "mark", { kind: "duplicate", reason: `The same as ${first}` })).status,
    ).toBe(303);

    // Any officer may read the list; only admins and editors are offered Restore.
    const reader = await signedInAs(t, "officer");
    const read = await reader.get(`${BASE}/responses/set-aside`).expect(200);
    expect(read.text).toContain("2 responses set aside");
    expect(read.text).not.toContain("Restore");
    const list = await admin.get(`${BASE}/responses/set-aside`).expect(200);
    const rows = [...list.text.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].slice(1).map((m) =>
      [...(m[1] ?? "").matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
        (c[1] ?? "")
          .replace(/<[^>]+>/g, " ")
          .replace(/\s+/g, " ")
          .trim(),
      ),
    );
    // Newest first; the reason is escaped, not markup.
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      [second, "Duplicate", `The same as ${first}`, "admin@example.gov.uk"],
      [first, "Spam", "Advertising &lt;b&gt;a&lt;/b&gt; website", "admin@example.gov.uk"],
    ]);
    expect(rows[0]?.[4]).toMatch(/\d{4}/);
    expect(list.text).toContain(`href="${BASE}/responses/${first}"`);

    const restored = await admin
      .post(`${BASE}/responses/${first}/restore?from=set-aside`)
      .type("form")
      .send({ _csrf: csrfFrom(list.text) });
    expect(restored.status).toBe(303);
    expect(restored.headers.location).toBe(`${BASE}/responses/set-aside?restored=${first}`);
    const after = await admin.get(restored.headers.location ?? "").expect(200);
    expect(after.text).toContain(`Response ${first} restored`);
    expect(after.text).toContain("1 response set aside");
    expect(t.db.prepare("SELECT count(*) FROM response_marks").pluck().get()).toBe(1);
    // Linked from the find page and the manage page.
    expect((await admin.get(`${BASE}/responses`)).text).toContain(`href="${BASE}/responses/set-aside"`);
    expect((await admin.get(`${BASE}/manage`)).text).toContain(`href="${BASE}/responses/set-aside"`);
  });
});
