import { randomBytes } from "node:crypto";
import { InvalidRequestError, NotFoundError } from "../../analysis/errors.js";
import type { OfficerAccounts, OfficerRepository, OfficerRole } from "../../db/officers.js";
import type { Actor, AuditService } from "./audit.js";
import type { ConcurrencyGate } from "./concurrency-gate.js";
import type { Officer } from "./officers.js";
import { passwordProblem, WeakPasswordError } from "./password-policy.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { hashToken } from "./references.js";

/** How long a set-up link works. */
export const SET_UP_HOURS = 72;

/** Not an argon2 hash, so no password matches it while a set-up link is out. */
const NO_PASSWORD = "!set-up-link";

/** A change an admin may not make, e.g. to their own account or to the last admin. */
export class AccountChangeError extends InvalidRequestError {}

/**
 * What admins do to colleagues' accounts, and what every officer does to their own password
 * (issue 12, item 6). Each change goes into the audit trail.
 */
export class AccountService {
  constructor(
    private readonly officers: OfficerRepository,
    private readonly accounts: OfficerAccounts,
    private readonly audit: AuditService,
    private readonly argon2: ConcurrencyGate,
    private readonly clock: () => Date,
  ) {}

  private target(admin: Actor, id: number) {
    const officer = this.officers.findById(id);
    if (!officer) throw new NotFoundError("No such account");
    if (officer.id === admin.id)
      throw new AccountChangeError("You cannot change your own account here: use ‘Your account’ instead");
    return officer;
  }

  /** Never leave the service without an admin who can sign in. */
  private keepAnAdmin(officer: { role: OfficerRole; disabled: boolean }) {
    if (officer.role === "admin" && !officer.disabled && this.accounts.countAdmins() <= 1)
      throw new AccountChangeError(
        "This is the only admin who can sign in: make someone else an admin first",
      );
  }

  /** A one-time set-up link's token (shown to the admin once, stored only as a hash). */
  resetPassword(admin: Actor, id: number): { token: string; email: string; expiresAt: string } {
    const officer = this.target(admin, id);
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(this.clock().getTime() + SET_UP_HOURS * 3_600_000).toISOString();
    this.accounts.startSetUp(officer.id, hashToken(token), expiresAt, NO_PASSWORD);
    this.audit.record(admin, "account-password-reset", {
      subject: officer.email,
      detail: `Link works until ${expiresAt}`,
    });
    return { token, email: officer.email, expiresAt };
  }

  setDisabled(admin: Actor, id: number, disabled: boolean): void {
    const officer = this.target(admin, id);
    if (disabled) this.keepAnAdmin(officer);
    this.accounts.setDisabled(officer.id, disabled);
    this.audit.record(admin, disabled ? "account-disabled" : "account-enabled", { subject: officer.email });
  }

  setRole(admin: Actor, id: number, role: OfficerRole): void {
    const officer = this.target(admin, id);
    if (role === officer.role) return;
    if (role !== "admin") this.keepAnAdmin(officer);
    this.accounts.setRole(officer.id, role);
    this.audit.record(admin, "account-role-changed", {
      subject: officer.email,
      detail: `${officer.role} to ${role}`,
    });
  }

  remove(admin: Actor, id: number): void {
    const officer = this.target(admin, id);
    this.keepAnAdmin(officer);
    this.accounts.remove(officer.id);
    this.audit.record(admin, "account-removed", { subject: officer.email, detail: `Was ${officer.role}` });
  }

  /** The account a set-up link is for, while the link works. */
  setUpFor(token: string): Officer | undefined {
    if (token.length > 100) return undefined;
    const o = this.accounts.findBySetUpToken(hashToken(token), this.clock().toISOString());
    return o
      ? {
          id: o.id,
          email: o.email,
          name: o.name,
          role: o.role,
          lastSignInAt: o.lastSignInAt,
          disabled: o.disabled,
          twoFactor: o.twoFactor,
        }
      : undefined;
  }

  /** Choose a password from a set-up link; the link then stops working. False when it already has. */
  async finishSetUp(token: string, password: string): Promise<boolean> {
    const officer = this.setUpFor(token);
    if (!officer) return false;
    const problem = passwordProblem(password);
    if (problem) throw new WeakPasswordError(problem);
    const hash = await this.argon2.run(() => hashPassword(password));
    const done = this.accounts.finishSetUp(hashToken(token), hash, this.clock().toISOString());
    if (done)
      this.audit.record({ id: officer.id, email: officer.email }, "password-changed", {
        detail: "From a set-up link",
      });
    return done;
  }

  /** An officer changes their own password, proving the current one first. */
  async changeOwnPassword(
    officer: Actor,
    current: string,
    next: string,
  ): Promise<"changed" | "wrong-password"> {
    const row = this.officers.findById(officer.id);
    if (!row) throw new NotFoundError("No such account");
    const ok = await this.argon2.run(() => verifyPassword(row.passwordHash, current));
    if (!ok) return "wrong-password";
    const problem = passwordProblem(next);
    if (problem) throw new WeakPasswordError(problem);
    const hash = await this.argon2.run(() => hashPassword(next));
    this.officers.updatePasswordHash(officer.id, hash);
    this.audit.record(officer, "password-changed");
    return "changed";
  }
}
