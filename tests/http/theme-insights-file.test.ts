import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CommentInsightRepository } from "../../db/comment-insights.js";
import { type Db, openDatabase } from "../../db/connection.js";
import { testConfig } from "../../server/config.js";
import { createServices } from "../../server/services/create.js";
import { buildTestApp } from "../support/app.js";
import { addLetterCampaign } from "../support/letter-campaign.js";

const CP = "commissioning-procurement-2015";
const Q = "disagree-reasons";
const officer = { id: 1, name: "Pat" };

function stored(db: Db) {
  return {
    members: db
      .prepare("SELECT comment_id, item_id, group_id FROM campaign_members ORDER BY comment_id")
      .raw()
      .all(),
    stances: db
      .prepare("SELECT comment_id, item_id, stance, score FROM comment_stances ORDER BY comment_id")
      .raw()
      .all(),
    runs: db
      .prepare("SELECT item_id, kind, comments, detail FROM comment_insight_runs ORDER BY item_id, kind")
      .raw()
      .all(),
  };
}

let dir = "";
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = "";
});

/**
 * With a database file the insights worker writes campaigns and stances through its own connection
 * in short transactions; with an in-memory database the service writes them in one. Both must store
 * the same rows, and a second run must replace the first (a member of no campaign now goes).
 */
describe("campaigns and stances on a database file", () => {
  it("stores the same campaigns, stances and runs from the worker's own connection", {
    timeout: 120_000,
  }, async () => {
    const memory = buildTestApp();
    const a = memory.services.consultations.find(CP);
    if (!a) throw new Error("no demo");
    const letters = addLetterCampaign(memory, a);
    dir = mkdtempSync(join(tmpdir(), "sounding-insights-file-"));
    const path = join(dir, "sounding.db");
    writeFileSync(path, memory.db.serialize());
    const fileDb = openDatabase(path);
    try {
      expect(new CommentInsightRepository(fileDb).file()).toBe(path);
      const onFile = createServices(fileDb, () => memory.clock.now, testConfig());
      const b = onFile.consultations.find(CP);
      if (!b) throw new Error("no demo");
      // A stale member on both: a comment of the question put in a campaign of its own.
      for (const db of [memory.db, fileDb])
        db.prepare(
          `INSERT INTO campaign_members (comment_id, run, consultation_id, item_id, group_id)
           SELECT c.id, 0, c.consultation_id, c.item_id, c.id FROM comments c JOIN items i ON i.id = c.item_id
             JOIN questions q ON q.id = i.question_id WHERE c.consultation_id = ? AND q.question_key = ? ORDER BY c.id LIMIT 1`,
        ).run(a.id, Q);
      // One letter set aside as spam on both: the worker must leave it out, as the service does.
      const setAside = { id: 1, name: "Pat", email: "pat@example.gov.uk" };
      expect(memory.services.records.mark(a, letters[1] ?? "", "spam", "Advertising", setAside)).toBe(true);
      expect(onFile.records.mark(b, letters[1] ?? "", "spam", "Advertising", setAside)).toBe(true);
      expect(await memory.services.insights.findCampaigns(a, Q, officer)).toBe(
        await onFile.insights.findCampaigns(b, Q, officer),
      );
      expect(await onFile.insights.findStances(b, Q)).toEqual(
        await memory.services.insights.findStances(a, Q),
      );
      const here = stored(memory.db);
      const letterIds = memory.db
        .prepare(
          `SELECT c.id FROM comments c JOIN responses r ON r.id = c.response_id WHERE r.reference IN (${letters.map(() => "?").join(", ")})`,
        )
        .pluck()
        .all(...letters) as number[];
      const members = new Set(here.members.map((m) => (m as number[])[0]));
      // Four letters in the campaign: the fifth was set aside.
      expect(letterIds.filter((id) => members.has(id))).toHaveLength(4);
      expect(here.members.length).toBeGreaterThanOrEqual(4);
      expect(here.stances.length).toBeGreaterThan(20);
      expect(stored(fileDb)).toEqual(here);
      // Discovery reads the comments in the worker too, and finds the same candidates among the
      // comments left uncoded (half of them here).
      for (const db of [memory.db, fileDb])
        db.prepare(
          "DELETE FROM tags WHERE comment_id % 2 = 0 AND comment_id IN (SELECT id FROM comments WHERE consultation_id = ?)",
        ).run(a.id);
      const candidates = await onFile.insights.discover(b, Q);
      expect(candidates.length).toBeGreaterThan(0);
      expect(candidates).toEqual(await memory.services.insights.discover(a, Q));
      // Found again, nothing changes.
      await onFile.insights.findCampaigns(b, Q, officer);
      await onFile.insights.findStances(b, Q);
      expect(stored(fileDb)).toEqual(here);
    } finally {
      fileDb.close();
    }
  });
});
