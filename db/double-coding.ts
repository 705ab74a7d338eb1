import type { Db } from "./connection.js";

/** One comment of a double-coded sample with both codings, for the agreement. */
export interface DoubleCodedComment {
  commentId: number;
  itemId: number;
  responseId: number;
  /** The second officer's themes (blind). */
  second: number[];
  /** The comment's confirmed tags now: the first coding. */
  first: number[];
}

/** The next comment of a sample an officer may code blind. */
export interface BlindComment {
  commentId: number;
  responseId: number;
  text: string;
}

/**
 * Double-coded samples: comments drawn for a second officer to code blind, and their second codes,
 * kept apart from tags so that they change no count. Every statement is scoped by consultation.
 * "Coded" comments (the only ones drawn) carry a confirmed tag or were marked reviewed: an officer
 * decided their themes, even if the decision was "none".
 */
export class DoubleCodingRepository {
  constructor(private readonly db: Db) {}

  /** Coded comments of one item not yet in a sample, as [comment id, response id], by id. */
  drawable(consultationId: number, itemId: number): [number, number][] {
    return this.db
      .prepare(
        `SELECT c.id, c.response_id FROM comments c
          WHERE c.consultation_id = ? AND c.item_id = ?
            AND (c.reviewed_at IS NOT NULL OR EXISTS (SELECT 1 FROM tags g WHERE g.comment_id = c.id AND g.confirmed = 1))
            AND NOT EXISTS (SELECT 1 FROM double_code_items d WHERE d.comment_id = c.id)
          ORDER BY c.id`,
      )
      .raw()
      .all(consultationId, itemId) as [number, number][];
  }

  /** Store a draw and its comments, in this order. Call inside a transaction. */
  addDraw(
    consultationId: number,
    itemId: number,
    officerId: number,
    seed: number,
    commentIds: readonly number[],
    now: Date,
  ): number {
    const drawId = Number(
      this.db
        .prepare(
          `INSERT INTO double_code_draws (consultation_id, item_id, officer_id, size, seed, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(consultationId, itemId, officerId, commentIds.length, seed, now.toISOString()).lastInsertRowid,
    );
    const insert = this.db.prepare(
      "INSERT INTO double_code_items (comment_id, draw_id, position) VALUES (?, ?, ?)",
    );
    commentIds.forEach((id, k) => {
      insert.run(id, drawId, k);
    });
    return drawId;
  }

  /** How many comments of one item are in a sample, and how many a second officer has coded. */
  progress(consultationId: number, itemId: number): { drawn: number; coded: number } {
    return this.db
      .prepare(
        `SELECT count(*) AS drawn, count(d.coded_at) AS coded FROM double_code_items d
           JOIN double_code_draws w ON w.id = d.draw_id
          WHERE w.consultation_id = ? AND w.item_id = ?`,
      )
      .get(consultationId, itemId) as { drawn: number; coded: number };
  }

  /**
   * The sample's comments of one item not yet coded a second time, in the order drawn, that this
   * officer did not code first (no confirmed tag of theirs, not reviewed by them), with their text.
   */
  openFor(consultationId: number, itemId: number, officerId: number): BlindComment[] {
    return this.db
      .prepare(
        `SELECT c.id AS commentId, c.response_id AS responseId, a.text_value AS text
           FROM double_code_items d JOIN double_code_draws w ON w.id = d.draw_id
           JOIN comments c ON c.id = d.comment_id
           JOIN answers a ON a.response_id = c.response_id AND a.item_id = c.item_id AND a.text_value IS NOT NULL
          WHERE w.consultation_id = ? AND w.item_id = ? AND d.coded_at IS NULL
            AND ${NOT_FIRST_CODER}
          ORDER BY d.draw_id, d.position`,
      )
      .all(consultationId, itemId, officerId, officerId) as BlindComment[];
  }

  /**
   * Record a second officer's themes for one comment of the sample, once: 0 when the comment is not
   * in this item's sample, is coded already, or was coded first by this officer. Call inside a
   * transaction.
   */
  record(
    consultationId: number,
    itemId: number,
    commentId: number,
    themeIds: readonly number[],
    officerId: number,
    now: Date,
  ): number {
    const changes = this.db
      .prepare(
        `UPDATE double_code_items AS d SET coded_by = ?, coded_at = ?
          WHERE d.comment_id = ? AND d.coded_at IS NULL
            AND d.draw_id IN (SELECT id FROM double_code_draws WHERE consultation_id = ? AND item_id = ?)
            AND ${NOT_FIRST_CODER}`,
      )
      .run(officerId, now.toISOString(), commentId, consultationId, itemId, officerId, officerId).changes;
    if (changes === 0) return 0;
    const insert = this.db.prepare("INSERT INTO double_code_tags (comment_id, theme_id) VALUES (?, ?)");
    for (const t of themeIds) insert.run(commentId, t);
    return changes;
  }

  /** Every comment of the consultation coded twice, with both codings (the first as confirmed now). */
  coded(consultationId: number): DoubleCodedComment[] {
    const rows = this.db
      .prepare(
        `SELECT d.comment_id AS commentId, c.item_id AS itemId, c.response_id AS responseId
           FROM double_code_items d JOIN double_code_draws w ON w.id = d.draw_id
           JOIN comments c ON c.id = d.comment_id
          WHERE w.consultation_id = ? AND d.coded_at IS NOT NULL ORDER BY d.comment_id`,
      )
      .all(consultationId) as Omit<DoubleCodedComment, "first" | "second">[];
    const byId = new Map(
      rows.map((r) => [r.commentId, { ...r, first: [] as number[], second: [] as number[] }]),
    );
    const second = this.db
      .prepare(
        `SELECT t.comment_id, t.theme_id FROM double_code_tags t
           JOIN double_code_items d ON d.comment_id = t.comment_id
           JOIN double_code_draws w ON w.id = d.draw_id WHERE w.consultation_id = ?`,
      )
      .raw()
      .all(consultationId) as [number, number][];
    for (const [c, t] of second) byId.get(c)?.second.push(t);
    const first = this.db
      .prepare(
        `SELECT g.comment_id, g.theme_id FROM tags g
           JOIN double_code_items d ON d.comment_id = g.comment_id
           JOIN double_code_draws w ON w.id = d.draw_id
          WHERE w.consultation_id = ? AND d.coded_at IS NOT NULL AND g.confirmed = 1`,
      )
      .raw()
      .all(consultationId) as [number, number][];
    for (const [c, t] of first) byId.get(c)?.first.push(t);
    return [...byId.values()];
  }
}

/**
 * The officer (bound twice) neither confirmed a tag on the comment (`d.comment_id`) nor reviewed
 * it: the second coding must come from someone other than the officers it is compared with.
 */
const NOT_FIRST_CODER = `NOT EXISTS (SELECT 1 FROM tags g WHERE g.comment_id = d.comment_id AND g.confirmed = 1 AND g.confirmed_by = ?)
            AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.id = d.comment_id AND r.reviewed_by = ?)`;
