import type { Db } from "../../connection.js";
import type { ConsultationRepository } from "../../consultations.js";
import { TagRepository } from "../../tags.js";
import { ThemeRepository } from "../../themes.js";
import type { Comment } from "../responses/shared.js";
import { COMMISSIONING_CODEBOOK } from "./commissioning-procurement-2015.js";

/** A demo consultation's codebook, with the demo comments an officer coded to each theme. */
export interface DemoCodebook {
  slug: string;
  themes: {
    name: string;
    description: string;
    questions: string[];
    rules: string;
    /** The demo comments coded to it (by their text, on the theme's first question). */
    comments: readonly Comment[];
    /** Texts of those comments picked as its quotes. */
    quotes: string[];
  }[];
}

export const DEMO_CODEBOOKS: readonly DemoCodebook[] = [COMMISSIONING_CODEBOOK];

/**
 * Store each demo codebook, and its tags as confirmed officer coding, for the demo consultations
 * just created with their demo responses. Every comment a codebook names must be found (a demo
 * comment text that changed would otherwise silently change the published counts): if one is not,
 * that codebook is left out with a warning.
 */
export function loadDemoCodebooks(
  db: Db,
  repo: ConsultationRepository,
  created: readonly string[],
  now: Date,
): void {
  const themes = new ThemeRepository(db);
  const tags = new TagRepository(db);
  const commentsSaying = db.prepare<[number, string, string], number>(
    `SELECT c.id FROM comments c
       JOIN items i ON i.id = c.item_id JOIN questions q ON q.id = i.question_id
       JOIN answers a ON a.response_id = c.response_id AND a.item_id = c.item_id
      WHERE c.consultation_id = ? AND q.question_key = ? AND a.text_value = ?`,
  );
  for (const book of DEMO_CODEBOOKS) {
    const consultation = repo.findBySlug(book.slug);
    if (!consultation?.demo || !created.includes(book.slug)) continue;
    // Without its demo responses (a database made to import into), there is nothing to code.
    if (
      db.prepare("SELECT count(*) FROM comments WHERE consultation_id = ?").pluck().get(consultation.id) === 0
    )
      continue;
    try {
      db.transaction(() => {
        for (const t of book.themes) {
          const themeId = themes.create(consultation.id, { ...t, parentId: null }, now);
          const question = t.questions[0] ?? "";
          for (const comment of t.comments) {
            const ids = commentsSaying.pluck().all(consultation.id, question, comment.text);
            if (ids.length === 0) throw new Error(`no demo comment "${comment.text}"`);
            for (const id of ids) {
              tags.tag(consultation.id, id, themeId, {
                source: "officer",
                confirmed: true,
                officerId: null,
                now,
              });
              if (t.quotes.includes(comment.text)) tags.setQuote(consultation.id, id, themeId, true);
            }
          }
        }
        themes.changed(
          consultation.id,
          null,
          "demo codebook loaded",
          `${book.themes.length} themes and their tags`,
          now,
        );
      })();
    } catch (err) {
      console.warn(
        `Demo codebook for ${book.slug} not loaded (${err instanceof Error ? err.message : String(err)})`,
      );
    }
  }
}
