import { count, type TestApp } from "./app.js";

const CP = "commissioning-procurement-2015";
const Q = "disagree-reasons";

export const LETTER =
  "We object to the plan to move grant funding into contracts. Small voluntary groups cannot bid for " +
  "large contracts and will close. The council should keep a grants programme for local charities and " +
  "talk to the voluntary sector before deciding anything.";

/** Six submitted responses sending the same letter, each slightly edited, to the question. */
export function addCampaign(t: TestApp): number[] {
  const row = t.services.consultations.find(CP);
  if (!row) throw new Error("no demo");
  const item = count(
    t.db,
    `SELECT i.id AS n FROM items i JOIN questions q ON q.id = i.question_id
      WHERE q.consultation_id = ? AND q.question_key = ? AND i.statement_key IS NULL`,
    row.id,
    Q,
  );
  const edits = ["", " Thank you.", "", " Please listen.", "", ""];
  const ids: number[] = [];
  for (const [k, extra] of edits.entries()) {
    const text = (k === 2 ? LETTER.replace("Small", "Many small") : LETTER) + extra;
    const r = t.db
      .prepare(
        `INSERT INTO responses (consultation_id, status, reference, channel, started_at, updated_at, submitted_at)
         VALUES (?, 'submitted', ?, 'online', '2015-06-01T10:00:00Z', '2015-06-01T10:00:00Z', '2015-06-01T10:00:00Z')`,
      )
      .run(row.id, `SND-CAMP-000${k}`);
    t.db
      .prepare("INSERT INTO answers (response_id, item_id, text_value) VALUES (?, ?, ?)")
      .run(r.lastInsertRowid, item, text);
    ids.push(Number(r.lastInsertRowid));
  }
  return ids;
}
