import type { Statement } from "better-sqlite3";
import type { AnswerFact } from "../analysis/published-responses.js";
import type { Db } from "./connection.js";
import { notSetAside } from "./set-aside.js";

export type Decision = "pending" | "approved" | "withheld";

/** A span removed from a comment: [start, end, kind], offsets into the original text. */
export type StoredRedaction = [start: number, end: number, kind: string];

/** One comment of a question as the moderation queue shows it. */
export interface ModerationRow {
  commentId: number;
  responseId: number;
  reference: string;
  /** What the respondent wrote: officers only. */
  original: string;
  /** Null until the comment has been redacted. */
  redactions: StoredRedaction[] | null;
  redacted: string | null;
  decision: Decision;
}

export interface ModerationCounts {
  total: number;
  pending: number;
  approved: number;
  withheld: number;
}

interface RawRow {
  commentId: number;
  responseId: number;
  reference: string;
  original: string;
  redactions: string | null;
  redacted: string | null;
  decision: Decision | null;
}

const toRow = (r: RawRow): ModerationRow => ({
  commentId: r.commentId,
  responseId: r.responseId,
  reference: r.reference,
  original: r.original,
  redactions: r.redactions === null ? null : (JSON.parse(r.redactions) as StoredRedaction[]),
  redacted: r.redacted,
  decision: r.decision ?? "pending",
});

// The comments of one item from submitted responses, with their moderation (if any), newest first.
const FROM = `FROM comments c
  JOIN responses r ON r.id = c.response_id AND r.status = 'submitted'
    AND ${notSetAside("r.id")}
  JOIN answers a ON a.response_id = c.response_id AND a.item_id = c.item_id AND a.text_value IS NOT NULL
  LEFT JOIN comment_moderation m ON m.comment_id = c.id`;
const COLUMNS = `c.id AS commentId, c.response_id AS responseId, r.reference, a.text_value AS original,
  m.redactions, m.redacted_text AS redacted, m.decision`;

/**
 * The moderation of comments before they are published (issue 11): their redacted forms and the
 * officers' decisions. Every statement is scoped by consultation, so an id from one consultation's
 * form can never touch another's.
 */
export class ModerationRepository {
  private readonly pageOf: Statement<[number, number, string, number, number], RawRow>;
  private readonly countsOf: Statement<[number, number], ModerationCounts>;
  private readonly unredacted: Statement<[number, number, number], { commentId: number; text: string }>;
  private readonly insert: Statement<[number, number, string, string, string]>;
  private readonly setDecision: Statement<[Decision, string, number | null, number, number]>;
  private readonly setRedaction: Statement<[string, string, string, number, number]>;
  private readonly bump: Statement<[number]>;
  private readonly versionOf: Statement<[number], { version: number }>;
  private readonly oneOf: Statement<[number, number], RawRow>;
  private readonly approvedOf: Statement<[number, number, number], { original: string; redacted: string }>;

  constructor(private readonly db: Db) {
    // "pending" lists what waits for a decision: not yet redacted, or redacted and not decided.
    this.pageOf = db.prepare(
      `SELECT ${COLUMNS} ${FROM}
        WHERE c.consultation_id = ? AND c.item_id = ? AND coalesce(m.decision, 'pending') = ?
        ORDER BY c.response_id DESC LIMIT ? OFFSET ?`,
    );
    this.countsOf = db.prepare(
      `SELECT count(*) AS total,
              coalesce(sum(coalesce(m.decision, 'pending') = 'pending'), 0) AS pending,
              coalesce(sum(m.decision = 'approved'), 0) AS approved,
              coalesce(sum(m.decision = 'withheld'), 0) AS withheld
         ${FROM} WHERE c.consultation_id = ? AND c.item_id = ?`,
    );
    this.unredacted = db.prepare(
      `SELECT c.id AS commentId, a.text_value AS text ${FROM}
        WHERE c.consultation_id = ? AND c.item_id = ? AND m.comment_id IS NULL AND a.text_value <> ''
        ORDER BY c.response_id DESC LIMIT ?`,
    );
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO comment_moderation (comment_id, consultation_id, redactions, redacted_text, redacted_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.setDecision = db.prepare(
      `UPDATE comment_moderation SET decision = ?, decided_at = ?, decided_by = ?
        WHERE consultation_id = ? AND comment_id = ?`,
    );
    this.setRedaction = db.prepare(
      `UPDATE comment_moderation SET redactions = ?, redacted_text = ?, redacted_at = ?
        WHERE consultation_id = ? AND comment_id = ?`,
    );
    this.bump = db.prepare(
      `INSERT INTO moderation_versions (consultation_id, version) VALUES (?, 1)
       ON CONFLICT (consultation_id) DO UPDATE SET version = version + 1`,
    );
    this.versionOf = db.prepare("SELECT version FROM moderation_versions WHERE consultation_id = ?");
    this.oneOf = db.prepare(`SELECT ${COLUMNS} ${FROM} WHERE c.consultation_id = ? AND c.id = ?`);
    this.approvedOf = db.prepare(
      `SELECT a.text_value AS original, m.redacted_text AS redacted ${FROM}
        WHERE c.consultation_id = ? AND c.item_id = ? AND m.decision = 'approved'
        ORDER BY c.response_id DESC LIMIT ?`,
    );
  }

  page(
    consultationId: number,
    itemId: number,
    decision: Decision,
    limit: number,
    offset: number,
  ): ModerationRow[] {
    return this.pageOf.all(consultationId, itemId, decision, limit, offset).map(toRow);
  }

  counts(consultationId: number, itemId: number): ModerationCounts {
    return this.countsOf.get(consultationId, itemId) ?? { total: 0, pending: 0, approved: 0, withheld: 0 };
  }

  /** Up to `limit` comments of the item not yet redacted, newest first. */
  unredactedComments(
    consultationId: number,
    itemId: number,
    limit: number,
  ): { commentId: number; text: string }[] {
    return this.unredacted.all(consultationId, itemId, limit);
  }

  find(consultationId: number, commentId: number): ModerationRow | undefined {
    const raw = this.oneOf.get(consultationId, commentId);
    return raw ? toRow(raw) : undefined;
  }

  /** Store first redactions (a comment already redacted keeps what it has). */
  storeRedactions(
    consultationId: number,
    found: readonly { commentId: number; redactions: StoredRedaction[]; redacted: string }[],
    at: Date,
  ): void {
    if (found.length === 0) return;
    this.db.transaction(() => {
      for (const f of found)
        this.insert.run(
          f.commentId,
          consultationId,
          JSON.stringify(f.redactions),
          f.redacted,
          at.toISOString(),
        );
      this.bump.run(consultationId);
    })();
  }

  /** An officer's new redaction of one comment; false when it has none to change. */
  updateRedactions(
    consultationId: number,
    commentId: number,
    redactions: StoredRedaction[],
    redacted: string,
    at: Date,
  ): boolean {
    return this.db.transaction(() => {
      const changed =
        this.setRedaction.run(
          JSON.stringify(redactions),
          redacted,
          at.toISOString(),
          consultationId,
          commentId,
        ).changes === 1;
      if (changed) this.bump.run(consultationId);
      return changed;
    })();
  }

  /** Approve, withhold or send back comments that have been redacted; returns how many changed. */
  decide(
    consultationId: number,
    commentIds: readonly number[],
    decision: Decision,
    officerId: number | null,
    at: Date,
  ): number {
    return this.db.transaction(() => {
      let n = 0;
      for (const id of commentIds)
        n += this.setDecision.run(decision, at.toISOString(), officerId, consultationId, id).changes;
      if (n > 0) this.bump.run(consultationId);
      return n;
    })();
  }

  /** The approved comments of an item, newest first: original and redacted text. */
  approved(consultationId: number, itemId: number, limit: number): { original: string; redacted: string }[] {
    return this.approvedOf.all(consultationId, itemId, limit);
  }

  /**
   * Responses whose answer to the consent question is one of `codes`: how many there are, and a
   * page of those whose every comment has been decided on (approved or withheld), oldest first.
   */
  consented(
    consultationId: number,
    questionKey: string,
    codes: readonly string[],
    page: { limit: number; offset: number },
  ): { consented: number; ready: number; responseIds: number[] } {
    const from = `FROM responses r
      WHERE r.consultation_id = ? AND r.status = 'submitted' AND ${notSetAside("r.id")}
        AND EXISTS (SELECT 1 FROM answers a JOIN items i ON i.id = a.item_id JOIN questions q ON q.id = i.question_id
                      JOIN options o ON o.id = a.option_id
                     WHERE a.response_id = r.id AND q.question_key = ? AND o.code IN (SELECT value FROM json_each(?)))`;
    const decided = `AND NOT EXISTS (SELECT 1 FROM comments c LEFT JOIN comment_moderation m ON m.comment_id = c.id
                       WHERE c.response_id = r.id AND coalesce(m.decision, 'pending') = 'pending')`;
    const params = [consultationId, questionKey, JSON.stringify(codes)] as const;
    const consented = (this.db.prepare(`SELECT count(*) AS n ${from}`).get(...params) as { n: number }).n;
    const ready = (this.db.prepare(`SELECT count(*) AS n ${from} ${decided}`).get(...params) as { n: number })
      .n;
    const responseIds = this.db
      .prepare(`SELECT r.id ${from} ${decided} ORDER BY r.submitted_at, r.id LIMIT ? OFFSET ?`)
      .pluck()
      .all(...params, page.limit, page.offset) as number[];
    return { consented, ready, responseIds };
  }

  /** Every answer of these responses, with their comments' moderation. */
  answersOf(responseIds: readonly number[]): (AnswerFact & { responseId: number })[] {
    if (responseIds.length === 0) return [];
    return this.db
      .prepare(
        `SELECT a.response_id AS responseId, q.question_key AS questionId, coalesce(i.statement_key, '') AS statement,
                o.code AS code, a.number_value AS number, a.text_value AS text,
                m.decision AS decision, m.redacted_text AS redacted
           FROM answers a JOIN items i ON i.id = a.item_id JOIN questions q ON q.id = i.question_id
           LEFT JOIN options o ON o.id = a.option_id
           LEFT JOIN comments c ON c.item_id = a.item_id AND c.response_id = a.response_id AND a.text_value IS NOT NULL
           LEFT JOIN comment_moderation m ON m.comment_id = c.id
          WHERE a.response_id IN (SELECT value FROM json_each(?))
          ORDER BY a.response_id, q.position, i.position`,
      )
      .all(JSON.stringify(responseIds)) as (AnswerFact & { responseId: number })[];
  }

  version(consultationId: number): number {
    return this.versionOf.get(consultationId)?.version ?? 0;
  }
}
