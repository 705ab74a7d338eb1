import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CODED, ConfirmedTags } from "../../db/confirmed-tags.js";
import { createServices } from "../../server/services/create.js";
import type { Services } from "../../server/services/index.js";
import { buildTestApp } from "../support/app.js";

/**
 * Theme counts are held in memory and kept current from the tag change log (issue 10 item 7). After
 * every kind of change, the held service's results (counts, bases, the theme x group table and the
 * quotes, for everyone and for a group) must equal a fresh service's, which reads every tag anew.
 */
const CP = "commissioning-procurement-2015";
const Q = "disagree-reasons";
const officer = { id: 1, name: "Pat" };
const admin = { id: 1, email: "pat@example.gov.uk" };

function setup() {
  const t = buildTestApp();
  t.db
    .prepare(
      "INSERT OR IGNORE INTO officers (id, email, name, role, password_hash, created_at) VALUES (1, 'pat@example.gov.uk', 'Pat', 'admin', 'x', '2026')",
    )
    .run();
  const row = t.services.consultations.find(CP);
  if (!row) throw new Error("no demo");
  const fresh = (): Services => createServices(t.db, () => t.clock.now, t.config);
  const views = (s: Services) => {
    const current = s.consultations.find(CP);
    if (!current) throw new Error("no demo");
    return {
      all: s.themes.results(current, null, "organisation-size"),
      group: s.themes.results(current, { question: "roles", codes: ["supplier", "vcs"] }, "roles"),
    };
  };
  /** The held service agrees with a fresh one; returns the counts, to check the change happened. */
  const same = () => {
    const held = views(t.services);
    expect(held).toEqual(views(fresh()));
    return Object.fromEntries(held.all[0]?.themes.map((x) => [x.name, x.count]) ?? []);
  };
  const themeId = (name: string) => t.services.themes.codebook(row).find((x) => x.name === name)?.id ?? -1;
  const comments = t.db
    .prepare(
      `SELECT c.id, r.reference FROM comments c JOIN responses r ON r.id = c.response_id
         JOIN items i ON i.id = c.item_id JOIN questions q ON q.id = i.question_id
        WHERE c.consultation_id = ? AND q.question_key = ? ORDER BY c.id`,
    )
    .all(row.id, Q) as { id: number; reference: string }[];
  return { t, row, same, themeId, comments };
}

describe("theme counts held in memory", () => {
  it("equal a full count after every kind of tag change, withdrawal and set-aside", () => {
    const { t, row, same, themeId, comments } = setup();
    const themes = t.services.themes;
    const start = same();
    const vcs = themeId("Use of the VCS");
    const comms = themeId("Communication of messages");
    const [a, b, c] = comments;
    if (!a || !b || !c) throw new Error("too few comments");

    // Add by hand, then remove (kept as a rejection).
    const hadVcs = (id: number) =>
      t.db.prepare("SELECT count(*) FROM tags WHERE comment_id = ? AND theme_id = ?").pluck().get(id, vcs) ===
      1;
    const target = comments.find((x) => !hadVcs(x.id));
    if (!target) throw new Error("every comment has the theme");
    themes.tag(row, target.id, vcs, "apply", officer);
    expect(same()["Use of the VCS"]).toBe((start["Use of the VCS"] ?? 0) + 1);
    themes.tag(row, target.id, vcs, "remove", officer);
    expect(same()).toEqual(start);

    // A rule's unconfirmed tags change nothing until confirmed; confirming one counts it.
    const rule = themes.create(
      row,
      { name: "Jargon", description: "", parentId: null, questions: [Q], rules: "" },
      officer,
    );
    const batch = themes.tagMany(row, Q, [a.id, b.id], rule, officer, "test");
    t.db.prepare("UPDATE tags SET confirmed = 0, source = 'rule' WHERE batch_id = ?").run(batch.batchId);
    expect(same().Jargon).toBe(0);
    themes.tag(row, a.id, rule, "confirm", officer);
    expect(same().Jargon).toBe(1);

    // A quote picked and unpicked changes the quotes alone.
    themes.tag(row, c.id, comms, "apply", officer);
    themes.tag(row, c.id, comms, "quote", officer);
    same();
    themes.tag(row, c.id, comms, "unquote", officer);
    same();

    // A bulk tag and its undo.
    const bulk = themes.bulkApply(row, { question: Q, filters: [] }, rule, officer);
    // Every comment to the question now carries it.
    expect(same().Jargon).toBe(comments.length);
    expect(bulk.tagged).toBeGreaterThan(0);
    themes.undoBatch(row, bulk.batchId, officer);
    expect(same().Jargon).toBe(1);

    // A merge moves the tags to the survivor; deleting a theme takes its tags.
    themes.merge(row, rule, vcs, officer);
    expect(same()["Use of the VCS"]).toBeGreaterThan(start["Use of the VCS"] ?? 0);
    themes.remove(row, themeId("Service delivery"), officer);
    expect(same()["Service delivery"]).toBeUndefined();

    // A response set aside, restored, and withdrawn.
    t.services.records.mark(row, b.reference, "spam", "Advertising", admin);
    same();
    t.services.records.restore(row, b.reference, admin);
    same();
    t.services.records.withdraw(row, a.reference, "Asked by email", admin);
    same();

    // Changes made straight in the database (another process would) are read from the log too.
    t.db.prepare("DELETE FROM tags WHERE comment_id = ?").run(c.id);
    same();
    // A log pruned past what was held: the held tags are read whole again.
    t.db.prepare("DELETE FROM tag_changes").run();
    themes.tag(row, c.id, comms, "apply", officer);
    same();
  });
});

describe("the confirmed tags' change journal and quote order", () => {
  it("replaying the journal onto counts kept part way gives the counts of every tag held, and quote order is a fresh sort", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            add: fc.boolean(),
            comment: fc.integer({ min: 1, max: 12 }),
            theme: fc.integer({ min: 1, max: 3 }),
            quote: fc.boolean(),
            readAfter: fc.boolean(),
          }),
          { maxLength: 60 },
        ),
        (steps) => {
          const tags = new ConfirmedTags();
          const item = 7;
          // One comment per respondent, as on a question: comment c belongs to response 100 + c.
          const group = (responseId: number) => responseId % 2 === 0;
          const themes = [1, 2, 3];
          const kept = { at: 0, coded: 0, counts: new Map(themes.map((t) => [t, 0])) };
          const catchUp = () => {
            expect(
              tags.changesSince(item, kept.at, (themeId, responseId, delta) => {
                if (!group(responseId)) return;
                if (themeId === CODED) kept.coded += delta;
                else kept.counts.set(themeId, (kept.counts.get(themeId) ?? 0) + delta);
              }),
            ).toBe(true);
            kept.at = tags.journalEnd(item);
          };
          for (const s of steps) {
            // Quote order asked for before the change, so the list kept is the one moved.
            for (const t of themes) tags.inQuoteOrder(item, t);
            if (s.add)
              tags.set(item, s.theme, { commentId: s.comment, responseId: 100 + s.comment, quote: s.quote });
            else tags.delete(s.comment, s.theme);
            if (s.readAfter) catchUp();
          }
          catchUp();
          for (const t of themes) {
            expect(kept.counts.get(t)).toBe(tags.count(item, t, group));
            const fresh = [...(tags.byItem.get(item)?.get(t)?.values() ?? [])].sort(
              (a, b) =>
                Number(b.quote) - Number(a.quote) || a.responseId - b.responseId || a.commentId - b.commentId,
            );
            expect(tags.inQuoteOrder(item, t)).toEqual(fresh);
          }
          expect(kept.coded).toBe(tags.count(item, null, group));
        },
      ),
      { numRuns: 200 },
    );
  });
});
