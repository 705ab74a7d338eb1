import type { Statement } from "better-sqlite3";
import { type ConsultationDefinition, definitionSchema, type Question } from "../analysis/definition.js";
import { type ChangeProblem, reviewChange } from "../analysis/definition-changes.js";
import { ConflictError } from "../analysis/errors.js";
import type { Db } from "./connection.js";
import { DefinitionProjection } from "./definition-projection.js";
import { notSetAside } from "./set-aside.js";

export interface ConsultationRow {
  id: number;
  slug: string;
  title: string;
  opensAt: string;
  closesAt: string;
  definition: ConsultationDefinition;
  updatedAt: string;
  /** Loaded by the demo (db/seed/demo.ts): shown as "Demo" wherever it appears. */
  demo: boolean;
  /** The definition's version number (1, then one more at each save). */
  version: number;
  stage: Stage;
  /** When an editor published the results of the closed consultation, if they have. */
  resultsPublishedAt: string | null;
}

/** Ids of the rows a definition was projected into, for writing and reading answers by key. */
export interface Catalog {
  consultationId: number;
  questions: Map<string, CatalogQuestion>;
}
export interface CatalogQuestion {
  id: number;
  kind: Question["kind"];
  /** statement key ("" for a question with a single item) -> item id */
  items: Map<string, number>;
  /** option code -> option id (the question's own options, or its scale's) */
  options: Map<string, number>;
  /** the code of the "Other, please specify" option, if the question has one */
  otherCode: string | null;
}

interface RawConsultation {
  id: number;
  slug: string;
  title: string;
  opens_at: string;
  closes_at: string;
  definition_json: string;
  updated_at: string;
  is_demo: number;
  version: number;
  stage: Stage;
  results_published_at: string | null;
}

function toRow(raw: RawConsultation): ConsultationRow {
  return {
    id: raw.id,
    slug: raw.slug,
    title: raw.title,
    opensAt: raw.opens_at,
    closesAt: raw.closes_at,
    // Stored definitions were validated on the way in; parsing again applies defaults added since.
    definition: definitionSchema.parse(JSON.parse(raw.definition_json)),
    updatedAt: raw.updated_at,
    demo: raw.is_demo === 1,
    version: raw.version,
    stage: raw.stage,
    resultsPublishedAt: raw.results_published_at,
  };
}

export class ConsultationRepository {
  // Reading and parsing a definition (JSON, then zod) on every request would dominate the
  // answer-posting path, so rows and catalogs are kept per consultation and version; a cheap
  // (id, updated_at) look-up tells when a reload has replaced one.
  private readonly rows = new Map<string, ConsultationRow>();
  private readonly checkedAt = new Map<string, number>();
  private readonly catalogs = new Map<number, { version: string; catalog: Catalog }>();
  private readonly versionBySlug: Statement;
  private readonly versionById: Statement;
  private readonly bySlug: Statement;
  private readonly slugs: Statement;
  private readonly insertVersion: Statement;
  private readonly projection: DefinitionProjection;

  constructor(private readonly db: Db) {
    this.projection = new DefinitionProjection(db);
    this.insertVersion = db.prepare(
      "INSERT INTO consultation_versions (consultation_id, version, definition_json, saved_at, saved_by, changes) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.versionBySlug = db.prepare("SELECT id, updated_at, version FROM consultations WHERE slug = ?");
    this.versionById = db.prepare(
      "SELECT updated_at || '/' || version AS stamp FROM consultations WHERE id = ?",
    );
    this.bySlug = db.prepare("SELECT * FROM consultations WHERE slug = ?");
    // Prepared once: the hub lists every consultation on each request, and preparing this there was
    // a tenth of the request loop's time in issue 8's responsiveness benchmark.
    this.slugs = db.prepare("SELECT slug FROM consultations ORDER BY opens_at DESC").pluck();
  }

  list(): ConsultationRow[] {
    return (this.slugs.all() as string[]).flatMap((slug) => this.findBySlug(slug) ?? []);
  }

  findBySlug(slug: string): ConsultationRow | undefined {
    const cached = this.rows.get(slug);
    // A row checked against the database within the last second is trusted as it is: this
    // process's own saves forget it at once, and another process's (the CLI) show within a second.
    if (cached && performance.now() - (this.checkedAt.get(slug) ?? -Infinity) < 1000) return cached;
    const version = this.versionBySlug.get(slug) as
      | { id: number; updated_at: string; version: number }
      | undefined;
    if (!version) return undefined;
    this.checkedAt.set(slug, performance.now());
    if (
      cached &&
      cached.id === version.id &&
      cached.updatedAt === version.updated_at &&
      cached.version === version.version
    )
      return cached;
    const raw = this.bySlug.get(slug) as RawConsultation | undefined;
    if (!raw) return undefined;
    const row = toRow(raw);
    this.rows.set(slug, row);
    return row;
  }

  /** Submitted responses per consultation id: all of them, and those submitted at or after `since`. */
  responseCounts(since: Date): Map<number, { total: number; recent: number }> {
    const rows = this.db
      .prepare(
        `SELECT consultation_id AS id, count(*) AS total, coalesce(sum(submitted_at >= ?), 0) AS recent
         FROM responses WHERE status = 'submitted' AND ${notSetAside("responses.id")} GROUP BY consultation_id`,
      )
      .all(since.toISOString()) as { id: number; total: number; recent: number }[];
    return new Map(rows.map((r) => [r.id, { total: r.total, recent: r.recent }]));
  }

  submittedCount(consultationId: number): number {
    const row = this.db
      .prepare(
        `SELECT count(*) AS n FROM responses WHERE consultation_id = ? AND status = 'submitted' AND ${notSetAside("responses.id")}`,
      )
      .get(consultationId) as { n: number };
    return row.n;
  }

  /**
   * Save a definition as the consultation's next version (its first, for a new slug). Once people
   * have responded, or while it is open, only the changes analysis/definition-changes.ts allows are
   * taken; anything else throws DefinitionChangeRefusedError listing each problem, and nothing is
   * stored. Rows shared with the previous version keep their ids, so answers to every version count
   * together. `demo` marks the demo's own consultations (db/seed/demo.ts).
   */
  save(
    definition: ConsultationDefinition,
    now = new Date(),
    {
      demo = false,
      savedBy = null,
      stage,
      closingEarly = false,
    }: { demo?: boolean; savedBy?: string | null; stage?: Stage; closingEarly?: boolean } = {},
  ): SavedVersion {
    const saved = this.db.transaction((): SavedVersion => {
      const stamp = now.toISOString();
      const existing = this.db
        .prepare(
          "SELECT id, version, definition_json, stage, opens_at, closes_at FROM consultations WHERE slug = ?",
        )
        .get(definition.slug) as
        | {
            id: number;
            version: number;
            definition_json: string;
            stage: Stage;
            opens_at: string;
            closes_at: string;
          }
        | undefined;
      if (!existing) {
        const id = Number(
          this.db
            .prepare(
              `INSERT INTO consultations (slug, title, opens_at, closes_at, definition_json, definition_version, created_at, updated_at, is_demo, version, stage)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
            )
            .run(
              definition.slug,
              definition.title,
              new Date(definition.opens).toISOString(),
              new Date(definition.closes).toISOString(),
              JSON.stringify(definition),
              definition.schemaVersion,
              stamp,
              stamp,
              demo ? 1 : 0,
              stage ?? "live",
            ).lastInsertRowid,
        );
        this.projection.apply(id, definition);
        this.insertVersion.run(id, 1, JSON.stringify(definition), stamp, savedBy, "");
        return { id, created: true, version: 1, changes: [] };
      }
      const before = definitionSchema.parse(JSON.parse(existing.definition_json));
      const started = this.db
        .prepare(
          `SELECT EXISTS (SELECT 1 FROM responses WHERE consultation_id = ? AND status = 'submitted')
               OR EXISTS (SELECT 1 FROM responses WHERE consultation_id = ? AND status = 'draft') AS n`,
        )
        .get(existing.id, existing.id) as { n: number };
      const open = existing.stage === "live" && existing.opens_at <= stamp && stamp < existing.closes_at;
      const review = reviewChange(before, definition, {
        guarded: started.n === 1 || open,
        answered: this.projection.answered(existing.id),
        now,
        closingEarly,
      });
      if (review.problems.length > 0)
        throw new DefinitionChangeRefusedError(definition.slug, review.problems);
      const version = existing.version + 1;
      this.db
        .prepare(
          `UPDATE consultations SET title = ?, opens_at = ?, closes_at = ?, definition_json = ?, definition_version = ?,
             updated_at = ?, version = ?, stage = coalesce(?, stage) WHERE id = ?`,
        )
        .run(
          definition.title,
          new Date(definition.opens).toISOString(),
          new Date(definition.closes).toISOString(),
          JSON.stringify(definition),
          definition.schemaVersion,
          stamp,
          version,
          stage ?? null,
          existing.id,
        );
      this.projection.apply(existing.id, definition);
      this.insertVersion.run(
        existing.id,
        version,
        JSON.stringify(definition),
        stamp,
        savedBy,
        review.changes.join("\n"),
      );
      return { id: existing.id, created: false, version, changes: review.changes };
    })();
    this.forget(definition.slug, saved.id);
    return saved;
  }

  /** Move a consultation to another stage (published, archived...); the definition is unchanged. */
  setStage(id: number, slug: string, stage: Stage): void {
    this.db.prepare("UPDATE consultations SET stage = ? WHERE id = ?").run(stage, id);
    // Not part of the row's version stamp (changing it must not make the answers be read again):
    // forget the row outright. Only the server changes stages, so no other process holds it stale.
    this.forgetRow(slug);
  }

  setResultsPublished(id: number, slug: string, at: Date | null): void {
    this.db
      .prepare("UPDATE consultations SET results_published_at = ? WHERE id = ?")
      .run(at?.toISOString() ?? null, id);
    this.forgetRow(slug);
  }

  /** Drop what is held for a consultation, so the next read sees a save at once. */
  private forget(slug: string, id: number): void {
    this.forgetRow(slug);
    this.catalogs.delete(id);
  }

  private forgetRow(slug: string): void {
    this.rows.delete(slug);
    this.checkedAt.delete(slug);
  }

  /** The numbered versions of a consultation, newest first, with what each changed. */
  versions(consultationId: number): VersionRow[] {
    return (
      this.db
        .prepare(
          "SELECT version, saved_at, saved_by, changes FROM consultation_versions WHERE consultation_id = ? ORDER BY version DESC",
        )
        .all(consultationId) as {
        version: number;
        saved_at: string;
        saved_by: string | null;
        changes: string;
      }[]
    ).map((r) => ({
      version: r.version,
      savedAt: r.saved_at,
      savedBy: r.saved_by,
      changes: r.changes === "" ? [] : r.changes.split("\n"),
    }));
  }

  /** What changed after `version` (for a respondent whose draft began on it), oldest first. */
  changesSince(consultationId: number, version: number): string[] {
    return (
      this.db
        .prepare(
          "SELECT changes FROM consultation_versions WHERE consultation_id = ? AND version > ? ORDER BY version",
        )
        .pluck()
        .all(consultationId, version) as string[]
    ).flatMap((c) => (c === "" ? [] : c.split("\n")));
  }

  catalog(consultationId: number): Catalog {
    const version = (this.versionById.get(consultationId) as { stamp: string } | undefined)?.stamp ?? "";
    const cached = this.catalogs.get(consultationId);
    if (cached && cached.version === version) return cached.catalog;
    const catalog = this.loadCatalog(consultationId);
    this.catalogs.set(consultationId, { version, catalog });
    return catalog;
  }

  private loadCatalog(consultationId: number): Catalog {
    const rows = this.db
      .prepare(
        `SELECT q.id AS qid, q.question_key, q.kind, i.id AS item_id, i.statement_key
         FROM questions q JOIN items i ON i.question_id = q.id WHERE q.consultation_id = ?`,
      )
      .all(consultationId) as {
      qid: number;
      question_key: string;
      kind: Question["kind"];
      item_id: number;
      statement_key: string | null;
    }[];
    const options = this.db
      .prepare(
        `SELECT q.id AS qid, o.id AS option_id, o.code, o.is_other FROM questions q
         JOIN options o ON o.question_id = q.id OR (q.scale_id IS NOT NULL AND o.scale_id = q.scale_id)
         WHERE q.consultation_id = ?`,
      )
      .all(consultationId) as { qid: number; option_id: number; code: string; is_other: number }[];
    const questions = new Map<string, CatalogQuestion>();
    const byId = new Map<number, CatalogQuestion>();
    for (const r of rows) {
      let q = questions.get(r.question_key);
      if (!q) {
        q = { id: r.qid, kind: r.kind, items: new Map(), options: new Map(), otherCode: null };
        questions.set(r.question_key, q);
        byId.set(r.qid, q);
      }
      q.items.set(r.statement_key ?? "", r.item_id);
    }
    for (const o of options) {
      const q = byId.get(o.qid);
      q?.options.set(o.code, o.option_id);
      if (q && o.is_other) q.otherCode = o.code;
    }
    return { consultationId, questions };
  }
}

export class DefinitionConflictError extends ConflictError {}

/** A new version changes what stored answers mean; each problem names the field, why, and what to do instead. */
export class DefinitionChangeRefusedError extends DefinitionConflictError {
  constructor(
    readonly slug: string,
    readonly problems: ChangeProblem[],
  ) {
    super(
      `Consultation "${slug}" has responses, so ${problems.length === 1 ? "this change was" : "these changes were"} not saved:\n${problems
        .map((p) => `  ${p.path}: ${p.message}`)
        .join("\n")}`,
    );
  }
}

export type Stage = "draft" | "live" | "archived";

export interface SavedVersion {
  id: number;
  created: boolean;
  version: number;
  /** What changed from the previous version, in plain words. */
  changes: string[];
}

export interface VersionRow {
  version: number;
  savedAt: string;
  savedBy: string | null;
  changes: string[];
}
