import { randomInt } from "node:crypto";
import { type Db, databaseFile } from "./connection.js";
import { notSetAside } from "./set-aside.js";
import { inTimedTransactions, untilNoChanges } from "./timed-transactions.js";

/** One row of a run (both the one-transaction and the sliced writers). */
const PUT_CAMPAIGN_MEMBER =
  "INSERT INTO campaign_members (comment_id, run, consultation_id, item_id, group_id) VALUES (?, ?, ?, ?, ?)";
const PUT_STANCE =
  "INSERT INTO comment_stances (comment_id, run, consultation_id, item_id, stance, score) VALUES (?, ?, ?, ?, ?, ?)";

/**
 * Only the rows of the run recorded for their item and kind (migration 0027): a run being written,
 * or an earlier one not yet deleted, is never read.
 */
const currentRun = (rows: string, kind: "campaigns" | "stance") =>
  `JOIN comment_insight_runs ir ON ir.consultation_id = ${rows}.consultation_id AND ir.item_id = ${rows}.item_id
     AND ir.kind = '${kind}' AND ir.run = ${rows}.run`;

/** A new run's number: random, so two runs of one item started at once never share one. */
const newRun = () => randomInt(1, 2 ** 47);
export type CampaignCounting = "each" | "once";
export type StanceLabel = "supports" | "opposes" | "mixed";

export interface InsightRun {
  at: string;
  comments: number;
  detail: string;
}

/** A stored campaign: its representative comment and every member's comment and response ids. */
export interface StoredCampaign {
  groupId: number;
  commentIds: number[];
  responseIds: number[];
}

/**
 * Campaigns of near-identical comments, stances of comments and how campaigns count, as stored
 * after an officer asked for them. Every statement is scoped by consultation.
 */
export class CommentInsightRepository {
  constructor(private readonly db: Db) {}

  /** The database file, for a worker thread's own connection; null for an in-memory database. */
  file(): string | null {
    return databaseFile(this.db) ?? null;
  }

  /** Every comment of one item with its response and text (submitted or not: the caller filters). */
  texts(consultationId: number, itemId: number): [number, number, string][] {
    return this.db
      .prepare(
        `SELECT c.id, c.response_id, a.text_value FROM comments c
           JOIN answers a ON a.response_id = c.response_id AND a.item_id = c.item_id AND a.text_value IS NOT NULL
          WHERE c.consultation_id = ? AND c.item_id = ? ORDER BY c.id`,
      )
      .raw()
      .all(consultationId, itemId) as [number, number, string][];
  }

  /** Comment ids of one item that carry any tag (confirmed or not). */
  tagged(consultationId: number, itemId: number): Set<number> {
    return new Set(
      this.db
        .prepare(
          `SELECT DISTINCT c.id FROM comments c JOIN tags g ON g.comment_id = c.id
            WHERE c.consultation_id = ? AND c.item_id = ?`,
        )
        .pluck()
        .all(consultationId, itemId) as number[],
    );
  }

  counting(consultationId: number): CampaignCounting {
    const v = this.db
      .prepare("SELECT counting FROM campaign_settings WHERE consultation_id = ?")
      .pluck()
      .get(consultationId) as CampaignCounting | undefined;
    return v ?? "each";
  }

  setCounting(consultationId: number, counting: CampaignCounting, officerId: number, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO campaign_settings (consultation_id, counting, changed_at, changed_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (consultation_id) DO UPDATE SET counting = excluded.counting,
           changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
      )
      .run(consultationId, counting, now.toISOString(), officerId);
  }

  run(consultationId: number, itemId: number, kind: "campaigns" | "stance"): InsightRun | undefined {
    return this.db
      .prepare(
        "SELECT at, comments, detail FROM comment_insight_runs WHERE consultation_id = ? AND item_id = ? AND kind = ?",
      )
      .get(consultationId, itemId, kind) as InsightRun | undefined;
  }

  /** Delete, a few thousand rows a transaction, the item's rows of every run but `run`. */
  private dropOtherRuns(
    table: "campaign_members" | "comment_stances",
    consultationId: number,
    itemId: number,
    run: number,
  ): void {
    const drop = this.db.prepare(
      `DELETE FROM ${table} WHERE rowid IN
         (SELECT rowid FROM ${table} WHERE consultation_id = ? AND item_id = ? AND run <> ? LIMIT 2000)`,
    );
    untilNoChanges(this.db, () => drop.run(consultationId, itemId, run).changes);
  }

  /** Record a run: from this one statement on, readers see its rows and no others. */
  private recordRun(
    consultationId: number,
    itemId: number,
    kind: "campaigns" | "stance",
    run: number,
    comments: number,
    detail: string,
    now: Date,
  ): void {
    this.db
      .prepare(
        `INSERT INTO comment_insight_runs (consultation_id, item_id, kind, run, at, comments, detail) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (consultation_id, item_id, kind) DO UPDATE SET run = excluded.run, at = excluded.at,
           comments = excluded.comments, detail = excluded.detail`,
      )
      .run(consultationId, itemId, kind, run, now.toISOString(), comments, detail);
  }

  /** Replace one item's campaigns: each group's comment ids, its representative first. */
  replaceCampaigns(
    consultationId: number,
    itemId: number,
    groups: readonly (readonly number[])[],
    comments: number,
    now: Date,
  ): void {
    this.db.transaction(() => this.replaceCampaignsInSlices(consultationId, itemId, groups, comments, now))();
  }

  /**
   * The same as replaceCampaigns in short transactions (inTimedTransactions), for a worker's own
   * connection, so no transaction holds the write lock for long: the new run's rows are written
   * first, unseen; recording the run shows them all at once; the earlier run's rows go after.
   */
  replaceCampaignsInSlices(
    consultationId: number,
    itemId: number,
    groups: readonly (readonly number[])[],
    comments: number,
    now: Date,
  ): void {
    const run = newRun();
    const members: [number, number][] = [];
    for (const g of groups) {
      const head = g[0];
      if (head !== undefined) for (const id of g) members.push([id, head]);
    }
    const insert = this.db.prepare(PUT_CAMPAIGN_MEMBER);
    inTimedTransactions(this.db, members.length, (i) => {
      const [id, head] = members[i] as [number, number];
      insert.run(id, run, consultationId, itemId, head);
    });
    this.recordRun(consultationId, itemId, "campaigns", run, comments, "", now);
    this.dropOtherRuns("campaign_members", consultationId, itemId, run);
  }

  /**
   * One item's stored campaigns, largest first, with only the members whose response counts: one set
   * aside as spam or a duplicate leaves its campaign (and a campaign left with one member is none).
   */
  campaigns(consultationId: number, itemId: number): StoredCampaign[] {
    const rows = this.db
      .prepare(
        `SELECT m.group_id, m.comment_id, c.response_id FROM campaign_members m ${currentRun("m", "campaigns")}
           JOIN comments c ON c.id = m.comment_id
          WHERE m.consultation_id = ? AND m.item_id = ? AND ${notSetAside("c.response_id")}
          ORDER BY m.group_id, m.comment_id`,
      )
      .raw()
      .all(consultationId, itemId) as [number, number, number][];
    return [...groupMembers(rows).values()]
      .filter((g) => g.commentIds.length > 1)
      .sort((a, b) => b.commentIds.length - a.commentIds.length || a.groupId - b.groupId);
  }

  /**
   * Response ids whose comment on an item is a campaign copy other than its representative, per
   * item: what "a campaign counts once" leaves out of the theme counts, and what quotes never come
   * from. Members set aside as spam or duplicates are neither; when the representative itself was
   * set aside, the first member still counting stands for the campaign, so it still counts once.
   */
  campaignCopies(consultationId: number): Map<number, Set<number>> {
    const rows = this.db
      .prepare(
        `SELECT m.item_id, m.group_id, m.comment_id, c.response_id FROM campaign_members m ${currentRun("m", "campaigns")}
           JOIN comments c ON c.id = m.comment_id
          WHERE m.consultation_id = ? AND ${notSetAside("c.response_id")}
          ORDER BY m.item_id, m.group_id, m.comment_id`,
      )
      .raw()
      .all(consultationId) as [number, number, number, number][];
    const byItem = new Map<number, [number, number, number][]>();
    for (const [itemId, groupId, commentId, responseId] of rows) {
      const list = byItem.get(itemId) ?? [];
      list.push([groupId, commentId, responseId]);
      byItem.set(itemId, list);
    }
    const out = new Map<number, Set<number>>();
    for (const [itemId, members] of byItem) {
      const copies = new Set<number>();
      for (const g of groupMembers(members).values()) for (const r of g.responseIds.slice(1)) copies.add(r);
      out.set(itemId, copies);
    }
    return out;
  }

  replaceStances(
    consultationId: number,
    itemId: number,
    rows: readonly { commentId: number; stance: StanceLabel; score: number }[],
    detail: string,
    now: Date,
  ): void {
    this.db.transaction(() => this.replaceStancesInSlices(consultationId, itemId, rows, detail, now))();
  }

  /** The same as replaceStances in short transactions, for a worker's own connection (see replaceCampaignsInSlices). */
  replaceStancesInSlices(
    consultationId: number,
    itemId: number,
    rows: readonly { commentId: number; stance: StanceLabel; score: number }[],
    detail: string,
    now: Date,
  ): void {
    const run = newRun();
    const insert = this.db.prepare(PUT_STANCE);
    inTimedTransactions(this.db, rows.length, (i) => {
      const r = rows[i] as (typeof rows)[number];
      insert.run(r.commentId, run, consultationId, itemId, r.stance, r.score);
    });
    this.recordRun(consultationId, itemId, "stance", run, rows.length, detail, now);
    this.dropOtherRuns("comment_stances", consultationId, itemId, run);
  }

  /** Each comment's stored stance on one item, as [response id, stance] (for counting by group). */
  stances(consultationId: number, itemId: number): [number, StanceLabel][] {
    return this.db
      .prepare(
        `SELECT c.response_id, s.stance FROM comment_stances s ${currentRun("s", "stance")}
           JOIN comments c ON c.id = s.comment_id
          WHERE s.consultation_id = ? AND s.item_id = ?`,
      )
      .raw()
      .all(consultationId, itemId) as [number, StanceLabel][];
  }

  /** Confirmed tags of one item by theme with the tagged comment's stance: [theme id, response id, stance]. */
  themeStances(consultationId: number, itemId: number): [number, number, StanceLabel][] {
    return this.db
      .prepare(
        `SELECT g.theme_id, c.response_id, s.stance FROM tags g JOIN comments c ON c.id = g.comment_id
           JOIN comment_stances s ON s.comment_id = c.id ${currentRun("s", "stance")}
          WHERE c.consultation_id = ? AND c.item_id = ? AND g.confirmed = 1`,
      )
      .raw()
      .all(consultationId, itemId) as [number, number, StanceLabel][];
  }
}

/**
 * Stored members as [group id, comment id, response id] (ordered by group, then comment) gathered
 * into campaigns, each with its representative first: the stored one (the group id), or the first
 * member when that one is not among the rows.
 */
function groupMembers(rows: readonly [number, number, number][]): Map<number, StoredCampaign> {
  const byGroup = new Map<number, StoredCampaign>();
  for (const [groupId, commentId, responseId] of rows) {
    let g = byGroup.get(groupId);
    if (!g) {
      g = { groupId, commentIds: [], responseIds: [] };
      byGroup.set(groupId, g);
    }
    if (commentId === groupId) {
      g.commentIds.unshift(commentId);
      g.responseIds.unshift(responseId);
    } else {
      g.commentIds.push(commentId);
      g.responseIds.push(responseId);
    }
  }
  return byGroup;
}
