import type { Statement } from "better-sqlite3";
import type { CodebookTheme } from "../analysis/themes/codebook.js";
import type { Db } from "./connection.js";
import { notSetAside } from "./set-aside.js";

/** A theme of a consultation's codebook, with how many comments carry it. */
export interface ThemeRow {
  id: number;
  name: string;
  description: string;
  parentId: number | null;
  parentName: string | null;
  /** Question ids it applies to; empty: every question with comments. */
  questions: string[];
  rules: string;
  tags: number;
  confirmed: number;
}

/** Who did something, for the audit trail and the tags. */
export interface Actor {
  id: number;
  name: string;
}

export interface AuditEntry {
  id: number;
  officerName: string | null;
  action: string;
  detail: string;
  at: string;
}

/** A second theme of that name in the consultation (names are unique whatever their case). */
export class ThemeNameTakenError extends Error {}

const isUniqueViolation = (e: unknown) =>
  e instanceof Error && "code" in e && (e as { code: string }).code === "SQLITE_CONSTRAINT_UNIQUE";

interface RawTheme {
  id: number;
  name: string;
  description: string;
  parent_id: number | null;
  parent_name: string | null;
  question_keys: string;
  rules: string;
  tags: number;
  confirmed: number;
}

const toTheme = (r: RawTheme): ThemeRow => ({
  id: r.id,
  name: r.name,
  description: r.description,
  parentId: r.parent_id,
  parentName: r.parent_name,
  questions: JSON.parse(r.question_keys) as string[],
  rules: r.rules,
  tags: r.tags,
  confirmed: r.confirmed,
});

// Tags of comments whose response was set aside as spam or a duplicate are kept but not counted.
const THEME_SELECT = `SELECT t.id, t.name, t.description, t.parent_id, p.name AS parent_name, t.question_keys, t.rules,
    (SELECT count(*) FROM tags g JOIN comments c ON c.id = g.comment_id
      WHERE g.theme_id = t.id AND ${notSetAside("c.response_id")}) AS tags,
    (SELECT count(*) FROM tags g JOIN comments c ON c.id = g.comment_id
      WHERE g.theme_id = t.id AND g.confirmed = 1 AND ${notSetAside("c.response_id")}) AS confirmed
  FROM themes t LEFT JOIN themes p ON p.id = t.parent_id`;
/** The same without the tag counts (a scan of each theme's tags), for pages that do not show them. */
const THEME_SELECT_LIGHT = `SELECT t.id, t.name, t.description, t.parent_id, p.name AS parent_name, t.question_keys, t.rules,
    -1 AS tags, -1 AS confirmed
  FROM themes t LEFT JOIN themes p ON p.id = t.parent_id`;
const THEME_ORDER = "ORDER BY coalesce(p.name, t.name), t.parent_id IS NOT NULL, t.name";

/**
 * Each consultation's codebook and its audit trail. Every statement is scoped by consultation, so
 * a theme id from another consultation's form finds nothing. Every change raises the
 * consultation's theme version (read by the theme counts held in memory) in the same transaction.
 */
export class ThemeRepository {
  private readonly all: Statement<[number], RawTheme>;
  private readonly allLight: Statement<[number], RawTheme>;
  private readonly one: Statement<[number, number], RawTheme>;
  private readonly oneLight: Statement<[number, number], RawTheme>;
  private readonly bump: Statement<[number]>;
  private readonly insertAudit: Statement<[number, number | null, string | null, string, string, string]>;
  private readonly versionOf: Statement<[number], number>;

  constructor(private readonly db: Db) {
    this.all = db.prepare(`${THEME_SELECT} WHERE t.consultation_id = ? ${THEME_ORDER}`);
    this.allLight = db.prepare(`${THEME_SELECT_LIGHT} WHERE t.consultation_id = ? ${THEME_ORDER}`);
    this.one = db.prepare(`${THEME_SELECT} WHERE t.consultation_id = ? AND t.id = ?`);
    this.oneLight = db.prepare(`${THEME_SELECT_LIGHT} WHERE t.consultation_id = ? AND t.id = ?`);
    this.bump = db.prepare(
      `INSERT INTO theme_versions (consultation_id, version) VALUES (?, 1)
       ON CONFLICT (consultation_id) DO UPDATE SET version = version + 1`,
    );
    this.insertAudit = db.prepare(
      "INSERT INTO theme_audit (consultation_id, officer_id, officer_name, action, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.versionOf = db
      .prepare<[number], number>(
        "SELECT coalesce((SELECT version FROM theme_versions WHERE consultation_id = ?), 0)",
      )
      .pluck();
  }

  /** The codebook; without counts, `tags` and `confirmed` are -1 (cheaper: no scan of the tags). */
  list(consultationId: number, withCounts = true): ThemeRow[] {
    return (withCounts ? this.all : this.allLight).all(consultationId).map(toTheme);
  }

  /** A theme of the consultation; without counts, `tags` and `confirmed` are -1. */
  find(consultationId: number, themeId: number, withCounts = true): ThemeRow | undefined {
    const raw = (withCounts ? this.one : this.oneLight).get(consultationId, themeId);
    return raw ? toTheme(raw) : undefined;
  }

  /** The consultation's theme version: it changes whenever a theme or tag does. */
  version(consultationId: number): number {
    return this.versionOf.get(consultationId) ?? 0;
  }

  /** Record a change: the version is raised and the audit trail told, in the caller's transaction. */
  changed(consultationId: number, actor: Actor | null, action: string, detail: string, now: Date): void {
    this.bump.run(consultationId);
    this.insertAudit.run(
      consultationId,
      actor?.id ?? null,
      actor?.name ?? null,
      action,
      detail,
      now.toISOString(),
    );
  }

  audit(consultationId: number, limit = 200): AuditEntry[] {
    return this.db
      .prepare(
        `SELECT id, officer_name AS officerName, action, detail, at FROM theme_audit
          WHERE consultation_id = ? ORDER BY id DESC LIMIT ?`,
      )
      .all(consultationId, limit) as AuditEntry[];
  }

  /** Run writes as one transaction (the service's unit of work). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Create a theme; throws ThemeNameTakenError for a name already in the codebook. */
  create(
    consultationId: number,
    t: Omit<CodebookTheme, "parent"> & { parentId: number | null },
    now: Date,
  ): number {
    const stamp = now.toISOString();
    try {
      return Number(
        this.db
          .prepare(
            `INSERT INTO themes (consultation_id, name, description, parent_id, question_keys, rules, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            consultationId,
            t.name,
            t.description,
            t.parentId,
            JSON.stringify(t.questions),
            t.rules,
            stamp,
            stamp,
          ).lastInsertRowid,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new ThemeNameTakenError(`There is already a theme called "${t.name}"`);
      throw e;
    }
  }

  update(
    consultationId: number,
    themeId: number,
    t: Omit<CodebookTheme, "parent"> & { parentId: number | null },
    now: Date,
  ): boolean {
    try {
      return (
        this.db
          .prepare(
            `UPDATE themes SET name = ?, description = ?, parent_id = ?, question_keys = ?, rules = ?, updated_at = ?
              WHERE consultation_id = ? AND id = ?`,
          )
          .run(
            t.name,
            t.description,
            t.parentId,
            JSON.stringify(t.questions),
            t.rules,
            now.toISOString(),
            consultationId,
            themeId,
          ).changes === 1
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new ThemeNameTakenError(`There is already a theme called "${t.name}"`);
      throw e;
    }
  }

  /** Children of a theme (a theme with children cannot itself take a parent: one level only). */
  childCount(consultationId: number, themeId: number): number {
    return this.db
      .prepare("SELECT count(*) FROM themes WHERE consultation_id = ? AND parent_id = ?")
      .pluck()
      .get(consultationId, themeId) as number;
  }

  /**
   * Merge one theme into another: its tags move to the survivor (a comment carrying both keeps one
   * tag, confirmed if either was, an officer's quote pick kept), its children follow, and it goes.
   */
  merge(consultationId: number, fromId: number, intoId: number): number {
    const moved = this.db
      .prepare(
        `INSERT INTO tags (comment_id, theme_id, source, score, confirmed, created_by, created_at, confirmed_by, confirmed_at, batch_id, quote)
         SELECT comment_id, ?, source, score, confirmed, created_by, created_at, confirmed_by, confirmed_at, NULL, quote
           FROM tags WHERE theme_id = ? AND EXISTS (SELECT 1 FROM themes WHERE id = ? AND consultation_id = ?)
         ON CONFLICT (comment_id, theme_id) DO UPDATE SET
           confirmed = max(confirmed, excluded.confirmed),
           confirmed_by = coalesce(confirmed_by, excluded.confirmed_by),
           confirmed_at = coalesce(confirmed_at, excluded.confirmed_at),
           quote = max(quote, excluded.quote)`,
      )
      .run(intoId, fromId, intoId, consultationId).changes;
    // A double-coded sample's second codes move too, so the two codings stay comparable.
    this.db
      .prepare(
        `INSERT OR IGNORE INTO double_code_tags (comment_id, theme_id)
         SELECT comment_id, ? FROM double_code_tags WHERE theme_id = ?
            AND EXISTS (SELECT 1 FROM themes WHERE id = ? AND consultation_id = ?)`,
      )
      .run(intoId, fromId, intoId, consultationId);
    this.db
      .prepare(
        `UPDATE themes SET parent_id = CASE WHEN (SELECT parent_id FROM themes WHERE id = ?) IS NULL THEN ? ELSE NULL END
          WHERE consultation_id = ? AND parent_id = ?`,
      )
      .run(intoId, intoId, consultationId, fromId);
    this.delete(consultationId, fromId);
    return moved;
  }

  delete(consultationId: number, themeId: number): boolean {
    return (
      this.db.prepare("DELETE FROM themes WHERE consultation_id = ? AND id = ?").run(consultationId, themeId)
        .changes === 1
    );
  }
}
