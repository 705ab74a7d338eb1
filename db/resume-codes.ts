import type { Db } from "./connection.js";

/** Save-and-return codes: one per draft, only its hash stored (db/migrations/0017_mail_and_resume.sql). */
export class ResumeCodeRepository {
  constructor(private readonly db: Db) {}

  /** Give a draft a new code, replacing any earlier one (an earlier link stops working). */
  set(responseId: number, codeHash: string, email: string | null, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO resume_codes (response_id, code_hash, email, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (response_id) DO UPDATE SET code_hash = excluded.code_hash, email = excluded.email,
           created_at = excluded.created_at`,
      )
      .run(responseId, codeHash, email, now.toISOString());
  }

  /** The draft a code belongs to, if the code is current. */
  find(codeHash: string): { responseId: number } | undefined {
    return this.db
      .prepare("SELECT response_id AS responseId FROM resume_codes WHERE code_hash = ?")
      .get(codeHash) as { responseId: number } | undefined;
  }

  /**
   * Use a code: the draft's cookie token becomes `tokenHash` and the code (with its e-mail address)
   * is deleted, in one transaction, so a code works once. False when it was already used.
   */
  use(codeHash: string, tokenHash: string): number | undefined {
    return this.db.transaction(() => {
      const row = this.find(codeHash);
      if (!row) return undefined;
      this.db.prepare("DELETE FROM resume_codes WHERE response_id = ?").run(row.responseId);
      const moved = this.db
        .prepare("UPDATE responses SET draft_token = ? WHERE id = ? AND status = 'draft'")
        .run(tokenHash, row.responseId).changes;
      return moved === 1 ? row.responseId : undefined;
    })();
  }
}
