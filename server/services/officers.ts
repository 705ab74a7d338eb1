import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import {
  OFFICER_ROLES,
  type OfficerRepository,
  type OfficerRole,
  type OfficerRow,
} from "../../db/officers.js";
import type { SessionRepository } from "../../db/sessions.js";
import { ConcurrencyGate } from "./concurrency-gate.js";
import { passwordProblem, WeakPasswordError } from "./password-policy.js";
import { dummyHash, generatePassword, hashPassword, needsRehash, verifyPassword } from "./passwords.js";
import { hashToken } from "./references.js";

export { OFFICER_ROLES, type OfficerRole };

/** What pages may know about the signed-in officer: never the password hash. */
export interface Officer {
  id: number;
  email: string;
  name: string;
  role: OfficerRole;
  lastSignInAt: string | null;
  disabled: boolean;
  /** Whether two-factor sign-in is on. */
  twoFactor: boolean;
}

export interface SessionPolicy {
  /** A session ends after this long without a request. */
  idleMinutes: number;
  /** A session ends this long after sign-in, however busy. */
  absoluteHours: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 30, absoluteHours: 12 };

// last_seen_at is written at most this often, so that reading pages does not write on every request.
const TOUCH_EVERY_MS = 60_000;

export class DuplicateOfficerError extends Error {}

const publicView = (o: OfficerRow): Officer => ({
  id: o.id,
  email: o.email,
  name: o.name,
  role: o.role,
  lastSignInAt: o.lastSignInAt,
  disabled: o.disabled,
  twoFactor: o.twoFactor,
});

/** How long a sign-in may wait for a free core before it is asked to try again. */
export const PASSWORD_WAIT_MS = 5_000;

/** One argon2id hash or verification per core at once; the rest queue (concurrency-gate.ts). */
export const passwordGate = () => new ConcurrencyGate(availableParallelism(), PASSWORD_WAIT_MS);

export class OfficerService {
  constructor(
    private readonly officers: OfficerRepository,
    private readonly sessions: SessionRepository,
    private readonly clock: () => Date,
    private readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
    private readonly argon2: ConcurrencyGate = passwordGate(),
  ) {}

  list(): Officer[] {
    return this.officers.list().map(publicView);
  }

  find(id: number): Officer | undefined {
    const o = this.officers.findById(id);
    return o ? publicView(o) : undefined;
  }

  async create(input: {
    email: string;
    name: string;
    role: OfficerRole;
    password: string;
  }): Promise<Officer> {
    const problem = passwordProblem(input.password);
    if (problem) throw new WeakPasswordError(problem);
    if (this.officers.findByEmail(input.email)) throw new DuplicateOfficerError(input.email);
    const passwordHash = await this.argon2.run(() => hashPassword(input.password));
    try {
      const id = this.officers.insert({ ...input, passwordHash, createdAt: this.clock().toISOString() });
      return {
        id,
        email: input.email,
        name: input.name,
        role: input.role,
        lastSignInAt: null,
        disabled: false,
        twoFactor: false,
      };
    } catch (err) {
      // Another request added the same email while this one was hashing.
      if ((err as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE")
        throw new DuplicateOfficerError(input.email);
      throw err;
    }
  }

  /**
   * The officer with this email and password, or undefined. An unknown email still costs one
   * argon2id verification, so that a failed sign-in takes about as long either way. Throws
   * GateBusyError when every core has been busy verifying for PASSWORD_WAIT_MS.
   */
  async verifyCredentials(email: string, password: string): Promise<Officer | undefined> {
    const officer = this.officers.findByEmail(email.trim());
    const ok = await this.argon2.run(async () =>
      verifyPassword(officer?.passwordHash ?? (await dummyHash()), password),
    );
    if (!officer || !ok || officer.disabled) return undefined;
    if (needsRehash(officer.passwordHash))
      this.officers.updatePasswordHash(officer.id, await this.argon2.run(() => hashPassword(password)));
    return publicView(officer);
  }

  /**
   * Start a session for an officer who has just proved who they are. Returns the token for the
   * cookie; only its hash is stored. Any session the browser already had is ended (rotation), so a
   * token planted before sign-in is worth nothing after it.
   */
  signIn(officer: Officer, opts: { previousToken?: string; userAgent?: string } = {}): string {
    if (opts.previousToken) this.sessions.delete(hashToken(opts.previousToken));
    const now = this.clock();
    this.sessions.deleteExpired(now.toISOString(), this.idleCutoff(now));
    const token = randomBytes(32).toString("base64url");
    this.sessions.insert({
      id: hashToken(token),
      officerId: officer.id,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.policy.absoluteHours * 3_600_000).toISOString(),
      userAgent: opts.userAgent?.slice(0, 300) ?? null,
    });
    this.officers.recordSignIn(officer.id, now.toISOString());
    return token;
  }

  /** The officer a session cookie belongs to, if the session is still live; marks it as used. */
  resume(token: string): Officer | undefined {
    if (token.length > 100) return undefined;
    const id = hashToken(token);
    const found = this.sessions.findWithOfficer(id);
    if (!found) return undefined;
    const now = this.clock();
    const { session, officer } = found;
    if (
      session.expiresAt <= now.toISOString() ||
      session.lastSeenAt <= this.idleCutoff(now) ||
      officer.disabled
    ) {
      this.sessions.delete(id);
      return undefined;
    }
    if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS)
      this.sessions.touch(id, now.toISOString());
    return publicView(officer);
  }

  signOut(token: string): void {
    this.sessions.delete(hashToken(token));
  }

  private idleCutoff(now: Date): string {
    return new Date(now.getTime() - this.policy.idleMinutes * 60_000).toISOString();
  }

  /** Used only by ensureFirstAdmin: creates the officer when there are none. */
  async createFirst(email: string, password: string): Promise<boolean> {
    if (this.officers.count() > 0) return false;
    const problem = passwordProblem(password);
    if (problem) throw new WeakPasswordError(`SOUNDING_ADMIN_PASSWORD: ${problem}`);
    const passwordHash = await this.argon2.run(() => hashPassword(password));
    const id = this.officers.insertIfNone({
      email,
      name: "Administrator",
      role: "admin",
      passwordHash,
      createdAt: this.clock().toISOString(),
    });
    return id !== undefined;
  }
}

export type FirstAdminOutcome =
  | { created: false }
  | { created: true; email: string; passwordGenerated: boolean };

/**
 * On first start (no officers at all) create an admin: with the configured password, or with a
 * generated one that is printed once, here, and stored nowhere but as its hash.
 */
export async function ensureFirstAdmin(
  officers: OfficerService,
  opts: { email: string; password: string | undefined },
  print: (text: string) => void = console.log,
): Promise<FirstAdminOutcome> {
  const password = opts.password ?? generatePassword();
  if (!(await officers.createFirst(opts.email, password))) return { created: false };
  if (opts.password) {
    print(`Created the first admin account, ${opts.email}, with the password from SOUNDING_ADMIN_PASSWORD.`);
    return { created: true, email: opts.email, passwordGenerated: false };
  }
  print(
    [
      "No officer accounts existed, so an admin account has been created:",
      `  Email:    ${opts.email}`,
      `  Password: ${password}`,
      "This password is shown only this once and is not stored. Keep it in a password manager,",
      "then sign in at /officer/sign-in and add accounts for your colleagues.",
    ].join("\n"),
  );
  return { created: true, email: opts.email, passwordGenerated: true };
}
