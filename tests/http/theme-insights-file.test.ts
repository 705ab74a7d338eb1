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
    addLetterCampaign(memory, a);
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
          `INSERT INTO campaign_members (comment_id, consultation_id, item_id, group_id)
           SELECT c.id, c.consultation_id, c.item_id, c.id FROM comments c JOIN items i ON i.id = c.item_id
             JOIN questions q ON q.id = i.question_id WHERE c.consultation_id = ? AND q.question_key = ? ORDER BY c.id LIMIT 1`,
        ).run(a.id, Q);
      expect(await memory.services.insights.findCampaigns(a, Q, officer)).toBe(
        await onFile.insights.findCampaigns(b, Q, officer),
      );
      expect(await onFile.insights.findStances(b, Q)).toEqual(
        await memory.services.insights.findStances(a, Q),
      );
      const here = stored(memory.db);
      expect(here.members.length).toBeGreaterThanOrEqual(5);
      expect(here.stances.length).toBeGreaterThan(20);
      expect(stored(fileDb)).toEqual(here);
      // Found again, nothing changes.
      await onFile.insights.findCampaigns(b, Q, officer);
      await onFile.insights.findStances(b, Q);
      expect(stored(fileDb)).toEqual(here);
    } finally {
      fileDb.close();
    }
  });
});
