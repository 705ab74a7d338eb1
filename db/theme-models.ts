import { type Db, databaseFile } from "./connection.js";
import { notSetAside } from "./set-aside.js";
import { inTimedTransactions, untilNoChanges } from "./timed-transactions.js";

/** One comment as the classifier needs it, with what the officers decided about it. */
export interface CommentForModel {
  id: number;
  itemId: number;
  text: string;
  /** The respondent's single-choice and Likert answers, as "item=option" (ids: stable and opaque). */
  closed: string[];
  reviewed: boolean;
  /** Themes an officer confirmed on it. */
  confirmed: number[];
  /** Themes an officer rejected on it. */
  rejected: number[];
  /**
   * Themes it has a tag of, confirmed or not (a suggestion is never made over one), less the last
   * model's own unconfirmed suggestions: the new model replaces them, so counting them here made
   * every retraining drop them all and suggest nothing in their place.
   */
  tagged: number[];
}

export interface StoredModel {
  id: number;
  createdAt: string;
  confirmedTags: number;
  themes: number[];
  model: Uint8Array;
  agreement: string;
  trainMs: number;
}

export interface Suggestion {
  commentId: number;
  themeId: number;
  score: number;
}

/**
 * The theme models of a consultation, the comments they learn from and the suggestions they
 * write (tags with source "model", unconfirmed, with a score). SQL only here.
 */
export class ThemeModelRepository {
  constructor(private readonly db: Db) {}

  /**
   * Every comment of the consultation with its closed answers and its coding, in id order, less those
   * of responses set aside as spam or duplicates (the model neither learns from nor suggests for them).
   */
  comments(consultationId: number): CommentForModel[] {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.item_id AS itemId, a.text_value AS text, c.reviewed_at IS NOT NULL AS reviewed
           FROM comments c
           JOIN answers a ON a.response_id = c.response_id AND a.item_id = c.item_id AND a.text_value IS NOT NULL
          WHERE c.consultation_id = ? AND ${notSetAside("c.response_id")} ORDER BY c.id`,
      )
      .all(consultationId) as { id: number; itemId: number; text: string; reviewed: number }[];
    const byId = new Map<number, CommentForModel>();
    const out = rows.map((r) => {
      const c: CommentForModel = {
        id: r.id,
        itemId: r.itemId,
        text: r.text,
        closed: [],
        reviewed: r.reviewed === 1,
        confirmed: [],
        rejected: [],
        tagged: [],
      };
      byId.set(r.id, c);
      return c;
    });
    const closed = this.db
      .prepare(
        `SELECT c.id, a.item_id || '=' || a.option_id FROM comments c
           JOIN answers a ON a.response_id = c.response_id AND a.option_id IS NOT NULL
           JOIN items i ON i.id = a.item_id JOIN questions q ON q.id = i.question_id AND q.kind IN ('single', 'likert')
          WHERE c.consultation_id = ?`,
      )
      .raw()
      .all(consultationId) as [number, string][];
    for (const [id, answer] of closed) byId.get(id)?.closed.push(answer);
    const tags = this.db
      .prepare(
        `SELECT g.comment_id, g.theme_id, g.confirmed FROM tags g JOIN comments c ON c.id = g.comment_id
          WHERE c.consultation_id = ? AND NOT (g.source = 'model' AND g.confirmed = 0)`,
      )
      .raw()
      .all(consultationId) as [number, number, number][];
    for (const [id, theme, confirmed] of tags) {
      const c = byId.get(id);
      if (!c) continue;
      c.tagged.push(theme);
      if (confirmed === 1) c.confirmed.push(theme);
    }
    const rejected = this.db
      .prepare(
        `SELECT r.comment_id, r.theme_id FROM tag_rejections r JOIN comments c ON c.id = r.comment_id
          WHERE c.consultation_id = ?`,
      )
      .raw()
      .all(consultationId) as [number, number][];
    for (const [id, theme] of rejected) byId.get(id)?.rejected.push(theme);
    return out;
  }

  /** Confirmed tags of the consultation: the count that decides when to learn again. */
  confirmedCount(consultationId: number): number {
    const row = this.db
      .prepare(
        `SELECT count(*) AS n FROM tags g JOIN comments c ON c.id = g.comment_id
          WHERE c.consultation_id = ? AND g.confirmed = 1 AND ${notSetAside("c.response_id")}`,
      )
      .get(consultationId) as { n: number };
    return row.n;
  }

  /** The database file, for a worker thread's own connection; null for an in-memory database. */
  file(): string | null {
    return databaseFile(this.db) ?? null;
  }

  /** The model in use, without its weights (what the pages show about it). */
  latest(consultationId: number): Omit<StoredModel, "model"> | undefined {
    const row = this.db
      .prepare(
        `SELECT id, created_at AS createdAt, confirmed_tags AS confirmedTags, themes, agreement, train_ms AS trainMs
           FROM theme_models WHERE consultation_id = ? ORDER BY id DESC LIMIT 1`,
      )
      .get(consultationId) as (Omit<StoredModel, "themes" | "model"> & { themes: string }) | undefined;
    if (!row) return undefined;
    return { ...row, themes: JSON.parse(row.themes) as number[] };
  }

  /**
   * Store a model and replace the previous model's suggestions with its own, in one transaction:
   * unconfirmed model tags go, the new ones are added where the comment has no tag of the theme
   * and no officer rejected it. Older models are deleted (their training stays in the audit trail).
   */
  store(
    consultationId: number,
    m: Omit<StoredModel, "id"> & { training: [number, number, number][] },
    suggestions: readonly Suggestion[],
    margins: readonly [number, number][],
  ): number {
    return this.db.transaction(() => {
      this.db.prepare(DELETE_SUGGESTIONS).run(consultationId);
      const id = this.insertModel(consultationId, m);
      const add = this.db.prepare(ADD_SUGGESTION);
      for (const s of suggestions) add.run(suggestionRow(consultationId, m.createdAt, s));
      this.db.prepare(CLEAR_MARGINS).run(consultationId);
      const margin = this.db.prepare(SET_MARGIN);
      for (const [commentId, m] of margins) margin.run(m, commentId, consultationId);
      return id;
    })();
  }

  /**
   * The same as `store`, in short transactions (inTimedTransactions): for the training worker's own
   * connection, so that storing 100,000 suggestions never holds the write lock for long. Between
   * them the workbench may briefly show some old suggestions gone and some new ones not yet there:
   * suggestions are never counted, so no figure is ever wrong meanwhile.
   */
  storeInSlices(
    consultationId: number,
    m: Omit<StoredModel, "id"> & { training: [number, number, number][] },
    suggestions: readonly Suggestion[],
    margins: readonly [number, number][],
  ): number {
    const dropOld = this.db.prepare(
      `DELETE FROM tags WHERE id IN (SELECT g.id FROM tags g JOIN comments c ON c.id = g.comment_id
          WHERE c.consultation_id = ? AND g.source = 'model' AND g.confirmed = 0 LIMIT ${BATCH_ROWS})`,
    );
    untilNoChanges(this.db, () => dropOld.run(consultationId).changes);
    const id = this.db.transaction(() => this.insertModel(consultationId, m))();
    const add = this.db.prepare(ADD_SUGGESTION);
    inTimedTransactions(this.db, suggestions.length, (i) =>
      add.run(suggestionRow(consultationId, m.createdAt, suggestions[i] as Suggestion)),
    );
    const clear = this.db.prepare(
      `UPDATE comments SET model_margin = NULL WHERE id IN
         (SELECT id FROM comments WHERE consultation_id = ? AND model_margin IS NOT NULL LIMIT ${BATCH_ROWS})`,
    );
    untilNoChanges(this.db, () => clear.run(consultationId).changes);
    const margin = this.db.prepare(SET_MARGIN);
    inTimedTransactions(this.db, margins.length, (i) => {
      const [commentId, value] = margins[i] as [number, number];
      margin.run(value, commentId, consultationId);
    });
    return id;
  }

  /** A new model row; the consultation's older models are deleted. */
  private insertModel(
    consultationId: number,
    m: Omit<StoredModel, "id"> & { training: [number, number, number][] },
  ): number {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO theme_models (consultation_id, created_at, confirmed_tags, themes, training, model, agreement, train_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          consultationId,
          m.createdAt,
          m.confirmedTags,
          JSON.stringify(m.themes),
          JSON.stringify(m.training),
          Buffer.from(m.model.buffer, m.model.byteOffset, m.model.byteLength),
          m.agreement,
          Math.round(m.trainMs),
        ).lastInsertRowid,
    );
    this.db.prepare("DELETE FROM theme_models WHERE consultation_id = ? AND id < ?").run(consultationId, id);
    return id;
  }

  /** Unconfirmed model suggestions of one theme with at least this score, as comment ids. */
  suggestionsAbove(consultationId: number, themeId: number, minScore: number): number[] {
    return (
      this.db
        .prepare(
          `SELECT g.comment_id FROM tags g JOIN comments c ON c.id = g.comment_id
            WHERE c.consultation_id = ? AND g.theme_id = ? AND g.source = 'model' AND g.confirmed = 0 AND g.score >= ?
              AND ${notSetAside("c.response_id")}
            ORDER BY g.comment_id`,
        )
        .raw()
        .all(consultationId, themeId, minScore) as [number][]
    ).map((r) => r[0]);
  }

  /** Unconfirmed model suggestions per theme. */
  suggestionCounts(consultationId: number): Map<number, number> {
    const rows = this.db
      .prepare(
        `SELECT g.theme_id, count(*) FROM tags g JOIN comments c ON c.id = g.comment_id
          WHERE c.consultation_id = ? AND g.source = 'model' AND g.confirmed = 0 AND ${notSetAside("c.response_id")}
          GROUP BY g.theme_id`,
      )
      .raw()
      .all(consultationId) as [number, number][];
    return new Map(rows);
  }

  /** Confirmed tags per theme: the examples a theme has. */
  confirmedByTheme(consultationId: number): Map<number, number> {
    const rows = this.db
      .prepare(
        `SELECT g.theme_id, count(*) FROM tags g JOIN comments c ON c.id = g.comment_id
          WHERE c.consultation_id = ? AND g.confirmed = 1 AND ${notSetAside("c.response_id")}
          GROUP BY g.theme_id`,
      )
      .raw()
      .all(consultationId) as [number, number][];
    return new Map(rows);
  }
}

/** Rows a single statement of a sliced DELETE or UPDATE touches (a few milliseconds' work). */
const BATCH_ROWS = 2000;

const DELETE_SUGGESTIONS = `DELETE FROM tags WHERE source = 'model' AND confirmed = 0
    AND comment_id IN (SELECT id FROM comments WHERE consultation_id = ?)`;

const ADD_SUGGESTION = `INSERT INTO tags (comment_id, theme_id, source, score, confirmed, created_at)
  SELECT c.id, t.id, 'model', @score, 0, @now FROM comments c JOIN themes t ON t.consultation_id = c.consultation_id
   WHERE c.id = @comment AND t.id = @theme AND c.consultation_id = @consultation
     AND NOT EXISTS (SELECT 1 FROM tag_rejections r WHERE r.theme_id = t.id AND r.comment_id = c.id)
  ON CONFLICT (comment_id, theme_id) DO NOTHING`;

const CLEAR_MARGINS =
  "UPDATE comments SET model_margin = NULL WHERE consultation_id = ? AND model_margin IS NOT NULL";

const SET_MARGIN = "UPDATE comments SET model_margin = ? WHERE id = ? AND consultation_id = ?";

function suggestionRow(consultationId: number, now: string, s: Suggestion) {
  return { score: s.score, now, comment: s.commentId, theme: s.themeId, consultation: consultationId };
}
