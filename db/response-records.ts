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

  /** Delete a response with its answers (and their comments and tags); the log tells the results. */
  delete(id: number): boolean {
    return (
      this.db.prepare("DELETE FROM responses WHERE id = ? AND status = 'submitted'").run(id).changes === 1
    );
  }
}
