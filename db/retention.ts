import type { Statement } from "better-sqlite3";
import type { Db } from "./connection.js";

/** What one run did to one consultation, as logged in retention_runs.detail. */
export interface RetentionDetail {
  slug: string;
  draftsDeleted: number;
  textsErased: number;
  quotesKept: number;
  erased: boolean;
}

export interface RetentionRunRow {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  trigger: "schedule" | "command";
  draftsDeleted: number;
  textsErased: number;
  consultationsErased: number;
  detail: RetentionDetail[];
  error: string | null;
}

/** The consultation facts the retention job decides from. */
export interface RetentionCandidate {
  id: number;
  slug: string;
  closesAt: string;
  definitionJson: string;
  textErasedAt: string | null;
}

/**
 * The statements of the retention job. Each deletion works on a slice of responses (by id), in its
 * own transaction, so the service can yield between slices and a crash leaves nothing half done
 * that the next run would not finish.
 */
export class RetentionRepository {
  private readonly draftSlice: Statement<[number, number], number>;
  private readonly deleteResponse: Statement<[number]>;
  private readonly submittedSlice: Statement<[number, number, number], number>;
  private readonly eraseTexts: Statement<[number]>;
  private readonly forgetToken: Statement<[number]>;
  private readonly approvedCount: Statement<[number], number>;
  private readonly bumpThemes: Statement<[number]>;

  constructor(private readonly db: Db) {
    // A resident's unfinished response, never a row of an import still being stored: those are
    // drafts too until their batch is published (migration 0007), and deleting them would break an
    // import of paper forms into a closed consultation (all or nothing) while costing seconds.
    this.draftSlice = db
      .prepare<[number, number], number>(
        "SELECT id FROM responses WHERE consultation_id = ? AND status = 'draft' AND import_batch IS NULL ORDER BY id LIMIT ?",
      )
      .pluck();
    this.deleteResponse = db.prepare(
      "DELETE FROM responses WHERE id = ? AND status = 'draft' AND import_batch IS NULL",
    );
    this.submittedSlice = db
      .prepare<[number, number, number], number>(
        `SELECT id FROM responses WHERE consultation_id = ? AND status = 'submitted' AND id > ?
          ORDER BY id LIMIT ?`,
      )
      .pluck();
    // A text becomes '' rather than NULL: the answer row stays, so everything counted from it (who
    // commented, the themes its comment was coded to, the answer columns held in memory) stays
    // the same; only the words go. A comment an officer approved for publishing keeps its redacted
    // form in comment_moderation (its trigger, db/migrations/0014_comment_moderation.sql); every
    // other redaction goes with the original.
    this.eraseTexts = db.prepare(
      "UPDATE answers SET text_value = '' WHERE response_id = ? AND text_value IS NOT NULL AND text_value <> ''",
    );
    this.forgetToken = db.prepare("UPDATE responses SET draft_token = NULL WHERE id = ?");
    this.approvedCount = db
      .prepare<[number], number>(
        "SELECT count(*) FROM comment_moderation WHERE consultation_id = ? AND decision = 'approved'",
      )
      .pluck();
    // Comments changed: the theme version rises so every cache of quotes and reports reads again.
    this.bumpThemes = db.prepare(
      `INSERT INTO theme_versions (consultation_id, version) VALUES (?, 1)
       ON CONFLICT (consultation_id) DO UPDATE SET version = version + 1`,
    );
  }

  /**
   * Every consultation but the demo's: its responses are invented, and its dates are those of the
   * real consultations it copies, long past any retention period, so the job would empty the demo
   * the first day it ran.
   */
  candidates(): RetentionCandidate[] {
    return this.db
      .prepare(
        `SELECT id, slug, closes_at AS closesAt, definition_json AS definitionJson, text_erased_at AS textErasedAt
           FROM consultations WHERE is_demo = 0 ORDER BY id`,
      )
      .all() as RetentionCandidate[];
  }

  /** Delete up to `limit` unfinished responses; returns how many went. */
  deleteDrafts(consultationId: number, limit: number): number {
    return this.db.transaction(() => {
      let n = 0;
      for (const id of this.draftSlice.all(consultationId, limit)) n += this.deleteResponse.run(id).changes;
      return n;
    })();
  }

  /** The approved redacted quotes the consultation keeps. */
  approvedQuotes(consultationId: number): number {
    return this.approvedCount.get(consultationId) ?? 0;
  }

  /**
   * Erase the free text of the next `limit` submitted responses after `afterId`; returns the last
   * response id done (undefined when none was left) and how many texts were erased.
   */
  eraseSlice(
    consultationId: number,
    afterId: number,
    limit: number,
  ): { lastId: number | undefined; erased: number } {
    return this.db.transaction(() => {
      const ids = this.submittedSlice.all(consultationId, afterId, limit);
      let erased = 0;
      for (const id of ids) {
        erased += this.eraseTexts.run(id).changes;
        this.forgetToken.run(id);
      }
      if (erased > 0) this.bumpThemes.run(consultationId);
      return { lastId: ids[ids.length - 1], erased };
    })();
  }

  markErased(consultationId: number, at: Date): void {
    this.db
      .prepare("UPDATE consultations SET text_erased_at = ? WHERE id = ? AND text_erased_at IS NULL")
      .run(at.toISOString(), consultationId);
  }

  erasedAt(consultationId: number): string | null {
    const row = this.db
      .prepare("SELECT text_erased_at AS at FROM consultations WHERE id = ?")
      .get(consultationId) as { at: string | null } | undefined;
    return row?.at ?? null;
  }

  startRun(trigger: RetentionRunRow["trigger"], at: Date): number {
    return Number(
      this.db
        .prepare("INSERT INTO retention_runs (started_at, trigger) VALUES (?, ?)")
        .run(at.toISOString(), trigger).lastInsertRowid,
    );
  }

  finishRun(id: number, at: Date, detail: RetentionDetail[], error: string | null): void {
    const sum = (f: (d: RetentionDetail) => number) => detail.reduce((n, d) => n + f(d), 0);
    this.db
      .prepare(
        `UPDATE retention_runs SET finished_at = ?, drafts_deleted = ?, texts_erased = ?, consultations_erased = ?,
                detail = ?, error = ? WHERE id = ?`,
      )
      .run(
        at.toISOString(),
        sum((d) => d.draftsDeleted),
        sum((d) => d.textsErased),
        sum((d) => (d.erased ? 1 : 0)),
        JSON.stringify(detail),
        error,
        id,
      );
  }

  runs(limit = 50): RetentionRunRow[] {
    const rows = this.db
      .prepare(
        `SELECT id, started_at AS startedAt, finished_at AS finishedAt, trigger, drafts_deleted AS draftsDeleted,
                texts_erased AS textsErased, consultations_erased AS consultationsErased, detail, error
           FROM retention_runs ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as (Omit<RetentionRunRow, "detail"> & { detail: string })[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as RetentionDetail[] }));
  }
}
