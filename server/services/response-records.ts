import type { AnswerSet } from "../../analysis/answers.js";
import { NotFoundError } from "../../analysis/errors.js";
import type { ConsultationRow } from "../../db/consultations.js";
import type { MarkKind, ResponseMark, ResponseRecord, ResponseRecords } from "../../db/response-records.js";
import type { Actor, AuditService } from "./audit.js";

/** A reference as a respondent may quote it: upper case, spaces and dashes as typed are forgiven. */
export function normaliseReference(raw: string): string {
  return raw.trim().toUpperCase().slice(0, 40);
}

export interface FoundResponse extends Omit<ResponseRecord, "answers"> {
  /** Set aside as spam or a duplicate: left out of the results until restored. */
  mark?: ResponseMark;
  /** The answers as the respondent gave them, in the shape the check-answers page reads. */
  answers: AnswerSet;
}

/** Stored answer rows back into a respondent's answers (the shape analysis/answers.ts describes). */
function toAnswerSet(record: ResponseRecord, def: ConsultationRow["definition"]): AnswerSet {
  const kinds = new Map(def.pages.flatMap((p) => p.questions.map((q) => [q.id, q.kind] as const)));
  const answers: AnswerSet = {};
  for (const a of record.answers) {
    const kind = kinds.get(a.questionKey);
    if (kind === "text" && a.text !== null) answers[a.questionKey] = a.text;
    else if (kind === "number" && a.number !== null) answers[a.questionKey] = a.number;
    else if ((kind === "single" || kind === "likert") && a.optionCode) answers[a.questionKey] = a.optionCode;
    else if (kind === "multiple" && a.optionCode) {
      const was = answers[a.questionKey];
      const codes =
        was && typeof was === "object" && "codes" in was
          ? (was as { codes: string[]; other?: string })
          : { codes: [] };
      codes.codes.push(a.optionCode);
      if (a.text !== null) codes.other = a.text;
      answers[a.questionKey] = codes;
    } else if ((kind === "grid" || kind === "paired") && a.optionCode && a.statementKey) {
      const was = (answers[a.questionKey] ?? {}) as Record<string, string>;
      was[a.statementKey] = a.optionCode;
      answers[a.questionKey] = was;
    }
  }
  return answers;
}

/** Set-aside responses listed on one page. */
export const SET_ASIDE_PAGE = 50;

export class ResponseRecordService {
  constructor(
    private readonly records: ResponseRecords,
    private readonly audit: AuditService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  find(consultation: ConsultationRow, reference: string): FoundResponse | undefined {
    const record = this.records.find(consultation.id, normaliseReference(reference));
    if (!record) return undefined;
    return {
      ...record,
      mark: this.records.markOf(record.id),
      answers: toAnswerSet(record, consultation.definition),
    };
  }

  /** The set-aside responses, a page of SET_ASIDE_PAGE at a time (page 1 first). */
  setAside(consultation: ConsultationRow, page: number) {
    const { rows, total } = this.records.setAside(
      consultation.id,
      SET_ASIDE_PAGE,
      (page - 1) * SET_ASIDE_PAGE,
    );
    return { rows, total, pages: Math.max(1, Math.ceil(total / SET_ASIDE_PAGE)) };
  }

  /**
   * Withdraw a response at the respondent's request: deleted with its answers. The audit trail
   * records who withdrew it, when and why, and the reference, never what it said.
   */
  withdraw(consultation: ConsultationRow, reference: string, reason: string, actor: Actor): void {
    const record = this.records.find(consultation.id, normaliseReference(reference));
    if (!record || !this.records.delete(record.id)) throw new NotFoundError(`No response ${reference}`);
    this.audit.record(actor, "response-withdrawn", {
      consultation: { id: consultation.id, slug: consultation.slug },
      subject: record.reference,
      detail: reason,
    });
  }

  /**
   * Set a response aside as spam or a duplicate: kept, and recoverable, but out of the results,
   * exports and answer matrix (the mark's trigger logs it as removed). Audited with the reference
   * and the reason, never the answers. False when it was already set aside.
   */
  mark(
    consultation: ConsultationRow,
    reference: string,
    kind: MarkKind,
    reason: string,
    actor: Actor,
  ): boolean {
    const record = this.records.find(consultation.id, normaliseReference(reference));
    if (!record) throw new NotFoundError(`No response ${reference}`);
    const marked = this.records.mark(record.id, {
      kind,
      reason,
      markedAt: this.clock().toISOString(),
      officerEmail: actor.email,
    });
    if (marked)
      this.audit.record(actor, "response-marked", {
        consultation: { id: consultation.id, slug: consultation.slug },
        subject: record.reference,
        detail: `${kind === "spam" ? "Spam" : "Duplicate"}: ${reason}`,
      });
    return marked;
  }

  /** Count a set-aside response again. False when it was not set aside. */
  restore(consultation: ConsultationRow, reference: string, actor: Actor): boolean {
    const record = this.records.find(consultation.id, normaliseReference(reference));
    if (!record) throw new NotFoundError(`No response ${reference}`);
    const restored = this.records.unmark(record.id);
    if (restored)
      this.audit.record(actor, "response-unmarked", {
        consultation: { id: consultation.id, slug: consultation.slug },
        subject: record.reference,
      });
    return restored;
  }
}
