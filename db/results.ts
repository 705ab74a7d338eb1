import type { Statement } from "better-sqlite3";
import { AnswerMatrix, type ResponseFilter, type Selection } from "./answer-matrix.js";
import type { Db } from "./connection.js";
import type { Catalog } from "./consultations.js";
import { notSetAside } from "./set-aside.js";

export type { AnswerMatrix, ResponseFilter, Selection };

/**
 * The answers the results are counted from. Each consultation's submitted answers are read once
 * into an AnswerMatrix (typed-array columns in memory) and then kept up to date from the
 * response_events log (migration 0005): every call to matrix() first asks SQLite for the log's
 * newest sequence number for that consultation (an index seek) and applies the responses
 * submitted or deleted since. Free-text answers stay in SQLite: the matrix says whose texts to
 * show, and they are read by response id.
 *
 * tests/bench/results-queries.ts measures the first load and the counts at 500,000 respondents,
 * next to the raw SQL each replaces.
 */
export class ResultsRepository {
  private readonly held = new Map<number, { catalog: Catalog; matrix: AnswerMatrix; seq: number }>();
  private readonly latestSeq: Statement;
  private readonly eventsSince: Statement;
  private readonly respondentGroups: Statement;
  private readonly respondent: Statement;
  private readonly answersOf: Statement;
  private readonly optionIds: Statement;
  private readonly textIds: Statement;
  private readonly numbers: Statement;
  private readonly textOf: Statement;

  /**
   * @param maxHeld consultations kept in memory at once (the least recently used is dropped).
   * @param rebuildAbove apply at most this many new events one response at a time; more (a large
   *   import) and the matrix is read again in bulk, which is faster.
   */
  constructor(
    private readonly db: Db,
    private readonly maxHeld = 8,
    private readonly rebuildAbove = 20_000,
  ) {
    this.latestSeq = db
      .prepare("SELECT coalesce(max(seq), 0) FROM response_events WHERE consultation_id = ?")
      .pluck();
    this.eventsSince = db.prepare(
      "SELECT response_id AS responseId, kind FROM response_events WHERE consultation_id = ? AND seq > ? ORDER BY seq",
    );
    this.respondentGroups = db.prepare(
      `SELECT substr(submitted_at, 1, 10) AS day, channel, group_concat(id) AS ids FROM responses
        WHERE consultation_id = ? AND status = 'submitted' AND ${notSetAside("responses.id")} GROUP BY day, channel`,
    );
    this.respondent = db.prepare(
      `SELECT substr(submitted_at, 1, 10) AS day, channel FROM responses
        WHERE id = ? AND consultation_id = ? AND status = 'submitted' AND ${notSetAside("responses.id")}`,
    );
    this.answersOf = db.prepare(
      `SELECT item_id AS itemId, option_id AS optionId, number_value AS number, text_value IS NOT NULL AS hasText
         FROM answers WHERE response_id = ?`,
    );
    this.optionIds = db
      .prepare("SELECT group_concat(response_id) FROM answers WHERE item_id = ? AND option_id = ?")
      .pluck();
    this.textIds = db
      .prepare("SELECT group_concat(response_id) FROM answers WHERE item_id = ? AND text_value IS NOT NULL")
      .pluck();
    this.numbers = db
      .prepare("SELECT response_id, number_value FROM answers WHERE item_id = ? AND number_value IS NOT NULL")
      .raw();
    this.textOf = db.prepare(
      `SELECT r.reference AS reference, a.text_value AS text FROM answers a JOIN responses r ON r.id = a.response_id
        WHERE a.response_id = ? AND a.item_id = ? AND a.text_value IS NOT NULL LIMIT 1`,
    );
  }

  /** The consultation's submitted answers, up to date with the database. */
  matrix(catalog: Catalog): AnswerMatrix {
    const id = catalog.consultationId;
    const held = this.held.get(id);
    // Most recently used last, so the first key is the one to drop.
    this.held.delete(id);
    if (held && held.catalog === catalog) {
      this.held.set(id, held);
      if ((this.latestSeq.get(id) as number) !== held.seq) this.catchUp(held);
      // catchUp may have read the matrix again (after a large import) and replaced it.
      return this.held.get(id)?.matrix ?? held.matrix;
    }
    return this.load(catalog);
  }

  /**
   * The position of the consultation's newest response event: it changes whenever a response is
   * submitted, imported or deleted, so anything built from the answers can tell it is out of date.
   */
  latestEvent(consultationId: number): number {
    return this.latestSeq.get(consultationId) as number;
  }

  /**
   * The consultations with submitted responses, most recently answered first, as many as are
   * held in memory at once: the ones worth reading in before the first results request.
   */
  recentlyAnswered(): { consultationId: number; respondents: number }[] {
    return this.db
      .prepare(
        `SELECT consultation_id AS consultationId, count(*) AS respondents FROM responses
          WHERE status = 'submitted' GROUP BY consultation_id ORDER BY max(submitted_at) DESC LIMIT ?`,
      )
      .all(this.maxHeld) as { consultationId: number; respondents: number }[];
  }

  /** Forget every held matrix (the next matrix() call reads from the database again). */
  clear(): void {
    this.held.clear();
  }

  private remember(catalog: Catalog, matrix: AnswerMatrix, seq: number): AnswerMatrix {
    this.held.delete(catalog.consultationId);
    this.held.set(catalog.consultationId, { catalog, matrix, seq });
    while (this.held.size > this.maxHeld) {
      const oldest = this.held.keys().next().value;
      if (oldest === undefined) break;
      this.held.delete(oldest);
    }
    return matrix;
  }

  /** Read a consultation's answers in bulk: a few id lists per item, from the covering indexes. */
  private load(catalog: Catalog): AnswerMatrix {
    const id = catalog.consultationId;
    return this.db.transaction(() => {
      // In one read transaction: the log position and the answers are the same snapshot.
      const seq = this.latestSeq.get(id) as number;
      const groups = this.respondentGroups.all(id) as { day: string; channel: string; ids: string }[];
      // Respondents in response id order, so that "newest first" is a backwards walk. Each packed
      // as id * 2^16 + group in a Float64Array, which sorts natively.
      const packed: number[] = [];
      groups.forEach((g, k) => {
        for (const rid of g.ids.split(",")) packed.push(Number(rid) * 65_536 + k);
      });
      const order = Float64Array.from(packed).sort();
      // Room for an eighth more before the columns are copied into larger ones.
      const matrix = new AnswerMatrix(catalog, order.length + (order.length >> 3) + 64);
      for (const p of order) {
        const g = groups[p % 65_536];
        if (g) matrix.addRespondent(Math.floor(p / 65_536), g.day, g.channel);
      }
      for (const item of matrix.plan()) {
        for (const optionId of item.options)
          matrix.addIdList(item.itemId, optionId, this.optionIds.get(item.itemId, optionId) as string | null);
        if (item.text) matrix.addIdList(item.itemId, null, this.textIds.get(item.itemId) as string | null);
        if (item.numbers)
          for (const [responseId, value] of this.numbers.iterate(item.itemId) as Iterable<[number, number]>)
            matrix.addAnswer(responseId, {
              itemId: item.itemId,
              optionId: null,
              number: value,
              hasText: false,
            });
      }
      return this.remember(catalog, matrix, seq);
    })();
  }

  /** Apply the responses submitted or deleted since the matrix was last brought up to date. */
  private catchUp(held: { catalog: Catalog; matrix: AnswerMatrix; seq: number }): void {
    const id = held.catalog.consultationId;
    this.db.transaction(() => {
      const seq = this.latestSeq.get(id) as number;
      const events = this.eventsSince.all(id, held.seq) as { responseId: number; kind: string }[];
      if (events.length > this.rebuildAbove) {
        this.load(held.catalog);
        return;
      }
      for (const e of events) {
        if (e.kind === "removed") {
          held.matrix.remove(e.responseId);
          continue;
        }
        const r = this.respondent.get(e.responseId, id) as { day: string; channel: string } | undefined;
        // Submitted then deleted before this catch-up: its 'removed' event follows; nothing to add.
        if (!r || held.matrix.has(e.responseId)) continue;
        held.matrix.addRespondent(e.responseId, r.day, r.channel);
        for (const row of this.answersOf.all(e.responseId) as {
          itemId: number;
          optionId: number | null;
          number: number | null;
          hasText: number;
        }[])
          held.matrix.addAnswer(e.responseId, { ...row, hasText: row.hasText === 1 });
      }
      held.seq = seq;
    })();
  }

  /**
   * Free-text answers (and "Other, please specify" texts) of the selected respondents, newest
   * first, a page at a time, with how many there are in all.
   */
  texts(
    matrix: AnswerMatrix,
    itemId: number,
    filters: readonly ResponseFilter[] = [],
    page: { limit: number; offset: number } = { limit: 50, offset: 0 },
  ): { total: number; rows: { responseId: number; reference: string; text: string }[] } {
    const { total, responseIds } = matrix.textPage(itemId, matrix.select(filters), page);
    const rows: { responseId: number; reference: string; text: string }[] = [];
    for (const responseId of responseIds) {
      const row = this.textOf.get(responseId, itemId) as { reference: string; text: string } | undefined;
      if (row) rows.push({ responseId, ...row });
    }
    return { total, rows };
  }
}
