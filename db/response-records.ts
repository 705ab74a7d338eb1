import type { Db } from "./connection.js";

/** One stored answer row, named by the keys of the definition it answers. */
export interface StoredAnswer {
  questionKey: string;
  statementKey: string | null;
  optionCode: string | null;
  number: number | null;
  text: string | null;
}

export interface ResponseRecord {
  id: number;
  reference: string;
  channel: string;
  submittedAt: string;
  definitionVersion: number;
  answers: StoredAnswer[];
}

export const MARK_KINDS = ["spam", "duplicate"] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

export interface ResponseMark {
  kind: MarkKind;
  reason: string;
  markedAt: string;
  officerEmail: string | null;
}

/** A set-aside response as the list of them shows it. */
export interface SetAsideRow extends ResponseMark {
  reference: string;
}

/** Officers finding, reading and withdrawing one submitted response by its reference (issue 12, item 5). */
export class ResponseRecords {
  constructor(private readonly db: Db) {}

  find(consultationId: number, reference: string): ResponseRecord | undefined {
    const row = this.db
      .prepare(
        `SELECT id, reference, channel, submitted_at AS submittedAt, definition_version AS definitionVersion
           FROM responses WHERE reference = ? AND consultation_id = ? AND status = 'submitted'`,
      )
      .get(reference, consultationId) as Omit<ResponseRecord, "answers"> | undefined;
    if (!row) return undefined;
    const answers = this.db
      .prepare(
        `SELECT q.question_key AS questionKey, i.statement_key AS statementKey, o.code AS optionCode,
                a.number_value AS number, a.text_value AS text
           FROM answers a JOIN items i ON i.id = a.item_id JOIN questions q ON q.id = i.question_id
           LEFT JOIN options o ON o.id = a.option_id
          WHERE a.response_id = ? ORDER BY q.position, i.position, o.position`,
      )
      .all(row.id) as StoredAnswer[];
    return { ...row, answers };
  }

  /**
   * The consultation's set-aside responses, most recently set aside first, a page at a time, with
   * how many there are in all.
   */
  setAside(consultationId: number, limit: number, offset: number): { rows: SetAsideRow[]; total: number } {
    const rows = this.db
      .prepare(
        `SELECT r.reference, m.kind, m.reason, m.marked_at AS markedAt, m.officer_email AS officerEmail
           FROM response_marks m JOIN responses r ON r.id = m.response_id
          WHERE r.consultation_id = ? ORDER BY m.marked_at DESC, r.id DESC LIMIT ? OFFSET ?`,
      )
      .all(consultationId, limit, offset) as SetAsideRow[];
    const total = this.db
      .prepare(
        "SELECT count(*) FROM response_marks m JOIN responses r ON r.id = m.response_id WHERE r.consultation_id = ?",
      )
      .pluck()
      .get(consultationId) as number;
    return { rows, total };
  }

  /** Why a response was set aside (spam or a duplicate), or undefined while it counts. */
  markOf(responseId: number): ResponseMark | undefined {
    return this.db
      .prepare(
        "SELECT kind, reason, marked_at AS markedAt, officer_email AS officerEmail FROM response_marks WHERE response_id = ?",
      )
      .get(responseId) as ResponseMark | undefined;
  }

  /** Set a response aside (its trigger logs it as removed from the results); false if already marked. */
  mark(responseId: number, mark: ResponseMark): boolean {
    return (
      this.db
        .prepare(
          "INSERT OR IGNORE INTO response_marks (response_id, kind, reason, marked_at, officer_email) VALUES (?, ?, ?, ?, ?)",
        )
        .run(responseId, mark.kind, mark.reason, mark.markedAt, mark.officerEmail).changes === 1
    );
  }

  /** Count it again (its trigger logs it as submitted once more); false if it was not marked. */
  unmark(responseId: number): boolean {
    return this.db.prepare("DELETE FROM response_marks WHERE response_id = ?").run(responseId).changes === 1;
  }

  /** Delete a response with its answers (and their comments and tags); the log tells the results. */
  delete(id: number): boolean {
    return (
      this.db.prepare("DELETE FROM responses WHERE id = ? AND status = 'submitted'").run(id).changes === 1
    );
  }
}
