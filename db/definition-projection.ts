import type { Statement } from "better-sqlite3";
import { type AnsweredParts, answerKey } from "../analysis/definition-changes.js";
import { type ConsultationDefinition, type Question, scaleOf, statementsOf } from "../analysis/definition.js";
import type { Scale } from "../analysis/scales.js";
import type { Db } from "./connection.js";

/**
 * A definition's pages, questions, items and options projected into tables, so that answers can be
 * counted and filtered with indexes. A new version updates the rows it shares with the stored one
 * in place (matched by page id, question id, statement id and option code), adds rows for what is
 * new and removes rows for what went, so every answer keeps pointing at the row it was given to.
 * Whether a change is allowed is decided before this runs (analysis/definition-changes.ts); here a
 * question whose kind or scale changed (allowed only without answers) is simply made again.
 */
export class DefinitionProjection {
  private readonly s: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.s = prepare(db);
  }

  /** Which questions, statements and options of a stored consultation have answers (index seeks only). */
  answered(consultationId: number): AnsweredParts {
    const questions = new Set<string>();
    const statements = new Set<string>();
    const options = new Set<string>();
    for (const r of this.s.answeredItems.all(consultationId) as {
      question: string;
      statement: string | null;
    }[]) {
      questions.add(r.question);
      if (r.statement !== null) statements.add(answerKey(r.question, r.statement));
    }
    for (const r of this.s.answeredOptions.all(consultationId) as { question: string; code: string }[])
      options.add(answerKey(r.question, r.code));
    return { questions, statements, options };
  }

  /** Bring the tables into line with `def`. Call inside the transaction that saves the definition. */
  apply(consultationId: number, def: ConsultationDefinition): void {
    const s = this.s;
    const scaleIds = new Map<string, number>();
    const scaleFor = (scale: Scale): number => {
      const known = scaleIds.get(scale.id);
      if (known !== undefined) return known;
      const found = s.scaleByKey.get(consultationId, scale.id) as { id: number } | undefined;
      const sid =
        found?.id ?? Number(s.insertScale.run(consultationId, scale.id, scale.name).lastInsertRowid);
      if (found) s.renameScale.run(scale.name, sid);
      scale.options.forEach((o, i) => {
        s.upsertScaleOption.run(sid, o.code, o.label, i, o.score, o.group);
      });
      removeMissing(
        s.optionsOfScale.all(sid) as Keyed[],
        new Set(scale.options.map((o) => o.code)),
        s.deleteOption,
      );
      scaleIds.set(scale.id, sid);
      return sid;
    };

    const pageKeys = new Set<string>();
    const questionKeys = new Set<string>();
    let position = 0;
    def.pages.forEach((page, p) => {
      pageKeys.add(page.id);
      const found = s.pageByKey.get(consultationId, page.id) as { id: number } | undefined;
      const pageId =
        found?.id ?? Number(s.insertPage.run(consultationId, page.id, p, page.title).lastInsertRowid);
      if (found) s.updatePage.run(p, page.title, pageId);
      for (const q of page.questions) {
        questionKeys.add(q.id);
        const scale = scaleOf(def, q);
        const scaleId = scale ? scaleFor(scale) : null;
        const qid = this.question(consultationId, pageId, position++, q, scaleId);
        const statements = statementsOf(def, q);
        if (statements.length > 0) {
          statements.forEach((st, i) => {
            s.upsertItem.run(qid, st.id, st.text, i);
          });
          removeMissing(s.itemsOf.all(qid) as Keyed[], new Set(statements.map((st) => st.id)), s.deleteItem);
        } else if (!s.plainItem.get(qid)) {
          s.insertPlainItem.run(qid);
        }
        if (q.kind === "single" || q.kind === "multiple") {
          q.options.forEach((o, i) => {
            s.upsertOption.run(qid, o.code, o.label, i, 0);
          });
          const other = q.kind === "multiple" ? q.other : undefined;
          if (other) s.upsertOption.run(qid, other.code, other.label, q.options.length, 1);
          const codes = new Set(q.options.map((o) => o.code));
          if (other) codes.add(other.code);
          removeMissing(s.optionsOfQuestion.all(qid) as Keyed[], codes, s.deleteOption);
        }
      }
    });
    removeMissing(s.questionsOf.all(consultationId) as Keyed[], questionKeys, s.deleteQuestion);
    removeMissing(s.pagesOf.all(consultationId) as Keyed[], pageKeys, s.deletePage);
    removeMissing(s.scalesOf.all(consultationId) as Keyed[], new Set(scaleIds.keys()), s.deleteScale);
  }

  /** The question's row: updated in place, or made (again, when its kind or scale changed). */
  private question(
    consultationId: number,
    pageId: number,
    position: number,
    q: Question,
    scaleId: number | null,
  ) {
    const s = this.s;
    const set = q.kind === "paired" ? q.set : null;
    const phase = q.kind === "paired" ? q.phase : null;
    const found = s.questionByKey.get(consultationId, q.id) as
      | { id: number; kind: string; scale_id: number | null; paired_set: string | null; phase: string | null }
      | undefined;
    if (
      found &&
      found.kind === q.kind &&
      found.scale_id === scaleId &&
      found.paired_set === set &&
      found.phase === phase
    ) {
      s.updateQuestion.run(pageId, position, q.text, found.id);
      return found.id;
    }
    if (found) s.deleteQuestion.run(found.id);
    return Number(
      s.insertQuestion.run(consultationId, pageId, q.id, position, q.kind, q.text, scaleId, set, phase)
        .lastInsertRowid,
    );
  }
}

type Keyed = { id: number; key: string | null; code?: string };

function removeMissing(rows: Keyed[], keep: Set<string>, remove: Statement): void {
  for (const r of rows) {
    const key = r.code ?? r.key;
    if (key === null || key === undefined || !keep.has(key)) remove.run(r.id);
  }
}

function prepare(db: Db) {
  const p = (sql: string) => db.prepare(sql);
  return {
    scaleByKey: p("SELECT id FROM scales WHERE consultation_id = ? AND scale_key = ?"),
    insertScale: p("INSERT INTO scales (consultation_id, scale_key, name) VALUES (?, ?, ?)"),
    renameScale: p("UPDATE scales SET name = ? WHERE id = ?"),
    upsertScaleOption: p(
      `INSERT INTO options (scale_id, code, label, position, score, grp) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (scale_id, code) WHERE scale_id IS NOT NULL
         DO UPDATE SET label = excluded.label, position = excluded.position, score = excluded.score, grp = excluded.grp`,
    ),
    pageByKey: p("SELECT id FROM pages WHERE consultation_id = ? AND page_key = ?"),
    insertPage: p("INSERT INTO pages (consultation_id, page_key, position, title) VALUES (?, ?, ?, ?)"),
    updatePage: p("UPDATE pages SET position = ?, title = ? WHERE id = ?"),
    questionByKey: p(
      "SELECT id, kind, scale_id, paired_set, phase FROM questions WHERE consultation_id = ? AND question_key = ?",
    ),
    insertQuestion: p(
      `INSERT INTO questions (consultation_id, page_id, question_key, position, kind, text, scale_id, paired_set, phase)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateQuestion: p("UPDATE questions SET page_id = ?, position = ?, text = ? WHERE id = ?"),
    deleteQuestion: p("DELETE FROM questions WHERE id = ?"),
    upsertItem: p(
      `INSERT INTO items (question_id, statement_key, text, position) VALUES (?, ?, ?, ?)
         ON CONFLICT (question_id, statement_key) DO UPDATE SET text = excluded.text, position = excluded.position`,
    ),
    plainItem: p("SELECT id FROM items WHERE question_id = ? AND statement_key IS NULL"),
    insertPlainItem: p(
      "INSERT INTO items (question_id, statement_key, text, position) VALUES (?, NULL, NULL, 0)",
    ),
    upsertOption: p(
      `INSERT INTO options (question_id, code, label, position, is_other) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (question_id, code) WHERE question_id IS NOT NULL
         DO UPDATE SET label = excluded.label, position = excluded.position, is_other = excluded.is_other`,
    ),
    itemsOf: p("SELECT id, statement_key AS key FROM items WHERE question_id = ?"),
    optionsOfQuestion: p("SELECT id, code FROM options WHERE question_id = ?"),
    optionsOfScale: p("SELECT id, code FROM options WHERE scale_id = ?"),
    deleteItem: p("DELETE FROM items WHERE id = ?"),
    deleteOption: p("DELETE FROM options WHERE id = ?"),
    questionsOf: p("SELECT id, question_key AS key FROM questions WHERE consultation_id = ?"),
    pagesOf: p("SELECT id, page_key AS key FROM pages WHERE consultation_id = ?"),
    deletePage: p("DELETE FROM pages WHERE id = ?"),
    scalesOf: p("SELECT id, scale_key AS key FROM scales WHERE consultation_id = ?"),
    deleteScale: p("DELETE FROM scales WHERE id = ?"),
    answeredItems: p(
      `SELECT q.question_key AS question, i.statement_key AS statement FROM questions q
           JOIN items i ON i.question_id = q.id
          WHERE q.consultation_id = ? AND EXISTS (SELECT 1 FROM answers a WHERE a.item_id = i.id)`,
    ),
    answeredOptions: p(
      `SELECT q.question_key AS question, o.code AS code FROM questions q
           JOIN items i ON i.question_id = q.id
           JOIN options o ON o.question_id = q.id OR (q.scale_id IS NOT NULL AND o.scale_id = q.scale_id)
          WHERE q.consultation_id = ? AND EXISTS (SELECT 1 FROM answers a WHERE a.item_id = i.id AND a.option_id = o.id)`,
    ),
  };
}
