import type { Statement } from "better-sqlite3";
import type { AnswerSet } from "../analysis/answers.js";
import { isMultipleAnswer } from "../analysis/answers.js";
import type { Db } from "./connection.js";
import type { Catalog } from "./consultations.js";

export type Channel = "online" | "paper" | "email" | "event";

export interface DraftRow {
  id: number;
  consultationId: number;
  status: "draft" | "submitted";
  reference: string | null;
  answers: AnswerSet;
  startedAt: string;
  submittedAt: string | null;
  /** The definition version the draft was begun on, or the response answered. */
  definitionVersion: number;
  /** Set when a draft was just carried to a newer version: what changed, in plain words. */
  changedSince?: string[];
}

interface RawResponse {
  id: number;
  consultation_id: number;
  status: "draft" | "submitted";
  reference: string | null;
  draft_json: string | null;
  started_at: string;
  submitted_at: string | null;
  definition_version: number;
}

export interface AnswerRow {
  itemId: number;
  optionId: number | null;
  number: number | null;
  text: string | null;
}

/** Turn a respondent's answers into one row per answered item (one per ticked option). */
export function toAnswerRows(catalog: Catalog, answers: AnswerSet): AnswerRow[] {
  const rows: AnswerRow[] = [];
  for (const [questionKey, value] of Object.entries(answers)) {
    const q = catalog.questions.get(questionKey);
    if (!q) throw new Error(`Answer to unknown question "${questionKey}"`);
    const single = q.items.get("");
    const option = (code: string) => {
      const id = q.options.get(code);
      if (id === undefined) throw new Error(`Unknown option "${code}" for "${questionKey}"`);
      return id;
    };
    if (typeof value === "number") {
      if (single !== undefined) rows.push({ itemId: single, optionId: null, number: value, text: null });
    } else if (typeof value === "string") {
      if (single === undefined) throw new Error(`"${questionKey}" has statements`);
      if (q.kind === "text") rows.push({ itemId: single, optionId: null, number: null, text: value });
      else rows.push({ itemId: single, optionId: option(value), number: null, text: null });
    } else if (isMultipleAnswer(value)) {
      if (single === undefined) throw new Error(`"${questionKey}" has statements`);
      for (const code of value.codes) {
        // The "Other, please specify" text rides on the row of the ticked "other" option.
        const text = code === q.otherCode && value.other ? value.other : null;
        rows.push({ itemId: single, optionId: option(code), number: null, text });
      }
    } else {
      for (const [statement, code] of Object.entries(value)) {
        const itemId = q.items.get(statement);
        if (itemId === undefined) throw new Error(`Unknown statement "${statement}" for "${questionKey}"`);
        rows.push({ itemId, optionId: option(code), number: null, text: null });
      }
    }
  }
  return rows;
}

export class ResponseRepository {
  private readonly insertDraft: Statement;
  private readonly byToken: Statement;
  private readonly updateDraft: Statement;
  private readonly carryDraft: Statement;
  private readonly markSubmitted: Statement;
  private readonly insertAnswer: Statement;
  private readonly insertImported: Statement;
  /** Draft saves of this turn of the event loop, the last per draft, and who waits for them. */
  private pendingDrafts = new Map<number, { json: string; stamp: string }>();
  private draftWaiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private commitScheduled = false;

  constructor(private readonly db: Db) {
    this.insertDraft = db.prepare(
      `INSERT INTO responses (consultation_id, status, channel, draft_token, draft_json, started_at, updated_at, definition_version)
     VALUES (?, 'draft', 'online', ?, '{}', ?, ?, (SELECT version FROM consultations WHERE id = ?))`,
    );
    this.byToken = db.prepare(
      "SELECT id, consultation_id, status, reference, draft_json, started_at, submitted_at, definition_version FROM responses WHERE draft_token = ?",
    );
    this.updateDraft = db.prepare(
      "UPDATE responses SET draft_json = ?, updated_at = ? WHERE id = ? AND status = 'draft'",
    );
    this.carryDraft = db.prepare(
      "UPDATE responses SET draft_json = ?, definition_version = ? WHERE id = ? AND status = 'draft'",
    );
    this.markSubmitted = db.prepare(
      `UPDATE responses SET status = 'submitted', reference = ?, submitted_at = ?, updated_at = ?, draft_json = NULL,
        definition_version = (SELECT c.version FROM consultations c WHERE c.id = responses.consultation_id)
     WHERE id = ? AND status = 'draft'`,
    );
    this.insertAnswer = db.prepare(
      "INSERT INTO answers (response_id, item_id, option_id, number_value, text_value) VALUES (?, ?, ?, ?, ?)",
    );
    this.insertImported = db.prepare(
      `INSERT INTO responses (consultation_id, status, reference, channel, started_at, updated_at, submitted_at, import_key, definition_version)
     VALUES (?, 'submitted', ?, ?, ?, ?, ?, ?, (SELECT version FROM consultations WHERE id = ?))`,
    );
  }

  createDraft(consultationId: number, tokenHash: string, now: Date): number {
    const stamp = now.toISOString();
    return Number(
      this.insertDraft.run(consultationId, tokenHash, stamp, stamp, consultationId).lastInsertRowid,
    );
  }

  findByTokenHash(tokenHash: string): DraftRow | undefined {
    const raw = this.byToken.get(tokenHash) as RawResponse | undefined;
    // A page of this draft saved but not yet committed (a second tab, a double post): read it again.
    if (raw && this.commitIfWaiting(raw.id))
      return this.toDraft(this.byToken.get(tokenHash) as RawResponse | undefined);
    return this.toDraft(raw);
  }

  findById(id: number): DraftRow | undefined {
    this.commitIfWaiting(id);
    return this.toDraft(
      this.db
        .prepare(
          "SELECT id, consultation_id, status, reference, draft_json, started_at, submitted_at, definition_version FROM responses WHERE id = ?",
        )
        .get(id) as RawResponse | undefined,
    );
  }

  private toDraft(raw: RawResponse | undefined): DraftRow | undefined {
    if (!raw) return undefined;
    return {
      id: raw.id,
      consultationId: raw.consultation_id,
      status: raw.status,
      reference: raw.reference,
      answers: raw.draft_json ? (JSON.parse(raw.draft_json) as AnswerSet) : {},
      startedAt: raw.started_at,
      submittedAt: raw.submitted_at,
      definitionVersion: raw.definition_version,
    };
  }

  /** A draft's answers as carried to a newer definition version. */
  carry(responseId: number, answers: AnswerSet, version: number): void {
    this.commitIfWaiting(responseId);
    this.carryDraft.run(JSON.stringify(answers), version, responseId);
  }

  /**
   * Save a draft's answers. Saves made in the same turn of the event loop are committed together,
   * in one transaction, just after it (group commit); the promise settles when this one is on disk
   * (as far as synchronous=NORMAL goes: a killed process loses nothing committed).
   *
   * Why: under load one turn handles dozens of answer posts, and each commit of its own costs the
   * locks, log writes and checks of a whole transaction; together they cost one. A respondent is
   * only told a page is saved (the redirect to the next page) once the promise has settled, and a
   * read or other write of a draft with a save still waiting commits it first (commitIfWaiting), so nothing reads
   * an older draft than the respondent has seen saved.
   */
  saveDraft(responseId: number, answers: AnswerSet, now: Date): Promise<void> {
    this.pendingDrafts.set(responseId, { json: JSON.stringify(answers), stamp: now.toISOString() });
    return new Promise<void>((resolve, reject) => {
      this.draftWaiters.push({ resolve, reject });
      if (!this.commitScheduled) {
        this.commitScheduled = true;
        setImmediate(() => this.commitDrafts());
      }
    });
  }

  /**
   * Before a draft is read or written otherwise: if a save of it is waiting for the end of this
   * turn, commit the saves now, so nothing reads or overwrites an older draft than the respondent
   * has been told is saved. Returns whether it did.
   */
  private commitIfWaiting(responseId: number): boolean {
    if (!this.pendingDrafts.has(responseId)) return false;
    this.commitDrafts();
    return true;
  }

  /** Commit every draft save still waiting, now, and settle their promises. */
  commitDrafts(): void {
    this.commitScheduled = false;
    const pending = this.pendingDrafts;
    const waiters = this.draftWaiters;
    if (waiters.length === 0) return;
    this.pendingDrafts = new Map();
    this.draftWaiters = [];
    try {
      this.db.transaction(() => {
        for (const [id, d] of pending) this.updateDraft.run(d.json, d.stamp, id);
      })();
    } catch (err) {
      for (const w of waiters) w.reject(err);
      return;
    }
    for (const w of waiters) w.resolve();
  }

  /**
   * Submit a draft: its answer rows, reference and time are written in one transaction, so a response
   * is either wholly stored or not at all. Returns false when it was already submitted (a double
   * click or a refresh), which callers treat as success.
   */
  submit(responseId: number, reference: string, rows: AnswerRow[], now: Date): boolean {
    this.commitIfWaiting(responseId);
    return this.db.transaction(() => {
      const stamp = now.toISOString();
      if (this.markSubmitted.run(reference, stamp, stamp, responseId).changes !== 1) return false;
      for (const r of rows) this.insertAnswer.run(responseId, r.itemId, r.optionId, r.number, r.text);
      return true;
    })();
  }

  /** Store an already complete response (imports, demo data). Call inside a transaction for batches. */
  insertSubmitted(
    consultationId: number,
    reference: string,
    channel: Channel,
    submittedAt: Date,
    rows: AnswerRow[],
    importKey: string | null = null,
  ): number {
    const stamp = submittedAt.toISOString();
    const id = Number(
      this.insertImported.run(
        consultationId,
        reference,
        channel,
        stamp,
        stamp,
        stamp,
        importKey,
        consultationId,
      ).lastInsertRowid,
    );
    for (const r of rows) this.insertAnswer.run(id, r.itemId, r.optionId, r.number, r.text);
    return id;
  }

  answerCount(responseId: number): number {
    return (
      this.db.prepare("SELECT count(*) AS n FROM answers WHERE response_id = ?").get(responseId) as {
        n: number;
      }
    ).n;
  }
}
