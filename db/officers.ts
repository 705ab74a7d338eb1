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
