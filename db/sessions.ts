import type { Statement } from "better-sqlite3";
import type { Db } from "./connection.js";
import { type OfficerRow, toOfficerRow } from "./officers.js";

export interface SessionRow {
  /** SHA-256 (hex) of the token in the officer's cookie. */
  id: string;
  officerId: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
}

export interface SessionWithOfficer {
  session: SessionRow;
  officer: OfficerRow;
}

interface RawJoined {
  s_id: string;
  s_officer_id: number;
  s_created_at: string;
  s_last_seen_at: string;
  s_expires_at: string;
  s_user_agent: string | null;
  id: number;
  email: string;
  name: string;
  role: OfficerRow["role"];
  password_hash: string;
  created_at: string;
  last_sign_in_at: string | null;
  disabled: number;
}

/** Times are ISO 8601 strings in UTC (Date#toISOString), so they compare correctly as text. */
export class SessionRepository {
  private readonly insertOne: Statement<[string, number, string, string, string, string | null]>;
  private readonly withOfficer: Statement<[string], RawJoined>;
  private readonly touchOne: Statement<[string, string]>;
  private readonly deleteOne: Statement<[string]>;
  private readonly deleteStale: Statement<[string, string]>;

  constructor(db: Db) {
    this.insertOne = db.prepare(
      `INSERT INTO sessions (id, officer_id, created_at, last_seen_at, expires_at, user_agent)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.withOfficer = db.prepare(
      `SELECT s.id AS s_id, s.officer_id AS s_officer_id, s.created_at AS s_created_at,
              s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, s.user_agent AS s_user_agent,
              o.*
       FROM sessions s JOIN officers o ON o.id = s.officer_id WHERE s.id = ?`,
    );
    this.touchOne = db.prepare("UPDATE sessions SET last_seen_at = ? WHERE id = ?");
    this.deleteOne = db.prepare("DELETE FROM sessions WHERE id = ?");
    this.deleteStale = db.prepare("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?");
  }

  insert(s: SessionRow): void {
    this.insertOne.run(s.id, s.officerId, s.createdAt, s.lastSeenAt, s.expiresAt, s.userAgent);
  }

  findWithOfficer(id: string): SessionWithOfficer | undefined {
    const raw = this.withOfficer.get(id);
    if (!raw) return undefined;
    return {
      session: {
        id: raw.s_id,
        officerId: raw.s_officer_id,
        createdAt: raw.s_created_at,
        lastSeenAt: raw.s_last_seen_at,
        expiresAt: raw.s_expires_at,
        userAgent: raw.s_user_agent,
      },
      officer: toOfficerRow(raw),
    };
  }

  touch(id: string, at: string): void {
    this.touchOne.run(at, id);
  }

  delete(id: string): void {
    this.deleteOne.run(id);
  }

  /** Remove sessions past their absolute end or idle since before `idleCutoff`. */
  deleteExpired(now: string, idleCutoff: string): number {
    return this.deleteStale.run(now, idleCutoff).changes;
  }
}
