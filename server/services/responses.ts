import { type AnswerSet, mergePageAnswers, pruneHiddenAnswers } from "../../analysis/answers.js";
import { firstIncompletePage } from "../../analysis/completeness.js";
import { carryAnswers } from "../../analysis/definition-changes.js";
import type { ConsultationRepository, ConsultationRow } from "../../db/consultations.js";
import { type DraftRow, type ResponseRepository, toAnswerRows } from "../../db/responses.js";
import { hashToken, newReference, newToken } from "./references.js";

export type SubmitOutcome = { kind: "submitted"; reference: string } | { kind: "incomplete"; pageId: string };

export class ResponseService {
  constructor(
    private readonly responses: ResponseRepository,
    private readonly consultations: ConsultationRepository,
    private readonly clock: () => Date,
  ) {}

  /** Start an online response; the returned token goes in the respondent's cookie. */
  start(consultation: ConsultationRow): string {
    const token = newToken();
    this.responses.createDraft(consultation.id, hashToken(token), this.clock());
    return token;
  }

  find(consultation: ConsultationRow, token: string | undefined): DraftRow | undefined {
    if (!token) return undefined;
    const draft = this.responses.findByTokenHash(hashToken(token));
    if (!draft || draft.consultationId !== consultation.id) return undefined;
    return draft.status === "draft" && draft.definitionVersion < consultation.version
      ? this.carry(consultation, draft)
      : draft;
  }

  /**
   * A draft begun before the consultation was changed moves to the current version: answers that
   * still fit are kept, and the respondent is told what changed (and which answers, if any, they
   * need to give again).
   */
  private carry(consultation: ConsultationRow, draft: DraftRow): DraftRow {
    const carried = carryAnswers(consultation.definition, draft.answers);
    this.responses.carry(draft.id, carried.answers, consultation.version);
    const changedSince = [
      ...this.consultations.changesSince(consultation.id, draft.definitionVersion),
      ...carried.dropped.map(
        (q) => `Your answer to ${q} no longer fits the question: please answer it again`,
      ),
    ];
    return { ...draft, answers: carried.answers, definitionVersion: consultation.version, changedSince };
  }

  /**
   * Merge one page's answers into the draft, dropping answers to questions now hidden. Resolves
   * with the answers kept once they are committed (saves of one turn of the event loop are
   * committed together: ResponseRepository.saveDraft).
   */
  async savePage(
    consultation: ConsultationRow,
    draft: DraftRow,
    pageQuestionIds: string[],
    pageAnswers: AnswerSet,
  ): Promise<AnswerSet> {
    const kept = mergePageAnswers(consultation.definition, draft.answers, pageQuestionIds, pageAnswers);
    await this.responses.saveDraft(draft.id, kept, this.clock());
    return kept;
  }

  /** Commit the draft saves still waiting for the end of this turn now (before the database closes). */
  commitSaves(): void {
    this.responses.commitDrafts();
  }

  /**
   * Submit the draft. Idempotent: a draft already submitted returns its reference again, so a double
   * click or a refresh stores one response.
   */
  submit(consultation: ConsultationRow, draft: DraftRow): SubmitOutcome {
    if (draft.status === "submitted" && draft.reference)
      return { kind: "submitted", reference: draft.reference };
    const answers = pruneHiddenAnswers(consultation.definition, draft.answers);
    const pageId = firstIncompletePage(consultation.definition, answers);
    if (pageId) return { kind: "incomplete", pageId };
    const rows = toAnswerRows(this.consultations.catalog(consultation.id), answers);
    for (let attempt = 0; ; attempt++) {
      const reference = newReference();
      try {
        if (this.responses.submit(draft.id, reference, rows, this.clock()))
          return { kind: "submitted", reference };
        // Another request submitted it first: report the reference that one stored.
        const stored = this.responses.findById(draft.id);
        if (stored?.reference) return { kind: "submitted", reference: stored.reference };
        throw new Error("Draft vanished while submitting");
      } catch (err) {
        // A clash with an existing reference (1 in 10^12 per pair) is retried with a new one.
        if (attempt < 3 && String(err).includes("UNIQUE constraint failed: responses.reference")) continue;
        throw err;
      }
    }
  }
}
