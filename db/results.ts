import type { Db } from "./connection.js";

/**
 * Aggregates for the results: counts per item and option, paired transitions and free-text pages,
 * optionally for the respondents who gave one of some answers (a filter such as "suppliers").
 * Everything is counted in SQL over the covering indexes on answers, so nothing here loads answers
 * one respondent at a time, whatever the size of the consultation.
 */
export interface ResponseFilter {
  /** The item (a question's single item) whose answer selects respondents. */
  itemId: number;
  /** Respondents who chose any of these options are kept. */
  optionIds: number[];
}

export type CountTable = Map<number, Map<number | null, number>>; // item id -> option id -> count

function filterClause(filters: ResponseFilter[], responseColumn: string): { sql: string; params: number[] } {
  const parts: string[] = [];
  const params: number[] = [];
  for (const f of filters) {
    const marks = f.optionIds.map(() => "?").join(", ");
    // The covering index (item_id, option_id, response_id) answers this without the table.
    parts.push(
      `${responseColumn} IN (SELECT response_id FROM answers WHERE item_id = ? AND option_id IN (${marks}))`,
    );
    params.push(f.itemId, ...f.optionIds);
  }
  return { sql: parts.length ? ` AND ${parts.join(" AND ")}` : "", params };
}

export class ResultsRepository {
  constructor(private readonly db: Db) {}

  submittedCount(consultationId: number, filters: ResponseFilter[] = []): number {
    const f = filterClause(filters, "r.id");
    const row = this.db
      .prepare(
        `SELECT count(*) AS n FROM responses r WHERE r.consultation_id = ? AND r.status = 'submitted'${f.sql}`,
      )
      .get(consultationId, ...f.params) as { n: number };
    return row.n;
  }

  /** Responses by channel and by day submitted (for "responses over time"). */
  submittedByDay(consultationId: number): { day: string; channel: string; n: number }[] {
    return this.db
      .prepare(
        `SELECT substr(submitted_at, 1, 10) AS day, channel, count(*) AS n FROM responses
         WHERE consultation_id = ? AND status = 'submitted' GROUP BY day, channel ORDER BY day`,
      )
      .all(consultationId) as { day: string; channel: string; n: number }[];
  }

  /** Answer counts per option for each of these items (text and number answers count under null). */
  optionCounts(itemIds: number[], filters: ResponseFilter[] = []): CountTable {
    const table: CountTable = new Map(itemIds.map((id) => [id, new Map()]));
    if (itemIds.length === 0) return table;
    const f = filterClause(filters, "a.response_id");
    // One statement per item keeps each an index range scan on (item_id, option_id, response_id).
    const stmt = this.db.prepare(
      `SELECT a.option_id AS option, count(*) AS n FROM answers a WHERE a.item_id = ?${f.sql} GROUP BY a.option_id`,
    );
    for (const itemId of itemIds) {
      const counts = table.get(itemId) ?? new Map<number | null, number>();
      for (const row of stmt.all(itemId, ...f.params) as { option: number | null; n: number }[])
        counts.set(row.option, row.n);
    }
    return table;
  }

  /** Respondents with at least one answer to an item (for multiple choice, where one may tick several). */
  respondentsAnswering(itemId: number, filters: ResponseFilter[] = []): number {
    const f = filterClause(filters, "a.response_id");
    const row = this.db
      .prepare(`SELECT count(DISTINCT a.response_id) AS n FROM answers a WHERE a.item_id = ?${f.sql}`)
      .get(itemId, ...f.params) as { n: number };
    return row.n;
  }

  /**
   * Before -> after transition counts for one statement: a row per (before option, after option),
   * with null where that respondent left one half blank.
   */
  pairedTransitions(
    beforeItemId: number,
    afterItemId: number,
    filters: ResponseFilter[] = [],
  ): { before: number | null; after: number | null; n: number }[] {
    const fb = filterClause(filters, "b.response_id");
    const fa = filterClause(filters, "a.response_id");
    return this.db
      .prepare(
        `SELECT b.option_id AS before, a.option_id AS after, count(*) AS n
           FROM answers b LEFT JOIN answers a ON a.response_id = b.response_id AND a.item_id = ?
          WHERE b.item_id = ?${fb.sql}
          GROUP BY b.option_id, a.option_id
         UNION ALL
         SELECT NULL AS before, a.option_id AS after, count(*) AS n
           FROM answers a
          WHERE a.item_id = ?${fa.sql}
            AND NOT EXISTS (SELECT 1 FROM answers b WHERE b.response_id = a.response_id AND b.item_id = ?)
          GROUP BY a.option_id`,
      )
      .all(afterItemId, beforeItemId, ...fb.params, afterItemId, ...fa.params, beforeItemId) as {
      before: number | null;
      after: number | null;
      n: number;
    }[];
  }

  /** How many numbers were given and their mean. */
  numberSummary(itemId: number, filters: ResponseFilter[] = []): { count: number; mean: number | null } {
    const f = filterClause(filters, "a.response_id");
    const row = this.db
      .prepare(
        `SELECT count(a.number_value) AS count, avg(a.number_value) AS mean FROM answers a WHERE a.item_id = ?${f.sql}`,
      )
      .get(itemId, ...f.params) as { count: number; mean: number | null };
    return row;
  }

  /** "Other, please specify" texts and free-text answers, newest first, a page at a time. */
  texts(
    itemId: number,
    filters: ResponseFilter[] = [],
    page: { limit: number; offset: number } = { limit: 50, offset: 0 },
  ): { total: number; rows: { responseId: number; reference: string; text: string }[] } {
    const f = filterClause(filters, "a.response_id");
    const total = this.db
      .prepare(`SELECT count(*) AS n FROM answers a WHERE a.item_id = ? AND a.text_value IS NOT NULL${f.sql}`)
      .get(itemId, ...f.params) as { n: number };
    const rows = this.db
      .prepare(
        `SELECT a.response_id AS responseId, r.reference AS reference, a.text_value AS text
           FROM answers a JOIN responses r ON r.id = a.response_id
          WHERE a.item_id = ? AND a.text_value IS NOT NULL${f.sql}
          ORDER BY a.response_id DESC LIMIT ? OFFSET ?`,
      )
      .all(itemId, ...f.params, page.limit, page.offset) as {
      responseId: number;
      reference: string;
      text: string;
    }[];
    return { total: total.n, rows };
  }
}
