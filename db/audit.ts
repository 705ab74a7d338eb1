import type { Statement } from "better-sqlite3";
import type { Db } from "./connection.js";

export interface AuditEntry {
  id: number;
  at: string;
  officerId: number | null;
  officerEmail: string | null;
  action: string;
  consultationSlug: string | null;
  subject: string | null;
  detail: string;
}

export interface NewAuditEntry {
  at: string;
  officerId: number | null;
  officerEmail: string | null;
  action: string;
  consultationId: number | null;
  consultationSlug: string | null;
  subject: string | null;
  detail: string;
}

export interface AuditFilter {
  action?: string;
  officer?: string;
  consultation?: string;
  /** Entries with an id below this (the next page, newest first). */
  before?: number;
  limit: number;
}

/** The append-only audit trail (migration 0012): written here, never changed. */
export class AuditRepository {
  private readonly insert: Statement;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO audit_events (at, officer_id, officer_email, action, consultation_id, consultation_slug, subject, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  append(e: NewAuditEntry): void {
    this.insert.run(
      e.at,
      e.officerId,
      e.officerEmail,
      e.action,
      e.consultationId,
      e.consultationSlug,
      e.subject,
      e.detail,
    );
  }

  /** Newest first, narrowed by any of action, officer email and consultation slug. */
  list(f: AuditFilter): AuditEntry[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (f.action) {
      where.push("action = ?");
      args.push(f.action);
    }
    if (f.officer) {
      where.push("officer_email = ? COLLATE NOCASE");
      args.push(f.officer);
    }
    if (f.consultation) {
      where.push("consultation_slug = ?");
      args.push(f.consultation);
    }
    if (f.before !== undefined) {
      where.push("id < ?");
      args.push(f.before);
    }
    const sql = `SELECT id, at, officer_id AS officerId, officer_email AS officerEmail, action,
        consultation_slug AS consultationSlug, subject, detail FROM audit_events
        ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
    return this.db.prepare(sql).all(...args, f.limit) as AuditEntry[];
  }

  /** The actions recorded so far, for the filter's list. */
  actions(): string[] {
    return this.db
      .prepare("SELECT DISTINCT action FROM audit_events ORDER BY action")
      .pluck()
      .all() as string[];
  }
}
