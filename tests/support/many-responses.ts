import type { Db } from "../../db/connection.js";

/**
 * Copies a consultation's submitted responses, answers and all, until it has at least `atLeast`
 * (doubling each time, in SQL): a large consultation for the responsiveness tests in a second or two.
 */
export function multiplyResponses(db: Db, slug: string, atLeast: number): number {
  const { id } = db.prepare("SELECT id FROM consultations WHERE slug = ?").get(slug) as { id: number };
  const countOf = () =>
    (
      db
        .prepare("SELECT count(*) AS n FROM responses WHERE consultation_id = ? AND status = 'submitted'")
        .get(id) as { n: number }
    ).n;
  let n = countOf();
  if (n === 0) throw new Error(`${slug} has no submitted responses to copy`);
  let round = 0;
  while (n < atLeast) {
    round++;
    db.transaction(() => {
      const maxId = (db.prepare("SELECT max(id) AS m FROM responses").get() as { m: number }).m;
      db.prepare(
        `INSERT INTO responses (id, consultation_id, status, reference, channel, started_at, updated_at, submitted_at)
         SELECT id + ?, consultation_id, status, reference || '-c' || ?, channel, started_at, updated_at, submitted_at
           FROM responses WHERE consultation_id = ? AND status = 'submitted'`,
      ).run(maxId, round, id);
      db.prepare(
        `INSERT INTO answers (response_id, item_id, option_id, number_value, text_value)
         SELECT a.response_id + ?, a.item_id, a.option_id, a.number_value, a.text_value
           FROM answers a JOIN responses r ON r.id = a.response_id
          WHERE r.consultation_id = ? AND r.status = 'submitted' AND r.id <= ?`,
      ).run(maxId, id, maxId);
    })();
    n = countOf();
  }
  return n;
}
