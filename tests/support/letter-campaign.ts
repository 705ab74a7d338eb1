import type { ConsultationRow } from "../../db/consultations.js";
import type { TestApp } from "./app.js";

export const LETTER_TEXT =
  "We object to moving grant funding into contracts. Small groups cannot bid for large contracts and " +
  "will close. Keep a grants programme for local charities and talk to them before deciding anything.";

/** Five submitted responses sending one letter, slightly edited, to the question: their references. */
export function addLetterCampaign(t: TestApp, row: ConsultationRow, question = "disagree-reasons"): string[] {
  const item = t.db
    .prepare(
      `SELECT i.id FROM items i JOIN questions q ON q.id = i.question_id
        WHERE q.consultation_id = ? AND q.question_key = ? AND i.statement_key IS NULL`,
    )
    .pluck()
    .get(row.id, question) as number;
  const edits = ["", " Thank you.", "", " Please listen.", ""];
  return edits.map((extra, k) => {
    const reference = `SND-LTTR-000${k}`;
    const r = t.db
      .prepare(
        `INSERT INTO responses (consultation_id, status, reference, channel, started_at, updated_at, submitted_at)
         VALUES (?, 'submitted', ?, 'online', '2015-06-01T10:00:00Z', '2015-06-01T10:00:00Z', '2015-06-01T10:00:00Z')`,
      )
      .run(row.id, reference);
    t.db
      .prepare("INSERT INTO answers (response_id, item_id, text_value) VALUES (?, ?, ?)")
      .run(r.lastInsertRowid, item, LETTER_TEXT + extra);
    return reference;
  });
}
