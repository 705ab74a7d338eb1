import type { Statement } from "better-sqlite3";
import {
  type ConsultationDefinition,
  definitionSchema,
  type Question,
  scaleOf,
  statementsOf,
} from "../analysis/definition.js";
import { ConflictError } from "../analysis/errors.js";
import type { Scale } from "../analysis/scales.js";
import type { Db } from "./connection.js";

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

  constructor(private readonly db: Db) {
    this.versionBySlug = db.prepare("SELECT id, updated_at FROM consultations WHERE slug = ?");
    this.versionById = db.prepare("SELECT updated_at FROM consultations WHERE id = ?");
    this.bySlug = db.prepare("SELECT * FROM consultations WHERE slug = ?");
  }

  list(): ConsultationRow[] {
    const rows = this.db
      .prepare("SELECT id, slug, updated_at FROM consultations ORDER BY opens_at DESC")
      .all() as { slug: string }[];
    return rows.flatMap((r) => this.findBySlug(r.slug) ?? []);
  }

  findBySlug(slug: string): ConsultationRow | undefined {
    const cached = this.rows.get(slug);
    // A row checked against the database within the last second is trusted as it is: this
    // process's own saves forget it at once, and another process's (the CLI) show within a second.
    if (cached && performance.now() - (this.checkedAt.get(slug) ?? -Infinity) < 1000) return cached;
    const version = this.versionBySlug.get(slug) as { id: number; updated_at: string } | undefined;
    if (!version) return undefined;
    this.checkedAt.set(slug, performance.now());
    if (cached && cached.id === version.id && cached.updatedAt === version.updated_at) return cached;
    const raw = this.bySlug.get(slug) as RawConsultation | undefined;
    if (!raw) return undefined;
    const row = toRow(raw);
    this.rows.set(slug, row);
    return row;
  }

  submittedCount(consultationId: number): number {
    const row = this.db
      .prepare("SELECT count(*) AS n FROM responses WHERE consultation_id = ? AND status = 'submitted'")
      .get(consultationId) as { n: number };
    return row.n;
  }

  /**
   * Store a validated definition and project its pages, questions, items and options into tables.
   * A consultation that already has responses cannot be replaced: its answers point at these rows.
   */
  /** Store a definition; `demo` marks the demo's own consultations (db/seed/demo.ts). */
  save(
    definition: ConsultationDefinition,
    now = new Date(),
    { demo = false }: { demo?: boolean } = {},
  ): { id: number; created: boolean } {
    const saved = this.db.transaction(() => {
      const existing = this.findBySlug(definition.slug);
      if (existing) {
        const n = this.db
          .prepare("SELECT count(*) AS n FROM responses WHERE consultation_id = ?")
          .get(existing.id) as { n: number };
        if (n.n > 0) {
          throw new DefinitionConflictError(
            `Consultation "${definition.slug}" already has ${n.n} responses or drafts; load it under a new slug`,
          );
        }
        this.db.prepare("DELETE FROM consultations WHERE id = ?").run(existing.id);
      }
      const stamp = now.toISOString();
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO consultations (slug, title, opens_at, closes_at, definition_json, definition_version, created_at, updated_at, is_demo)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
          ).lastInsertRowid,
      );
      this.project(id, definition);
      return { id, created: !existing };
    })();
    // SQLite may give the new row the id the old one had: forget both rather than trust versions.
    this.rows.delete(definition.slug);
    this.checkedAt.delete(definition.slug);
    this.catalogs.delete(saved.id);
    return saved;
  }

  private project(consultationId: number, def: ConsultationDefinition): void {
    const insertScale = this.db.prepare(
      "INSERT INTO scales (consultation_id, scale_key, name) VALUES (?, ?, ?)",
    );
    const insertScaleOption = this.db.prepare(
      "INSERT INTO options (scale_id, code, label, position, score, grp) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const insertPage = this.db.prepare(
      "INSERT INTO pages (consultation_id, page_key, position, title) VALUES (?, ?, ?, ?)",
    );
    const insertQuestion = this.db.prepare(
      `INSERT INTO questions (consultation_id, page_id, question_key, position, kind, text, scale_id, paired_set, phase)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertItem = this.db.prepare(
      "INSERT INTO items (question_id, statement_key, text, position) VALUES (?, ?, ?, ?)",
    );
    const insertOption = this.db.prepare(
      "INSERT INTO options (question_id, code, label, position, is_other) VALUES (?, ?, ?, ?, ?)",
    );

    const scaleIds = new Map<string, number>();
    const scaleFor = (scale: Scale): number => {
      const key = scale.id;
      const known = scaleIds.get(key);
      if (known !== undefined) return known;
      const sid = Number(insertScale.run(consultationId, key, scale.name).lastInsertRowid);
      scale.options.forEach((o, i) => {
        insertScaleOption.run(sid, o.code, o.label, i, o.score, o.group);
      });
      scaleIds.set(key, sid);
      return sid;
    };

    let position = 0;
    def.pages.forEach((page, p) => {
      const pageId = Number(insertPage.run(consultationId, page.id, p, page.title).lastInsertRowid);
      for (const q of page.questions) {
        const scale = scaleOf(def, q);
        const scaleId = scale ? scaleFor(scale) : null;
        const qid = Number(
          insertQuestion.run(
            consultationId,
            pageId,
            q.id,
            position++,
            q.kind,
            q.text,
            scaleId,
            q.kind === "paired" ? q.set : null,
            q.kind === "paired" ? q.phase : null,
          ).lastInsertRowid,
        );
        const statements = statementsOf(def, q);
        if (statements.length > 0) {
          statements.forEach((s, i) => {
            insertItem.run(qid, s.id, s.text, i);
          });
        } else {
          insertItem.run(qid, null, null, 0);
        }
        if (q.kind === "single" || q.kind === "multiple") {
          q.options.forEach((o, i) => {
            insertOption.run(qid, o.code, o.label, i, 0);
          });
          if (q.kind === "multiple" && q.other)
            insertOption.run(qid, q.other.code, q.other.label, q.options.length, 1);
        }
      }
    });
  }

  catalog(consultationId: number): Catalog {
    const version =
      (this.versionById.get(consultationId) as { updated_at: string } | undefined)?.updated_at ?? "";
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
