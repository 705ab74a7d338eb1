import type { Statement } from "better-sqlite3";
import type { Db } from "./connection.js";

/**
 * Aggregates for the results: counts per item and option, paired transitions and free-text pages,
 * optionally for the respondents who gave one of some answers (a filter such as "suppliers").
 * Counts are made in SQL over the covering indexes on answers, so nothing here loads answers one
 * respondent at a time. Paired transitions and distinct respondents read an item's response ids
 * in bulk (a few strings) and match them in typed arrays, which is linear where SQL would probe an
 * index per respondent. tests/bench/results-queries.ts measures all of this at 500,000 respondents.
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

/** Filters ordered by a capped count of the respondents each keeps: the most selective first. */
const SELECTIVITY_CAP = 50_000;
/** texts() compares the filters' sizes over the respondents of an item's newest this many texts. */
const TEXT_SAMPLE = 2_000;

/** An id list as SQLite's group_concat writes it ("3,5,14"; ids are positive rowids), as numbers. */
function parseIds(list: string | null): number[] {
  const ids: number[] = [];
  if (list === null || list === "") return ids;
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i);
    if (c === 44) {
      ids.push(n);
      n = 0;
    } else n = n * 10 + (c - 48);
  }
  ids.push(n);
  return ids;
}

/** The smallest and largest id of some lists, to size a typed array indexed by id - min. */
function idRange(lists: number[][]): { min: number; size: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const ids of lists)
    for (const id of ids) {
      if (id < min) min = id;
      if (id > max) max = id;
    }
  return max < min ? { min: 0, size: 0 } : { min, size: max - min + 1 };
}

type Transition = { before: number | null; after: number | null; n: number };

const byOption = (a: number | null, b: number | null) => (a === null ? -1 : b === null ? 1 : a - b);

/** The same filters as correlated EXISTS checks: a seek per respondent instead of building each set. */
function existsClause(filters: ResponseFilter[], responseColumn: string): { sql: string; params: number[] } {
  const parts: string[] = [];
  const params: number[] = [];
  for (const f of filters) {
    const marks = f.optionIds.map(() => "?").join(", ");
    parts.push(
      `EXISTS (SELECT 1 FROM answers f WHERE f.item_id = ? AND f.option_id IN (${marks}) AND f.response_id = ${responseColumn})`,
    );
    params.push(f.itemId, ...f.optionIds);
  }
  return { sql: parts.length ? ` AND ${parts.join(" AND ")}` : "", params };
}

export class ResultsRepository {
  private statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  /** Prepared once per SQL text: the dashboard runs the same few shapes many times. */
  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      // Filter shapes vary with the number of options chosen; keep the cache bounded all the same.
      if (this.statements.size > 200) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /**
   * The filters with the one keeping the fewest respondents first (counted up to SELECTIVITY_CAP,
   * a few milliseconds each), so that queries can start from it and only check the others.
   */
  private bySelectivity(filters: ResponseFilter[]): ResponseFilter[] {
    if (filters.length < 2) return filters;
    const sized = filters.map((f) => ({ f, n: this.cappedCount(f) }));
    sized.sort((a, b) => a.n - b.n);
    return sized.map((x) => x.f);
  }

  private cappedCount(f: ResponseFilter): number {
    const marks = f.optionIds.map(() => "?").join(", ");
    return this.stmt(
      `SELECT count(*) AS n FROM (SELECT 1 FROM answers WHERE item_id = ? AND option_id IN (${marks}) LIMIT ${SELECTIVITY_CAP})`,
    )
      .pluck()
      .get(f.itemId, ...f.optionIds) as number;
  }

  /** Answers giving one of a filter's options from responses with ids from `since` on. */
  private countSince(f: ResponseFilter, since: number): number {
    const marks = f.optionIds.map(() => "?").join(", ");
    return this.stmt(
      `SELECT count(*) FROM answers WHERE item_id = ? AND option_id IN (${marks}) AND response_id >= ?`,
    )
      .pluck()
      .get(f.itemId, ...f.optionIds, since) as number;
  }

  submittedCount(consultationId: number, filters: ResponseFilter[] = []): number {
    if (filters.length === 0) {
      const row = this.stmt(
        "SELECT count(*) AS n FROM responses r WHERE r.consultation_id = ? AND r.status = 'submitted'",
      ).get(consultationId) as { n: number };
      return row.n;
    }
    // Start from the respondents of the most selective filter and look each up by id (the unary +
    // keeps the planner from scanning every response of the consultation and probing the filter).
    const [first, ...rest] = this.bySelectivity(filters);
    const f = filterClause(first ? [first] : [], "r.id");
    const others = existsClause(rest, "r.id");
    const row = this.stmt(
      `SELECT count(*) AS n FROM responses r WHERE +r.consultation_id = ? AND +r.status = 'submitted'${f.sql}${others.sql}`,
    ).get(consultationId, ...f.params, ...others.params) as { n: number };
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
    const stmt = this.stmt(
      `SELECT a.option_id AS option, count(*) AS n FROM answers a WHERE a.item_id = ?${f.sql} GROUP BY a.option_id`,
    );
    for (const itemId of itemIds) {
      const counts = table.get(itemId) ?? new Map<number | null, number>();
      const ranged = filters.length === 0 ? this.countsByRange(itemId) : null;
      if (ranged) {
        for (const [option, n] of ranged) counts.set(option, n);
        continue;
      }
      for (const row of stmt.all(itemId, ...f.params) as { option: number | null; n: number }[])
        counts.set(row.option, row.n);
    }
    return table;
  }

  /**
   * Unfiltered counts of one item as one count(*) per option range of the covering index, which
   * SQLite steps through about twice as fast as a GROUP BY over the same entries. The ranges
   * between the item's known options are counted too (a seek each, normally empty); if any holds
   * answers, the caller falls back to GROUP BY so the result is always the same.
   * Returns null answer first, then options by id, each only when answered (as GROUP BY would).
   */
  private countsByRange(itemId: number): [number | null, number][] | null {
    const options = this.stmt(
      `SELECT o.id FROM items i JOIN questions q ON q.id = i.question_id
         JOIN options o ON o.question_id = q.id OR (q.scale_id IS NOT NULL AND o.scale_id = q.scale_id)
        WHERE i.id = ? ORDER BY o.id`,
    )
      .pluck()
      .all(itemId) as number[];
    const exact = this.stmt("SELECT count(*) FROM answers WHERE item_id = ? AND option_id = ?").pluck();
    const between = this.stmt(
      "SELECT count(*) FROM answers WHERE item_id = ? AND option_id > ? AND option_id < ?",
    ).pluck();
    const out: [number | null, number][] = [];
    const nulls = this.stmt("SELECT count(*) FROM answers WHERE item_id = ? AND option_id IS NULL")
      .pluck()
      .get(itemId) as number;
    if (nulls > 0) out.push([null, nulls]);
    let below = Number.MIN_SAFE_INTEGER;
    for (const option of [...options, Number.MAX_SAFE_INTEGER]) {
      if ((between.get(itemId, below, option) as number) > 0) return null;
      if (option === Number.MAX_SAFE_INTEGER) break;
      const n = exact.get(itemId, option) as number;
      if (n > 0) out.push([option, n]);
      below = option;
    }
    return out;
  }

  /** Respondents with at least one answer to an item (for multiple choice, where one may tick several). */
  respondentsAnswering(itemId: number, filters: ResponseFilter[] = []): number {
    const f = filterClause(filters, "a.response_id");
    // count(DISTINCT) inserts every answer into a temporary index; marking the ids in a typed array
    // is cheaper (see pairedTransitions for why the ids come as one string).
    const list = this.stmt(`SELECT group_concat(a.response_id) FROM answers a WHERE a.item_id = ?${f.sql}`)
      .pluck()
      .get(itemId, ...f.params) as string | null;
    const ids = parseIds(list);
    const { min, size } = idRange([ids]);
    const seen = new Uint8Array(size);
    let n = 0;
    for (const id of ids) {
      if (seen[id - min] === 0) {
        seen[id - min] = 1;
        n++;
      }
    }
    return n;
  }

  /**
   * Before -> after transition counts for one statement: a row per (before option, after option),
   * with null where that respondent left one half blank. Rows come in the order of the SQL this
   * replaced (see pairedTransitionsSql): the before rows by (before, after) with null first, then
   * the after-only rows by option.
   *
   * Each half's (option, response ids) are read once from the covering index, the ids as one
   * group_concat string per option (crossing into JavaScript as a few strings rather than a row per
   * answer), and matched by response id in a typed array: linear in the answers, where probing the
   * other half once per respondent costs a B-tree seek each.
   */
  pairedTransitions(beforeItemId: number, afterItemId: number, filters: ResponseFilter[] = []): Transition[] {
    const f = filterClause(filters, "a.response_id");
    const read = this.stmt(
      `SELECT a.option_id AS option, group_concat(a.response_id) AS ids FROM answers a
        WHERE a.item_id = ?${f.sql} GROUP BY a.option_id`,
    );
    const half = (itemId: number) =>
      (read.all(itemId, ...f.params) as { option: number | null; ids: string | null }[]).map((row) => ({
        option: row.option,
        ids: parseIds(row.ids),
      }));
    const before = half(beforeItemId);
    const after = half(afterItemId);
    const { min, size } = idRange([...before, ...after].map((g) => g.ids));
    // slot[response id - min] = 1 + index of the before option given (0: no before answer).
    const slot = new Int32Array(size);
    const beforeTotals: number[] = [];
    for (const [k, g] of before.entries()) {
      for (const id of g.ids) {
        // Two answers to one half from one response: not something the app writes; count it the slow way.
        if (slot[id - min] !== 0) return this.pairedTransitionsSql(beforeItemId, afterItemId, filters);
        slot[id - min] = k + 1;
      }
      beforeTotals.push(g.ids.length);
    }
    // pairs[k][j]: before option k (k = before.length for none) -> after option j.
    const pairs = Array.from({ length: before.length + 1 }, () => new Array<number>(after.length).fill(0));
    const seenAfter = new Uint8Array(size);
    for (const [j, g] of after.entries()) {
      for (const id of g.ids) {
        if (seenAfter[id - min] !== 0) return this.pairedTransitionsSql(beforeItemId, afterItemId, filters);
        seenAfter[id - min] = 1;
        const k = (slot[id - min] ?? 0) - 1;
        const row = pairs[k < 0 ? before.length : k];
        if (row) row[j] = (row[j] ?? 0) + 1;
      }
    }
    const rows: Transition[] = [];
    const beforeOrder = before
      .map((g, k) => ({ option: g.option, k }))
      .sort((x, y) => byOption(x.option, y.option));
    const afterOrder = after
      .map((g, j) => ({ option: g.option, j }))
      .sort((x, y) => byOption(x.option, y.option));
    for (const { option: b, k } of beforeOrder) {
      const row = pairs[k] ?? [];
      const paired = row.reduce((sum, n) => sum + n, 0);
      const blank = (beforeTotals[k] ?? 0) - paired;
      if (blank > 0) rows.push({ before: b, after: null, n: blank });
      for (const { option: a, j } of afterOrder) {
        const n = row[j] ?? 0;
        if (n > 0) rows.push({ before: b, after: a, n });
      }
    }
    const afterOnly = pairs[before.length] ?? [];
    for (const { option: a, j } of afterOrder) {
      const n = afterOnly[j] ?? 0;
      if (n > 0) rows.push({ before: null, after: a, n });
    }
    return rows;
  }

  /**
   * The same transitions in SQL, for data the fast path does not expect (a response with two
   * answers to one half). The unary + keeps the planner on answers_response (response_id, item_id)
   * for the probe: given item_id it would pick the covering (item_id, ...) index and scan the
   * whole other half for every respondent.
   */
  private pairedTransitionsSql(
    beforeItemId: number,
    afterItemId: number,
    filters: ResponseFilter[],
  ): Transition[] {
    const fb = filterClause(filters, "b.response_id");
    const fa = filterClause(filters, "a.response_id");
    return this.stmt(
      `SELECT b.option_id AS before, a.option_id AS after, count(*) AS n
         FROM answers b LEFT JOIN answers a ON a.response_id = b.response_id AND +a.item_id = ?
        WHERE b.item_id = ?${fb.sql}
        GROUP BY b.option_id, a.option_id
       UNION ALL
       SELECT NULL AS before, a.option_id AS after, count(*) AS n
         FROM answers a
        WHERE a.item_id = ?${fa.sql}
          AND NOT EXISTS (SELECT 1 FROM answers b WHERE b.response_id = a.response_id AND +b.item_id = ?)
        GROUP BY a.option_id`,
    ).all(afterItemId, beforeItemId, ...fb.params, afterItemId, ...fa.params, beforeItemId) as Transition[];
  }

  /** How many numbers were given and their mean. */
  numberSummary(itemId: number, filters: ResponseFilter[] = []): { count: number; mean: number | null } {
    const f = filterClause(filters, "a.response_id");
    const row = this.db
      .prepare(
        // number_value IS NOT NULL changes nothing counted; it lets answers_number (0004) cover the query.
        `SELECT count(a.number_value) AS count, avg(a.number_value) AS mean FROM answers a
          WHERE a.item_id = ? AND a.number_value IS NOT NULL${f.sql}`,
      )
      .get(itemId, ...f.params) as { count: number; mean: number | null };
    return row;
  }

  /**
   * "Other, please specify" texts and free-text answers, newest first, a page at a time.
   * With filters, the query starts from the respondents of the most selective filter (or from the
   * item's texts, if fewer) and checks the other filters one respondent at a time with a seek on
   * (item_id, option_id, response_id), rather than building every filter's respondents as a
   * temporary index. Sizes are compared over a sample: the response ids of the newest TEXT_SAMPLE
   * texts, a few thousand index entries per filter. answers_text (migration 0004) holds the texts'
   * (item_id, response_id).
   */
  texts(
    itemId: number,
    filters: ResponseFilter[] = [],
    page: { limit: number; offset: number } = { limit: 50, offset: 0 },
  ): { total: number; rows: { responseId: number; reference: string; text: string }[] } {
    let driver: ResponseFilter[] = [];
    let checked: ResponseFilter[] = [];
    if (filters.length > 0) {
      // Estimate each filter's size over the response ids of the item's newest TEXT_SAMPLE texts;
      // with fewer texts than that, start from the texts themselves.
      const since = this.stmt(
        "SELECT response_id FROM answers WHERE item_id = ? AND text_value IS NOT NULL ORDER BY response_id DESC LIMIT 1 OFFSET ?",
      )
        .pluck()
        .get(itemId, TEXT_SAMPLE - 1) as number | undefined;
      const sized = filters
        .map((f) => ({ f, n: since === undefined ? Number.POSITIVE_INFINITY : this.countSince(f, since) }))
        .sort((a, b) => a.n - b.n);
      const [first, ...rest] = sized;
      if (first && first.n < TEXT_SAMPLE) {
        driver = [first.f];
        checked = rest.map((x) => x.f);
      } else checked = sized.map((x) => x.f);
    }
    const f = filterClause(driver, "a.response_id");
    const e = existsClause(checked, "a.response_id");
    const where = `a.item_id = ? AND a.text_value IS NOT NULL${f.sql}${e.sql}`;
    const params = [itemId, ...f.params, ...e.params];
    const total = this.stmt(`SELECT count(*) AS n FROM answers a WHERE ${where}`).get(...params) as {
      n: number;
    };
    const rows = this.stmt(
      `SELECT a.response_id AS responseId, r.reference AS reference, a.text_value AS text
         FROM answers a JOIN responses r ON r.id = a.response_id
        WHERE ${where}
        ORDER BY a.response_id DESC LIMIT ? OFFSET ?`,
    ).all(...params, page.limit, page.offset) as {
      responseId: number;
      reference: string;
      text: string;
    }[];
    return { total: total.n, rows };
  }
}
