import type { ConsultationRow } from "../../db/consultations.js";
import type { DraftRow, ResponseRepository } from "../../db/responses.js";
import type { ResumeCodeRepository } from "../../db/resume-codes.js";
import { hashToken, newToken } from "./references.js";

/**
 * Save and come back later: a draft gets a one-time code, which a link carries. Using the code
 * moves the draft to the browser that used it (a new cookie token) and deletes the code, and the
 * e-mail address with it. A code works only while the consultation is open (the routes check), and
 * goes with its draft 30 days after closing (the retention job).
 */
export class SaveReturnService {
  constructor(
    private readonly codes: ResumeCodeRepository,
    private readonly responses: ResponseRepository,
    private readonly clock: () => Date,
  ) {}

  /** A new code for the draft (any earlier link stops working); the code itself is never stored. */
  newCode(draft: DraftRow, email: string | null): string {
    const code = newToken();
    this.codes.set(draft.id, hashToken(code), email, this.clock());
    return code;
  }

  /** Whether a code is current for a draft of this consultation (without using it). */
  isCurrent(consultation: ConsultationRow, code: string): boolean {
    return this.draftOf(consultation, code) !== undefined;
  }

  /** Use a code: returns the new cookie token for the draft, or undefined if the code is not current. */
  use(consultation: ConsultationRow, code: string): string | undefined {
    if (!this.draftOf(consultation, code)) return undefined;
    const token = newToken();
    return this.codes.use(hashToken(code), hashToken(token)) === undefined ? undefined : token;
  }

  private draftOf(consultation: ConsultationRow, code: string): DraftRow | undefined {
    if (!/^[A-Za-z0-9_-]{32}$/.test(code)) return undefined;
    const found = this.codes.find(hashToken(code));
    const draft = found ? this.responses.findById(found.responseId) : undefined;
    return draft && draft.consultationId === consultation.id && draft.status === "draft" ? draft : undefined;
  }
}
