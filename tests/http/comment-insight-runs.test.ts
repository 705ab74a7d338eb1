import { describe, expect, it } from "vitest";
import { CommentInsightRepository } from "../../db/comment-insights.js";
import { migrate, openDatabase } from "../../db/connection.js";
import { loadDemo } from "../../db/seed/demo.js";
import { projectRoot } from "../../server/config.js";
import { buildTestApp } from "../support/app.js";
import { MIGRATIONS, migrationsUpTo } from "../support/migrations.js";

const CP = "commissioning-procurement-2015";
const Q = "disagree-reasons";

/** A demo question's comments, for campaigns and stances written straight through the repository. */
function setup() {
  const t = buildTestApp();
  const row = t.services.consultations.find(CP);
  if (!row) throw new Error("no demo");
  const itemId = t.services.insights.itemOf(row, Q);
  const comments = t.db
    .prepare("SELECT id FROM comments WHERE consultation_id = ? AND item_id = ? ORDER BY id LIMIT 6")
    .pluck()
    .all(row.id, itemId) as number[];
  expect(comments).toHaveLength(6);
  return { t, repo: new CommentInsightRepository(t.db), consultationId: row.id, itemId, c: comments };
}

const rowsIn = (t: ReturnType<typeof setup>["t"], table: string) =>
  t.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe("a run of campaigns or stances is seen whole or not at all", () => {
  it("reads only the recorded run's campaigns: a run still being written is unseen, and earlier runs go", () => {
    const { t, repo, consultationId, itemId, c } = setup();
    const [a, b, x, y, z, w] = c as [number, number, number, number, number, number];
    const now = new Date("2026-12-01T10:00:00Z");
    repo.replaceCampaigns(consultationId, itemId, [[a, b, x]], 6, now);
    const groups = () => repo.campaigns(consultationId, itemId).map((g) => g.commentIds);
    expect(groups()).toEqual([[a, b, x]]);

    // What a worker has written half way through its next run, before recording it.
    const half = t.db.prepare(
      "INSERT INTO campaign_members (comment_id, run, consultation_id, item_id, group_id) VALUES (?, 777, ?, ?, ?)",
    );
    for (const id of [y, z]) half.run(id, consultationId, itemId, y);
    expect(groups()).toEqual([[a, b, x]]);
    expect([...(repo.campaignCopies(consultationId).get(itemId) ?? [])]).toHaveLength(2);

    // A finished run replaces the whole of the last one at once; no other run's rows are left.
    repo.replaceCampaignsInSlices(consultationId, itemId, [[y, z, w]], 6, now);
    expect(groups()).toEqual([[y, z, w]]);
    expect(rowsIn(t, "campaign_members")).toBe(3);
  });

  it("reads only the recorded run's stances", () => {
    const { t, repo, consultationId, itemId, c } = setup();
    const now = new Date("2026-12-01T10:00:00Z");
    const all = (stance: "supports" | "opposes") => c.map((commentId) => ({ commentId, stance, score: 1 }));
    repo.replaceStances(consultationId, itemId, all("supports"), "", now);
    const stances = () => new Set(repo.stances(consultationId, itemId).map(([, s]) => s));
    expect(stances()).toEqual(new Set(["supports"]));

    t.db
      .prepare(
        "INSERT INTO comment_stances (comment_id, run, consultation_id, item_id, stance, score) VALUES (?, 777, ?, ?, 'opposes', 1)",
      )
      .run(c[0], consultationId, itemId);
    expect(stances()).toEqual(new Set(["supports"]));
    expect(repo.stances(consultationId, itemId)).toHaveLength(6);

    repo.replaceStancesInSlices(consultationId, itemId, all("opposes"), "", now);
    expect(stances()).toEqual(new Set(["opposes"]));
    expect(rowsIn(t, "comment_stances")).toBe(6);
  });
});

describe("migration 0027 on a database with campaigns and stances", () => {
  it("keeps them, as the run each item last recorded", () => {
    const db = openDatabase(":memory:");
    migrate(db, migrationsUpTo(26));
    loadDemo(db, projectRoot());
    const { id: consultationId } = db.prepare("SELECT id FROM consultations WHERE slug = ?").get(CP) as {
      id: number;
    };
    const [first, second] = db
      .prepare("SELECT id, item_id FROM comments WHERE consultation_id = ? ORDER BY id LIMIT 2")
      .raw()
      .all(consultationId) as [number, number][];
    const itemId = first?.[1] ?? 0;
    db.prepare(
      "INSERT INTO campaign_members (comment_id, consultation_id, item_id, group_id) VALUES (?, ?, ?, ?), (?, ?, ?, ?)",
    ).run(first?.[0], consultationId, itemId, first?.[0], second?.[0], consultationId, itemId, first?.[0]);
    db.prepare(
      "INSERT INTO comment_stances (comment_id, consultation_id, item_id, stance, score) VALUES (?, ?, ?, 'mixed', 0.5)",
    ).run(first?.[0], consultationId, itemId);
    db.prepare(
      `INSERT INTO comment_insight_runs (consultation_id, item_id, kind, at, comments) VALUES
         (?, ?, 'campaigns', '2026-01-01T00:00:00Z', 2), (?, ?, 'stance', '2026-01-01T00:00:00Z', 1)`,
    ).run(consultationId, itemId, consultationId, itemId);

    migrate(db, MIGRATIONS);
    const repo = new CommentInsightRepository(db);
    expect(repo.campaigns(consultationId, itemId).map((g) => g.commentIds)).toEqual([
      [first?.[0], second?.[0]],
    ]);
    expect(repo.stances(consultationId, itemId).map(([, s]) => s)).toEqual(["mixed"]);
    expect(db.pragma("foreign_key_check")).toEqual([]);
  });
});
