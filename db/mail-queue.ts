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

/** A message given up after its last attempt (migration 0024), as officers see it. */
export interface AbandonedMail {
  id: number;
  kind: QueuedMail["kind"];
  recipient: string;
  subject: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  abandonedAt: string;
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
          WHERE next_attempt_at <= ? AND abandoned_at IS NULL ORDER BY next_attempt_at, id LIMIT ?`,
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

  /** Waiting to be sent or retried (not given up). */
  pending(): number {
    return (
      this.db.prepare("SELECT count(*) AS n FROM mail_queue WHERE abandoned_at IS NULL").get() as {
        n: number;
      }
    ).n;
  }

  /** Given up after its last attempt: kept (not sent) until an officer retries or deletes it. */
  abandon(id: number, error: string, now: Date): void {
    this.db
      .prepare("UPDATE mail_queue SET attempts = attempts + 1, last_error = ?, abandoned_at = ? WHERE id = ?")
      .run(error.slice(0, 1000), now.toISOString(), id);
  }

  abandoned(): AbandonedMail[] {
    return this.db
      .prepare(
        `SELECT id, kind, recipient, subject, attempts, last_error AS lastError, created_at AS createdAt,
                abandoned_at AS abandonedAt
           FROM mail_queue WHERE abandoned_at IS NOT NULL ORDER BY abandoned_at DESC, id DESC`,
      )
      .all() as AbandonedMail[];
  }

  countAbandoned(): number {
    return (
      this.db.prepare("SELECT count(*) AS n FROM mail_queue WHERE abandoned_at IS NOT NULL").get() as {
        n: number;
      }
    ).n;
  }

  /** Back in the queue, due now, with its attempts counted afresh; false if it is not abandoned. */
  retry(id: number, now: Date): boolean {
    return (
      this.db
        .prepare(
          `UPDATE mail_queue SET abandoned_at = NULL, attempts = 0, next_attempt_at = ?
            WHERE id = ? AND abandoned_at IS NOT NULL`,
        )
        .run(now.toISOString(), id).changes === 1
    );
  }

  /** Deleted by an officer; false if it is not an abandoned message. */
  discard(id: number): boolean {
    return (
      this.db.prepare("DELETE FROM mail_queue WHERE id = ? AND abandoned_at IS NOT NULL").run(id).changes ===
      1
    );
  }

  /** Abandoned messages given up before `before` go, with their address and copy of the answers. */
  purgeAbandoned(before: Date): number {
    return this.db
      .prepare("DELETE FROM mail_queue WHERE abandoned_at IS NOT NULL AND abandoned_at < ?")
      .run(before.toISOString()).changes;
  }
}
