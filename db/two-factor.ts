import type { Db } from "./connection.js";

/** An officer's two-factor state as stored: the secrets are the encrypted form, never the secret. */
export interface TwoFactorRow {
  officerId: number;
  email: string;
  secret: string | null;
  lastStep: number | null;
  pendingSecret: string | null;
}

interface RawTwoFactor {
  id: number;
  email: string;
  totp_secret: string | null;
  totp_last_step: number | null;
  totp_pending_secret: string | null;
}

/** TOTP secrets, recovery codes and half-done sign-ins (migration 0023). */
export class TwoFactorRepository {
  constructor(private readonly db: Db) {}

  find(officerId: number): TwoFactorRow | undefined {
    const raw = this.db
      .prepare(
        "SELECT id, email, totp_secret, totp_last_step, totp_pending_secret FROM officers WHERE id = ?",
      )
      .get(officerId) as RawTwoFactor | undefined;
    return raw
      ? {
          officerId: raw.id,
          email: raw.email,
          secret: raw.totp_secret,
          lastStep: raw.totp_last_step,
          pendingSecret: raw.totp_pending_secret,
        }
      : undefined;
  }

  setPending(officerId: number, encryptedSecret: string): void {
    this.db
      .prepare("UPDATE officers SET totp_pending_secret = ? WHERE id = ?")
      .run(encryptedSecret, officerId);
  }

  /** The pending secret becomes the secret, with its first code's step and new recovery codes. */
  enable(officerId: number, step: number, recoveryHashes: readonly string[]): boolean {
    return this.db.transaction(() => {
      const changed = this.db
        .prepare(
          `UPDATE officers SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = ?
            WHERE id = ? AND totp_pending_secret IS NOT NULL AND totp_secret IS NULL`,
        )
        .run(step, officerId).changes;
      if (changed !== 1) return false;
      this.replaceRecoveryCodes(officerId, recoveryHashes);
      return true;
    })();
  }

  /** Off: the secret, any set-up in progress, the recovery codes and half-done sign-ins go. */
  disable(officerId: number): boolean {
    return this.db.transaction(() => {
      const changed = this.db
        .prepare(
          `UPDATE officers SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL
            WHERE id = ? AND (totp_secret IS NOT NULL OR totp_pending_secret IS NOT NULL)`,
        )
        .run(officerId).changes;
      this.db.prepare("DELETE FROM officer_recovery_codes WHERE officer_id = ?").run(officerId);
      this.db.prepare("DELETE FROM two_factor_pending WHERE officer_id = ?").run(officerId);
      return changed === 1;
    })();
  }

  /**
   * Record the step of a code just accepted, only if it is later than the last one: of two requests
   * racing with the same code, one wins.
   */
  useStep(officerId: number, step: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE officers SET totp_last_step = ?
            WHERE id = ? AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < ?)`,
        )
        .run(step, officerId, step).changes === 1
    );
  }

  /** New recovery codes for an officer with two-factor on, in one transaction: the old ones stop working. */
  renewRecoveryCodes(officerId: number, hashes: readonly string[]): boolean {
    return this.db.transaction(() => {
      const on = this.db
        .prepare("SELECT 1 FROM officers WHERE id = ? AND totp_secret IS NOT NULL")
        .get(officerId);
      if (!on) return false;
      this.replaceRecoveryCodes(officerId, hashes);
      return true;
    })();
  }

  replaceRecoveryCodes(officerId: number, hashes: readonly string[]): void {
    this.db.prepare("DELETE FROM officer_recovery_codes WHERE officer_id = ?").run(officerId);
    const insert = this.db.prepare(
      "INSERT INTO officer_recovery_codes (officer_id, code_hash) VALUES (?, ?)",
    );
    for (const hash of hashes) insert.run(officerId, hash);
  }

  /** Spend a recovery code: true only the first time. */
  useRecoveryCode(officerId: number, hash: string): boolean {
    return (
      this.db
        .prepare("DELETE FROM officer_recovery_codes WHERE officer_id = ? AND code_hash = ?")
        .run(officerId, hash).changes === 1
    );
  }

  recoveryCodesLeft(officerId: number): number {
    return this.db
      .prepare("SELECT count(*) FROM officer_recovery_codes WHERE officer_id = ?")
      .pluck()
      .get(officerId) as number;
  }

  startPending(id: string, officerId: number, expiresAt: string, now: string): void {
    this.db.prepare("DELETE FROM two_factor_pending WHERE expires_at <= ?").run(now);
    this.db
      .prepare("INSERT INTO two_factor_pending (id, officer_id, expires_at) VALUES (?, ?, ?)")
      .run(id, officerId, expiresAt);
  }

  findPending(id: string, now: string): { officerId: number; failures: number } | undefined {
    const row = this.db
      .prepare("SELECT officer_id, failures FROM two_factor_pending WHERE id = ? AND expires_at > ?")
      .get(id, now) as { officer_id: number; failures: number } | undefined;
    return row ? { officerId: row.officer_id, failures: row.failures } : undefined;
  }

  countFailure(id: string): void {
    this.db.prepare("UPDATE two_factor_pending SET failures = failures + 1 WHERE id = ?").run(id);
  }

  endPending(id: string): void {
    this.db.prepare("DELETE FROM two_factor_pending WHERE id = ?").run(id);
  }
}
