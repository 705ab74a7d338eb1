import type { Db } from "./connection.js";

export interface QueuedMail {
  id: number;
  kind: "resume" | "receipt";
  responseId: number | null;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

/** The e-mail waiting to be sent (db/migrations/0017_mail_and_resume.sql says why it is kept so briefly). */
export class MailQueueRepository {
  constructor(private readonly db: Db) {}

  add(mail: Omit<QueuedMail, "id" | "attempts">, now: Date): number {
    const stamp = now.toISOString();
    return Number(
      this.db
        .prepare(
          `INSERT INTO mail_queue (kind, response_id, recipient, subject, body, next_attempt_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(mail.kind, mail.responseId, mail.recipient, mail.subject, mail.body, stamp, stamp)
        .lastInsertRowid,
    );
  }

  due(now: Date, limit: number): QueuedMail[] {
    return this.db
      .prepare(
        `SELECT id, kind, response_id AS responseId, recipient, subject, body, attempts FROM mail_queue
          WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
      )
      .all(now.toISOString(), limit) as QueuedMail[];
  }

  /** Sent (or given up): the address and the copy of the answers go. */
  remove(id: number): void {
    this.db.prepare("DELETE FROM mail_queue WHERE id = ?").run(id);
  }

  failed(id: number, error: string, nextAttempt: Date): void {
    this.db
      .prepare(
        "UPDATE mail_queue SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
      )
      .run(error.slice(0, 1000), nextAttempt.toISOString(), id);
  }

  pending(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM mail_queue").get() as { n: number }).n;
  }
}
