import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { generateSecret, generateURI, verifySync } from "otplib";
import { NotFoundError } from "../../analysis/errors.js";
import type { TwoFactorRepository } from "../../db/two-factor.js";
import type { Actor, AuditService } from "./audit.js";
import { hashToken } from "./references.js";

/** Codes are accepted one 30-second step either side of now (RFC 6238 section 5.2's network delay). */
export const STEP_SECONDS = 30;
/** How long a half-done sign-in waits for its code. */
export const PENDING_MINUTES = 5;
/** Wrong codes a half-done sign-in may send before the password must be given again. */
export const PENDING_FAILURES = 5;
export const RECOVERY_CODE_COUNT = 10;

/** A recovery code: 10 characters from an alphabet without look-alikes, shown in two groups. */
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const newRecoveryCode = () => {
  const bytes = randomBytes(10);
  const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
};
/** What a typed recovery code is compared as: lower case, without spaces or hyphens. */
const normaliseRecovery = (code: string) => code.toLowerCase().replace(/[\s-]/g, "");

/** Six digits, as authenticator apps show them (often as "123 456"). */
export const totpCodeOf = (typed: string): string | undefined => {
  const digits = typed.replace(/\s/g, "");
  return /^\d{6}$/.test(digits) ? digits : undefined;
};

/** The secret in groups of four, as people type it from the screen. */
export const groupedSecret = (secret: string) => secret.match(/.{1,4}/g)?.join(" ") ?? secret;

export type CodeCheck = { ok: true; how: "code" | "recovery code" } | { ok: false };

/**
 * TOTP two-factor sign-in (otplib) for officers who turn it on. Secrets are stored encrypted
 * with AES-256-GCM under a key derived (HKDF) from the app's secret, so a copy of the officers
 * table alone does not give them away.
 */
export class TwoFactorService {
  private readonly key: Buffer;

  constructor(
    private readonly repo: TwoFactorRepository,
    private readonly audit: AuditService,
    private readonly clock: () => Date,
    appSecret: string,
    private readonly issuer: string,
  ) {
    this.key = Buffer.from(hkdfSync("sha256", appSecret, "", "sounding two-factor secrets", 32));
  }

  private encrypt(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url")).join(".");
  }

  /** Undefined when the app's secret has changed since: the officer then needs a recovery code. */
  private decrypt(stored: string): string | undefined {
    const [iv, tag, body] = stored.split(".").map((p) => Buffer.from(p, "base64url"));
    if (!iv || !tag || !body) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
    } catch {
      return undefined;
    }
  }

  private row(officerId: number) {
    const row = this.repo.find(officerId);
    if (!row) throw new NotFoundError("No such account");
    return row;
  }

  isOn(officerId: number): boolean {
    return this.repo.find(officerId)?.secret != null;
  }

  recoveryCodesLeft(officerId: number): number {
    return this.repo.recoveryCodesLeft(officerId);
  }

  /**
   * The secret being set up, made on first asking and kept (encrypted) until confirmed, so that
   * reloading the page shows the same one the officer may already have scanned.
   */
  setUpSecret(officer: Actor): { secret: string; uri: string } | undefined {
    const row = this.row(officer.id);
    if (row.secret !== null) return undefined;
    let secret = row.pendingSecret === null ? undefined : this.decrypt(row.pendingSecret);
    if (secret === undefined) {
      secret = generateSecret();
      this.repo.setPending(officer.id, this.encrypt(secret));
    }
    return { secret, uri: generateURI({ issuer: this.issuer, label: officer.email, secret }) };
  }

  /** The time step a current code matches, within one step either way, or undefined. */
  private matchingStep(secret: string, typed: string, afterStep: number | null): number | undefined {
    const token = totpCodeOf(typed);
    if (token === undefined) return undefined;
    const epoch = Math.floor(this.clock().getTime() / 1000);
    try {
      const result = verifySync({
        secret,
        token,
        epoch,
        epochTolerance: STEP_SECONDS,
        ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
      });
      return result.valid && "timeStep" in result ? result.timeStep : undefined;
    } catch {
      // otplib throws when the last step used is beyond the window (a clock turned back).
      return undefined;
    }
  }

  /** Turn it on with a current code; returns the recovery codes, shown this once, or undefined. */
  confirm(officer: Actor, typed: string): string[] | undefined {
    const row = this.row(officer.id);
    if (row.secret !== null || row.pendingSecret === null) return undefined;
    const secret = this.decrypt(row.pendingSecret);
    const step = secret === undefined ? undefined : this.matchingStep(secret, typed, null);
    if (step === undefined) return undefined;
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    if (
      !this.repo.enable(
        officer.id,
        step,
        codes.map((c) => hashToken(normaliseRecovery(c))),
      )
    )
      return undefined;
    this.audit.record(officer, "two-factor-on");
    return codes;
  }

  /**
   * Check a code typed by an officer with two-factor on: a current code not used before, or an
   * unused recovery code (which is then spent).
   */
  check(officerId: number, typed: string): CodeCheck {
    const row = this.repo.find(officerId);
    if (!row || row.secret === null) return { ok: false };
    if (totpCodeOf(typed) !== undefined) {
      const secret = this.decrypt(row.secret);
      const step = secret === undefined ? undefined : this.matchingStep(secret, typed, row.lastStep);
      return step !== undefined && this.repo.useStep(officerId, step)
        ? { ok: true, how: "code" }
        : { ok: false };
    }
    const recovery = normaliseRecovery(typed);
    if (recovery.length !== 10 || typed.length > 40) return { ok: false };
    return this.repo.useRecoveryCode(officerId, hashToken(recovery))
      ? { ok: true, how: "recovery code" }
      : { ok: false };
  }

  /** Turn it off (the route has checked the password); false when the code is wrong. */
  turnOff(officer: Actor, typed: string): boolean {
    const checked = this.check(officer.id, typed);
    if (!checked.ok) {
      this.audit.record(officer, "two-factor-failed", { detail: "Turning two-factor sign-in off" });
      return false;
    }
    this.repo.disable(officer.id);
    this.audit.record(officer, "two-factor-off", { detail: `With a ${checked.how}` });
    return true;
  }

  /**
   * New recovery codes (the route has checked the password), shown this once; the old ones stop
   * working. Undefined when the code is wrong. A recovery code typed here is spent either way.
   */
  renewRecoveryCodes(officer: Actor, typed: string): string[] | undefined {
    const checked = this.check(officer.id, typed);
    if (!checked.ok) {
      this.audit.record(officer, "two-factor-failed", { detail: "Getting new recovery codes" });
      return undefined;
    }
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    if (
      !this.repo.renewRecoveryCodes(
        officer.id,
        codes.map((c) => hashToken(normaliseRecovery(c))),
      )
    )
      return undefined;
    this.audit.record(officer, "two-factor-recovery-renewed", { detail: `With a ${checked.how}` });
    return codes;
  }

  /** An admin resets a colleague who lost their phone and codes: they sign in with a password again. */
  reset(admin: Actor, officerId: number): boolean {
    const row = this.row(officerId);
    const done = this.repo.disable(officerId);
    if (done) this.audit.record(admin, "two-factor-reset", { subject: row.email });
    return done;
  }

  /** Start a half-done sign-in; returns the token for its cookie (only the hash is stored). */
  startSignIn(officerId: number): string {
    const token = randomBytes(32).toString("base64url");
    const now = this.clock();
    this.repo.startPending(
      hashToken(token),
      officerId,
      new Date(now.getTime() + PENDING_MINUTES * 60_000).toISOString(),
      now.toISOString(),
    );
    return token;
  }

  /** The officer a half-done sign-in is for, while it lasts. */
  pendingOfficer(token: string): number | undefined {
    if (token.length > 100) return undefined;
    return this.repo.findPending(hashToken(token), this.clock().toISOString())?.officerId;
  }

  /**
   * The second step: on success the half-done sign-in ends and the caller starts the session.
   * A wrong code is audited and counted; after PENDING_FAILURES the password must be given again.
   */
  finishSignIn(
    token: string,
    typed: string,
  ): { officerId: number; how: string } | "wrong" | "too-many" | "gone" {
    const id = hashToken(token);
    const pending = token.length > 100 ? undefined : this.repo.findPending(id, this.clock().toISOString());
    if (!pending) return "gone";
    const checked = this.check(pending.officerId, typed);
    if (checked.ok) {
      this.repo.endPending(id);
      return { officerId: pending.officerId, how: checked.how };
    }
    const row = this.repo.find(pending.officerId);
    this.audit.record(row ? { id: row.officerId, email: row.email } : null, "two-factor-failed", {
      detail: "Signing in",
    });
    if (pending.failures + 1 >= PENDING_FAILURES) {
      this.repo.endPending(id);
      return "too-many";
    }
    this.repo.countFailure(id);
    return "wrong";
  }

  cancelSignIn(token: string): void {
    this.repo.endPending(hashToken(token));
  }
}
