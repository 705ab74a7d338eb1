import type { Statement } from "better-sqlite3";
import { ConfirmedTags } from "./confirmed-tags.js";
import type { Db } from "./connection.js";
import { notSetAside } from "./set-aside.js";

export type TagSource = "officer" | "rule" | "model";

/** Which comments of one question the workbench lists (all of these at once). */
export interface CommentQuery {
  itemId: number;
  /** Only comments carrying this theme (confirmed or not). */
  themeId?: number;
  /** Only comments with no tag at all. */
  untagged?: boolean;
  /** Only comments with a tag not yet confirmed. */
  unconfirmed?: boolean;
  reviewed?: boolean;
  flagged?: boolean;
  /** An FTS5 query (built by analysis/themes/rules.ts searchQuery, never raw user text). */
  search?: string;
  /** Order by the theme model's margin, smallest (least sure) first, instead of newest first. */
  leastSureFirst?: boolean;
}

export interface CommentTag {
  themeId: number;
  source: TagSource;
  confirmed: boolean;
  quote: boolean;
  score: number | null;
}

export interface CommentRow {
  id: number;
  responseId: number;
  reference: string;
  text: string;
  reviewed: boolean;
  flagged: boolean;
  flagNote: string | null;
  tags: CommentTag[];
}

export interface BatchRow {
  id: number;
  themeId: number | null;
  kind: "bulk" | "rule";
  description: string;
  tagged: number;
  createdAt: string;
  undoneAt: string | null;
  remaining: number;
}

/**
 * Comments, their review state and their tags. Every statement that takes an id from a form is
 * scoped by consultation (through the comment's and the theme's consultation), so an id from
 * another consultation changes nothing and the caller answers 404.
 */
export class TagRepository {
  private readonly upsertTag: Statement;
  private readonly confirmOne: Statement;
  private readonly removeOne: Statement;
  private readonly liftRejection: Statement;
  private readonly keepRejection: Statement;
  private readonly quoteOne: Statement;
  private readonly commentIn: Statement<[number, number], { id: number; itemId: number; responseId: number }>;
  private readonly held = new Map<number, ConfirmedTags>();
  private readonly logEnds: Statement<[], [number, number]>;
  private readonly logged: Statement<
    [number, number, number],
    [number, number, number | null, number | null, number | null]
  >;

  constructor(private readonly db: Db) {
    // INSERT ... ON CONFLICT: two officers applying themes to one comment at once each add their
    // own tag; the same theme twice makes one tag, confirmed by whoever confirmed first.
    this.upsertTag = db.prepare(
      `INSERT INTO tags (comment_id, theme_id, source, score, confirmed, created_by, created_at, confirmed_by, confirmed_at, batch_id)
       SELECT c.id, t.id, @source, @score, @confirmed, @officer, @now,
              CASE WHEN @confirmed = 1 THEN @officer END, CASE WHEN @confirmed = 1 THEN @now END, @batch
         FROM comments c JOIN themes t ON t.consultation_id = c.consultation_id
        WHERE c.id = @comment AND t.id = @theme AND c.consultation_id = @consultation
          AND (@respect = 0 OR NOT EXISTS (SELECT 1 FROM tag_rejections r WHERE r.theme_id = t.id AND r.comment_id = c.id))
       ON CONFLICT (comment_id, theme_id) DO UPDATE SET
         confirmed = 1, confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at,
         confirmed_batch_id = excluded.batch_id
         WHERE excluded.confirmed = 1 AND tags.confirmed = 0`,
    );
    // Lifted when an officer applies the theme by hand: they changed their mind.
    this.liftRejection = db.prepare("DELETE FROM tag_rejections WHERE comment_id = ? AND theme_id = ?");
    this.keepRejection = db.prepare(
      `INSERT INTO tag_rejections (comment_id, theme_id, source, score, officer_id, rejected_at)
       SELECT g.comment_id, g.theme_id, g.source, g.score, ?, ? FROM tags g
        WHERE g.comment_id = ? AND g.theme_id = ?
          AND g.comment_id IN (SELECT id FROM comments WHERE consultation_id = ?)
       ON CONFLICT DO UPDATE SET source = excluded.source, score = excluded.score,
         officer_id = excluded.officer_id, rejected_at = excluded.rejected_at`,
    );
    this.confirmOne = db.prepare(
      `UPDATE tags SET confirmed = 1, confirmed_by = ?, confirmed_at = ?
        WHERE comment_id = ? AND theme_id = ? AND confirmed = 0
          AND comment_id IN (SELECT id FROM comments WHERE consultation_id = ?)`,
    );
    this.removeOne = db.prepare(
      `DELETE FROM tags WHERE comment_id = ? AND theme_id = ?
          AND comment_id IN (SELECT id FROM comments WHERE consultation_id = ?)`,
    );
    this.quoteOne = db.prepare(
      `UPDATE tags SET quote = ? WHERE comment_id = ? AND theme_id = ?
          AND comment_id IN (SELECT id FROM comments WHERE consultation_id = ?)`,
    );
    this.logEnds = db
      .prepare<[], [number, number]>("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM tag_changes")
      .raw();
    // Each pair logged since, looked up again: its confirmed tag now (none: it went).
    this.logged = db
      .prepare<[number, number, number], [number, number, number | null, number | null, number | null]>(
        `SELECT l.comment_id, l.theme_id, c.item_id, c.response_id, g.quote
           FROM (SELECT DISTINCT comment_id, theme_id FROM tag_changes
                  WHERE consultation_id = ? AND id > ? AND id <= ?) l
           LEFT JOIN tags g ON g.comment_id = l.comment_id AND g.theme_id = l.theme_id AND g.confirmed = 1
           LEFT JOIN comments c ON c.id = g.comment_id`,
      )
      .raw();
    this.commentIn = db.prepare(
      `SELECT id, item_id AS itemId, response_id AS responseId FROM comments
        WHERE consultation_id = ? AND id = ? AND ${notSetAside("response_id")}`,
    );
  }

  /**
   * A comment of this consultation that can be tagged, or undefined: one of a response set aside as
   * spam or a duplicate is left out of every themes query, so a tag posted for it is refused as one
   * for another consultation's comment would be (nothing stored).
   */
  comment(consultationId: number, commentId: number) {
    return this.commentIn.get(consultationId, commentId);
  }

  /** Tag one comment (changes: 1 when a tag was added or newly confirmed, 0 when nothing changed). */
  tag(
    consultationId: number,
    commentId: number,
    themeId: number,
    opts: {
      source: TagSource;
      confirmed: boolean;
      officerId: number | null;
      now: Date;
      score?: number | null;
      batchId?: number | null;
    },
  ): number {
    // An officer's own tag lifts their earlier rejection; a rule, a model or a bulk action leaves
    // a rejected comment alone.
    const byHand = opts.source === "officer" && (opts.batchId ?? null) === null;
    if (byHand) this.liftRejection.run(commentId, themeId);
    return this.upsertTag.run({
      respect: byHand ? 0 : 1,
      consultation: consultationId,
      comment: commentId,
      theme: themeId,
      source: opts.source,
      score: opts.score ?? null,
      confirmed: opts.confirmed ? 1 : 0,
      officer: opts.officerId,
      now: opts.now.toISOString(),
      batch: opts.batchId ?? null,
    }).changes;
  }

  confirm(consultationId: number, commentId: number, themeId: number, officerId: number, now: Date): number {
    return this.confirmOne.run(officerId, now.toISOString(), commentId, themeId, consultationId).changes;
  }

  /**
   * Remove a tag and keep the removal as a rejection (who, when, and what was rejected: an
   * officer's, a rule's or a model's tag with its score). Call inside a transaction.
   */
  remove(consultationId: number, commentId: number, themeId: number, officerId: number, now: Date): number {
    this.keepRejection.run(officerId, now.toISOString(), commentId, themeId, consultationId);
    return this.removeOne.run(commentId, themeId, consultationId).changes;
  }

  /** Confirmed tags by item, theme and how they were first made, as [item id, theme id, source, n]. */
  confirmedBySource(consultationId: number): [number, number, TagSource, number][] {
    return this.db
      .prepare(
        `SELECT c.item_id, g.theme_id, g.source, count(*) FROM tags g JOIN comments c ON c.id = g.comment_id
          WHERE c.consultation_id = ? AND g.confirmed = 1 AND ${notSetAside("c.response_id")}
          GROUP BY c.item_id, g.theme_id, g.source`,
      )
      .raw()
      .all(consultationId) as [number, number, TagSource, number][];
  }

  /** The officers' rejections of a consultation, as [comment id, theme id]. */
  rejections(consultationId: number): [number, number][] {
    return this.db
      .prepare(
        `SELECT r.comment_id, r.theme_id FROM tag_rejections r JOIN comments c ON c.id = r.comment_id
          WHERE c.consultation_id = ?`,
      )
      .raw()
      .all(consultationId) as [number, number][];
  }

  setQuote(consultationId: number, commentId: number, themeId: number, quote: boolean): number {
    return this.quoteOne.run(quote ? 1 : 0, commentId, themeId, consultationId).changes;
  }

  setReviewed(
    consultationId: number,
    commentId: number,
    reviewed: boolean,
    officerId: number,
    now: Date,
  ): number {
    return this.db
      .prepare(
        `UPDATE comments SET reviewed_at = ?, reviewed_by = ?
          WHERE consultation_id = ? AND id = ? AND ${notSetAside("response_id")}`,
      )
      .run(reviewed ? now.toISOString() : null, reviewed ? officerId : null, consultationId, commentId)
      .changes;
  }

  setFlag(
    consultationId: number,
    commentId: number,
    note: string | null,
    officerId: number,
    now: Date,
  ): number {
    return this.db
      .prepare(
        `UPDATE comments SET flagged_at = ?, flagged_by = ?, flag_note = ?
          WHERE consultation_id = ? AND id = ? AND ${notSetAside("response_id")}`,
      )
      .run(
        note === null ? null : now.toISOString(),
        note === null ? null : officerId,
        note,
        consultationId,
        commentId,
      ).changes;
  }

  /**
   * The comments of one item that pass the query, as the ids of their responses, newest first (an
   * item has one comment per response). The group filters (closed answers) are applied by the
   * caller from the answers held in memory. Response ids alone, plucked: at 100,000 comments a
   * row array per comment made this read and its garbage collection most of a workbench page.
   */
  select(consultationId: number, q: CommentQuery): number[] {
    // The item is checked to be the consultation's once (a constant subquery), not each comment's
    // consultation_id, which would read every comment's row instead of the (item, response) index.
    const where = [
      "c.item_id = @item",
      "EXISTS (SELECT 1 FROM items i JOIN questions q ON q.id = i.question_id WHERE i.id = @item AND q.consultation_id = @consultation)",
    ];
    if (q.themeId !== undefined)
      where.push("EXISTS (SELECT 1 FROM tags g WHERE g.comment_id = c.id AND g.theme_id = @theme)");
    if (q.untagged) where.push("NOT EXISTS (SELECT 1 FROM tags g WHERE g.comment_id = c.id)");
    if (q.unconfirmed)
      where.push("EXISTS (SELECT 1 FROM tags g WHERE g.comment_id = c.id AND g.confirmed = 0)");
    if (q.reviewed !== undefined)
      where.push(q.reviewed ? "c.reviewed_at IS NOT NULL" : "c.reviewed_at IS NULL");
    if (q.flagged) where.push("c.flagged_at IS NOT NULL");
    // With a search, its matches drive the query (each comment found by its id) rather than every
    // comment of the item being tested against them: much less read when the search is selective.
    const from =
      q.search === undefined
        ? "comments c"
        : "(SELECT rowid AS id FROM comment_search WHERE comment_search MATCH @search) h CROSS JOIN comments c ON c.id = h.id";
    const params: Record<string, unknown> = { consultation: consultationId, item: q.itemId };
    if (q.themeId !== undefined) params.theme = q.themeId;
    if (q.search !== undefined) params.search = q.search;
    return this.db
      .prepare(
        `SELECT c.response_id FROM ${from} WHERE ${where.join(" AND ")} ORDER BY ${
          q.leastSureFirst ? "c.model_margin IS NULL, c.model_margin, " : ""
        }c.response_id DESC`,
      )
      .pluck()
      .all(params) as number[];
  }

  /** The ids of one item's comments by these responses, in the same order (none for a response without). */
  commentIds(consultationId: number, itemId: number, responseIds: readonly number[]): number[] {
    if (responseIds.length === 0) return [];
    const found = new Map(
      this.db
        .prepare(
          `SELECT c.response_id, c.id FROM comments c
            WHERE c.consultation_id = ? AND c.item_id = ? AND c.response_id IN (SELECT value FROM json_each(?))`,
        )
        .raw()
        .all(consultationId, itemId, JSON.stringify(responseIds)) as [number, number][],
    );
    const ids: number[] = [];
    for (const r of responseIds) {
      const id = found.get(r);
      if (id !== undefined) ids.push(id);
    }
    return ids;
  }

  /** The comments with these ids (in this order), with their texts, references, state and tags. */
  rows(consultationId: number, commentIds: readonly number[]): CommentRow[] {
    if (commentIds.length === 0) return [];
    const ids = JSON.stringify(commentIds);
    const found = this.db
      .prepare(
        `SELECT c.id, c.response_id AS responseId, r.reference, a.text_value AS text,
                c.reviewed_at IS NOT NULL AS reviewed, c.flagged_at IS NOT NULL AS flagged, c.flag_note AS flagNote
           FROM comments c JOIN responses r ON r.id = c.response_id
           JOIN answers a ON a.response_id = c.response_id AND a.item_id = c.item_id AND a.text_value IS NOT NULL
          WHERE c.consultation_id = ? AND c.id IN (SELECT value FROM json_each(?))`,
      )
      .all(consultationId, ids) as (Omit<CommentRow, "tags" | "reviewed" | "flagged"> & {
      reviewed: number;
      flagged: number;
    })[];
    const tags = this.db
      .prepare(
        `SELECT comment_id AS commentId, theme_id AS themeId, source, confirmed, quote, score FROM tags
          WHERE comment_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      )
      .all(ids) as {
      commentId: number;
      themeId: number;
      source: TagSource;
      confirmed: number;
      quote: number;
      score: number | null;
    }[];
    const byComment = new Map<number, CommentTag[]>();
    for (const t of tags) {
      const list = byComment.get(t.commentId) ?? [];
      list.push({
        themeId: t.themeId,
        source: t.source,
        confirmed: t.confirmed === 1,
        quote: t.quote === 1,
        score: t.score,
      });
      byComment.set(t.commentId, list);
    }
    const byId = new Map(found.map((r) => [r.id, r]));
    return commentIds.flatMap((id) => {
      const r = byId.get(id);
      return r
        ? [{ ...r, reviewed: r.reviewed === 1, flagged: r.flagged === 1, tags: byComment.get(id) ?? [] }]
        : [];
    });
  }

  /** The texts of these comments of the consultation, as [comment id, text]. */
  texts(consultationId: number, commentIds: readonly number[]): [number, string][] {
    if (commentIds.length === 0) return [];
    return this.db
      .prepare(
        `SELECT c.id, a.text_value FROM comments c
           JOIN answers a ON a.response_id = c.response_id AND a.item_id = c.item_id AND a.text_value IS NOT NULL
          WHERE c.consultation_id = ? AND c.id IN (SELECT value FROM json_each(?))`,
      )
      .raw()
      .all(consultationId, JSON.stringify(commentIds)) as [number, string][];
  }

  /** Start a bulk batch, so that what it tags can be undone together. */
  startBatch(
    consultationId: number,
    themeId: number,
    kind: "bulk" | "rule",
    description: string,
    officerId: number | null,
    now: Date,
  ): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO tag_batches (consultation_id, theme_id, kind, description, tagged, officer_id, created_at)
           VALUES (?, ?, ?, ?, 0, ?, ?)`,
        )
        .run(consultationId, themeId, kind, description, officerId, now.toISOString()).lastInsertRowid,
    );
  }

  finishBatch(batchId: number, tagged: number): void {
    this.db.prepare("UPDATE tag_batches SET tagged = ? WHERE id = ?").run(tagged, batchId);
  }

  batches(consultationId: number, limit = 20): BatchRow[] {
    return this.db
      .prepare(
        `SELECT b.id, b.theme_id AS themeId, b.kind, b.description, b.tagged, b.created_at AS createdAt, b.undone_at AS undoneAt,
                (SELECT count(*) FROM tags g WHERE g.batch_id = b.id)
                  + (SELECT count(*) FROM tags g WHERE g.confirmed_batch_id = b.id) AS remaining
           FROM tag_batches b WHERE b.consultation_id = ? ORDER BY b.id DESC LIMIT ?`,
      )
      .all(consultationId, limit) as BatchRow[];
  }

  /**
   * Take back what a batch did: remove the tags it added that are still there, and make the tags it
   * confirmed (a rule's or a model's, there before it) unconfirmed again. Returns how many tags it
   * changed, or -1 for no such batch.
   */
  undoBatch(consultationId: number, batchId: number, officerId: number, now: Date): number {
    const done = this.db
      .prepare(
        "UPDATE tag_batches SET undone_at = ?, undone_by = ? WHERE consultation_id = ? AND id = ? AND undone_at IS NULL",
      )
      .run(now.toISOString(), officerId, consultationId, batchId).changes;
    if (done === 0) return -1;
    const unconfirmed = this.db
      .prepare(
        `UPDATE tags SET confirmed = 0, confirmed_by = NULL, confirmed_at = NULL, confirmed_batch_id = NULL
          WHERE confirmed_batch_id = ?`,
      )
      .run(batchId).changes;
    return unconfirmed + this.db.prepare("DELETE FROM tags WHERE batch_id = ?").run(batchId).changes;
  }

  /**
   * The consultation's confirmed tags, held in memory: read whole once, then kept current from the
   * tag_changes log (only the pairs changed since the last call are read again), so the theme counts
   * right after a tag changes cost that change, not a read of every tag. Read whole again when the
   * log was pruned past what was applied, or holds more changes than a fresh read would cost.
   */
  confirmed(consultationId: number): ConfirmedTags {
    const [oldest, newest] = this.logEnds.get() ?? [0, 0];
    let held = this.held.get(consultationId);
    if (held && held.seen === newest) return held;
    if (!held || oldest > held.seen + 1 || newest - held.seen > FULL_READ_AFTER) {
      held = this.readConfirmed(consultationId);
      this.held.set(consultationId, held);
      this.pruneLog(held.seen);
      return held;
    }
    for (const [commentId, themeId, itemId, responseId, quote] of this.logged.all(
      consultationId,
      held.seen,
      newest,
    )) {
      if (itemId === null || responseId === null) held.delete(commentId, themeId);
      else held.set(itemId, themeId, { commentId, responseId, quote: quote === 1 });
    }
    held.seen = newest;
    if (newest - oldest > LOG_KEPT * 2) this.pruneLog(newest);
    return held;
  }

  /** Every confirmed tag of the consultation, with the log position it is current to. */
  private readConfirmed(consultationId: number): ConfirmedTags {
    return this.db.transaction(() => {
      const held = new ConfirmedTags();
      held.seen = this.logEnds.get()?.[1] ?? 0;
      const rows = this.db
        .prepare(
          `SELECT c.item_id, g.theme_id, c.id, c.response_id, g.quote FROM tags g JOIN comments c ON c.id = g.comment_id
            WHERE c.consultation_id = ? AND g.confirmed = 1`,
        )
        .raw()
        .all(consultationId) as [number, number, number, number, number][];
      for (const [itemId, themeId, commentId, responseId, quote] of rows)
        held.set(itemId, themeId, { commentId, responseId, quote: quote === 1 });
      return held;
    })();
  }

  /**
   * Keep the log from growing for ever: rows older than the newest LOG_KEPT go. A holder that had
   * not read that far notices (the oldest row left is past what it applied) and reads whole.
   */
  private pruneLog(newest: number): void {
    if (newest > LOG_KEPT * 2)
      this.db.prepare("DELETE FROM tag_changes WHERE id <= ?").run(newest - LOG_KEPT);
  }
}

/** More changes than this since the last read, and reading every confirmed tag again is cheaper. */
const FULL_READ_AFTER = 20_000;
/** Tag changes kept in the log. */
const LOG_KEPT = 100_000;
