import type { Statement } from "better-sqlite3";
import type { Db } from "./connection.js";

/** editor: builds and runs consultations; officer: reads results; analyst: also exports and reports. */
export const OFFICER_ROLES = ["admin", "editor", "officer", "analyst"] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];

export interface OfficerRow {
  id: number;
  email: string;
  name: string;
  role: OfficerRole;
  passwordHash: string;
  createdAt: string;
  lastSignInAt: string | null;
  disabled: boolean;
  /** Whether two-factor sign-in is on (a confirmed TOTP key is stored). */
  twoFactor: boolean;
}

export interface NewOfficer {
  email: string;
  name: string;
  role: OfficerRole;
  passwordHash: string;
  createdAt: string;
}

export interface RawOfficer {
  id: number;
  email: string;
  name: string;
  role: OfficerRole;
  password_hash: string;
  created_at: string;
  last_sign_in_at: string | null;
  disabled: number;
  totp_secret?: string | null;
}

export function toOfficerRow(raw: RawOfficer): OfficerRow {
  return {
    id: raw.id,
    email: raw.email,
    name: raw.name,
    role: raw.role,
    passwordHash: raw.password_hash,
    createdAt: raw.created_at,
    lastSignInAt: raw.last_sign_in_at,
    disabled: raw.disabled === 1,
    twoFactor: raw.totp_secret !== null && raw.totp_secret !== undefined,
  };
}

export class OfficerRepository {
  private readonly countAll: Statement<[], { n: number }>;
  private readonly byEmail: Statement<[string], RawOfficer>;
  private readonly byId: Statement<[number], RawOfficer>;
  private readonly all: Statement<[], RawOfficer>;
  private readonly insertOne: Statement<[string, string, OfficerRole, string, string]>;
  private readonly signedIn: Statement<[string, number]>;
  private readonly newHash: Statement<[string, number]>;

  constructor(private readonly db: Db) {
    this.countAll = db.prepare("SELECT count(*) AS n FROM officers");
    this.byEmail = db.prepare("SELECT * FROM officers WHERE email = ?");
    this.byId = db.prepare("SELECT * FROM officers WHERE id = ?");
    this.all = db.prepare("SELECT * FROM officers ORDER BY name COLLATE NOCASE, email");
    this.insertOne = db.prepare(
      "INSERT INTO officers (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
    );
    this.signedIn = db.prepare("UPDATE officers SET last_sign_in_at = ? WHERE id = ?");
    this.newHash = db.prepare("UPDATE officers SET password_hash = ? WHERE id = ?");
  }

  count(): number {
    return this.countAll.get()?.n ?? 0;
  }

  /** Emails compare without regard to case (the column is COLLATE NOCASE). */
  findByEmail(email: string): OfficerRow | undefined {
    const raw = this.byEmail.get(email);
    return raw ? toOfficerRow(raw) : undefined;
  }

  findById(id: number): OfficerRow | undefined {
    const raw = this.byId.get(id);
    return raw ? toOfficerRow(raw) : undefined;
  }

  list(): OfficerRow[] {
    return this.all.all().map(toOfficerRow);
  }

  /** Throws better-sqlite3's SQLITE_CONSTRAINT_UNIQUE error when the email is taken. */
  insert(o: NewOfficer): number {
    return Number(this.insertOne.run(o.email, o.name, o.role, o.passwordHash, o.createdAt).lastInsertRowid);
  }

  /**
   * Insert the officer only when there are none yet, checked and written in one immediate
   * transaction so that two processes starting together cannot both create a first admin.
   */
  insertIfNone(o: NewOfficer): number | undefined {
    return this.db.transaction(() => (this.count() === 0 ? this.insert(o) : undefined)).immediate();
  }

  recordSignIn(id: number, at: string): void {
    this.signedIn.run(at, id);
  }

  updatePasswordHash(id: number, passwordHash: string): void {
    this.newHash.run(passwordHash, id);
  }
}

/** Account changes an admin makes (issue 12, item 6), and the one-time set-up links. */
export class OfficerAccounts {
  constructor(private readonly db: Db) {}

  setRole(id: number, role: OfficerRole): void {
    this.db.prepare("UPDATE officers SET role = ? WHERE id = ?").run(role, id);
  }

  /** Disabling ends every session the account has. */
  setDisabled(id: number, disabled: boolean): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE officers SET disabled = ? WHERE id = ?").run(disabled ? 1 : 0, id);
      if (disabled) this.db.prepare("DELETE FROM sessions WHERE officer_id = ?").run(id);
    })();
  }

  /**
   * Remove an account. What the officer did stays (tags they confirmed, comments they reviewed), no
   * longer linked to an account; the audit trail keeps their email.
   */
  remove(id: number): void {
    this.db.transaction(() => {
      for (const [table, column] of [
        ["comments", "reviewed_by"],
        ["comments", "flagged_by"],
        ["tag_batches", "officer_id"],
        ["tag_batches", "undone_by"],
        ["tags", "created_by"],
        ["tags", "confirmed_by"],
        ["tag_rejections", "officer_id"],
      ] as const)
        this.db.prepare(`UPDATE ${table} SET ${column} = NULL WHERE ${column} = ?`).run(id);
      this.db.prepare("DELETE FROM officers WHERE id = ?").run(id);
    })();
  }

  /** A set-up link replaces the password: the old one stops working and every session ends. */
  startSetUp(id: number, tokenHash: string, expiresAt: string, unusableHash: string): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          "UPDATE officers SET setup_token_hash = ?, setup_expires_at = ?, password_hash = ? WHERE id = ?",
        )
        .run(tokenHash, expiresAt, unusableHash, id);
      this.db.prepare("DELETE FROM sessions WHERE officer_id = ?").run(id);
    })();
  }

  findBySetUpToken(tokenHash: string, now: string): OfficerRow | undefined {
    const raw = this.db
      .prepare("SELECT * FROM officers WHERE setup_token_hash = ? AND setup_expires_at > ?")
      .get(tokenHash, now) as RawOfficer | undefined;
    return raw ? toOfficerRow(raw) : undefined;
  }

  /** Set the password from a set-up link, once: the link is spent in the same statement. */
  finishSetUp(tokenHash: string, passwordHash: string, now: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE officers SET password_hash = ?, setup_token_hash = NULL, setup_expires_at = NULL
            WHERE setup_token_hash = ? AND setup_expires_at > ?`,
        )
        .run(passwordHash, tokenHash, now).changes === 1
    );
  }

  countAdmins(): number {
    return this.db
      .prepare("SELECT count(*) FROM officers WHERE role = 'admin' AND disabled = 0")
      .pluck()
      .get() as number;
  }
}
