import type { Statement } from "better-sqlite3";
import type { Db } from "./connection.js";
import type { AnswerRow, Channel } from "./responses.js";
import { notSetAside } from "./set-aside.js";

/** Answer rows per multi-row INSERT: one statement per row costs about twice as much per row. */
const ANSWER_BATCH = 100;
/**
 * Responses per multi-row INSERT. Beyond binding fewer statements, this matters because of the
 * response_events trigger (migration 0005): a statement that fires a trigger writes a statement
 * journal, and one per response cost 1.4 s of 2.0 s for 100,000 single-row inserts.
 */
const RESPONSE_BATCH = 100;
/** References looked up per statement by storedReferences. */
export const REFERENCE_LOOKUP = 500;

/**
 * Imported answers are first written to this temporary table (no index, no constraint), then
 * copied into answers by one INSERT ... SELECT: SQLite then maintains the answers indexes in one
 * statement, which measured 30-45% faster for 100,000 responses than batched INSERTs straight
 * into answers (npm run bench -- export). It is per connection and emptied in the same transaction.
 */
const STAGING = "import_answers";

/** Option answers are sent as item id * 2^26 + option id, one integer per answer (see exportPage). */
export const ITEM_FACTOR = 67_108_864;

/**
 * One submitted response with its option answers packed by SQLite into a comma-separated list of
 * `item id * 2^26 + option id`. Packing matters: one row per response crosses into JavaScript
 * instead of one per answer (35 times fewer at the benchmark's size), which halves a large export.
 */
export type ExportRow = [
  responseId: number,
  reference: string,
  channel: string,
  submittedAt: string,
  options: string | null,
];

/** An answer that carries a number or a text (the text of an "Other" option included). */
export type ValueRow = [
  responseId: number,
  itemId: number,
  optionId: number | null,
  numberValue: number | null,
  textValue: string | null,
];

export interface ImportedResponse {
  consultationId: number;
  reference: string;
  channel: Channel;
  /** ISO 8601 */
  submittedAt: string;
  importKey: string;
  /** The row's answers and time, hashed (possible duplicates across files share it). */
  contentHash: string;
  rows: AnswerRow[];
}

/** An import batch another process left behind, and what to do with it (see migration 0007). */
export interface LeftBatch {
  id: number;
  state: "staging" | "publishing";
  ownerPid: number;
}

/** Reads for the raw-responses export; duplicate checks and batched writes for the import. */
export class ResponseTransferRepository {
  private readonly page: Statement;
  private readonly valuesOf: Statement;
  private readonly otherTextsOf: Statement;
  private readonly byReference: Statement;
  private readonly referencesIn: Statement;
  private readonly byImportKey: Statement;
  private readonly anyImportKey: Statement;
  private readonly lastId: Statement;
  private readonly byContentHash: Statement;
  private readonly newBatch: Statement;
  private readonly batchState: Statement;
  private readonly publishSome: Statement;
  private readonly discardSome: Statement;
  private readonly dropBatch: Statement;
  private readonly batches: Statement;
  private readonly insertResponses = new Map<number, Statement>();
  private readonly responses: ImportedResponse[] = [];
  private staged: { one: Statement; many: Statement; copy: Statement; clear: Statement } | undefined;
  private readonly batch: (number | string | null)[] = [];

  constructor(private readonly db: Db) {
    // A page of submitted responses after a response id, by the rowid (never the submitted_at
    // index, which would sort the whole consultation for every page), joined to their answers
    // through the answers_response index; grouping by the rowid needs no sort either. Text and
    // number answers have no option, so they drop out of group_concat (it skips NULLs).
    this.page = db
      .prepare(
        `WITH page AS (
           SELECT id, reference, channel, submitted_at FROM responses NOT INDEXED
            WHERE id > ? AND consultation_id = ? AND status = 'submitted'
              AND ${notSetAside("responses.id")} ORDER BY id LIMIT ?)
         SELECT p.id, p.reference, p.channel, p.submitted_at, group_concat(a.item_id * ${ITEM_FACTOR} + a.option_id)
           FROM page p LEFT JOIN answers a INDEXED BY answers_response ON a.response_id = p.id
          GROUP BY p.id ORDER BY p.id`,
      )
      .raw(true);
    // The few answers with a value, fetched for one item and a range of responses: a range of the
    // (item, option, response) index, whatever else the responses answered.
    this.valuesOf = db
      .prepare(
        `SELECT response_id, item_id, option_id, number_value, text_value
           FROM answers INDEXED BY answers_item_option_response
          WHERE item_id = ? AND option_id IS NULL AND response_id BETWEEN ? AND ?`,
      )
      .raw(true);
    this.otherTextsOf = db
      .prepare(
        `SELECT response_id, item_id, option_id, number_value, text_value
           FROM answers INDEXED BY answers_item_option_response
          WHERE item_id = ? AND option_id = ? AND response_id BETWEEN ? AND ?`,
      )
      .raw(true);
    this.byReference = db.prepare("SELECT consultation_id FROM responses WHERE reference = ?").pluck();
    this.referencesIn = db
      .prepare(
        `SELECT reference FROM responses WHERE reference IN (${Array(REFERENCE_LOOKUP).fill("?").join(", ")})`,
      )
      .pluck();
    this.byImportKey = db
      .prepare("SELECT 1 FROM responses WHERE consultation_id = ? AND import_key = ?")
      .pluck();
    this.anyImportKey = db
      .prepare("SELECT 1 FROM responses WHERE consultation_id = ? AND import_key IS NOT NULL LIMIT 1")
      .pluck();
    this.lastId = db.prepare("SELECT coalesce(max(id), 0) FROM responses").pluck();
    this.byContentHash = db
      .prepare(
        "SELECT reference FROM responses WHERE consultation_id = ? AND content_hash = ? AND status = 'submitted' LIMIT 1",
      )
      .pluck();
    this.newBatch = db
      .prepare(
        "INSERT INTO import_batches (consultation_id, state, owner_pid, started_at) VALUES (?, 'staging', ?, ?) RETURNING id",
      )
      .pluck();
    this.batchState = db.prepare("UPDATE import_batches SET state = ? WHERE id = ?");
    // Submitting fires the response_events trigger, so results and exports see the rows from here;
    // each row records the definition version it was checked against (the one live as it lands).
    this.publishSome = db.prepare(
      `UPDATE responses SET status = 'submitted', import_batch = NULL,
          definition_version = (SELECT c.version FROM consultations c WHERE c.id = responses.consultation_id)
        WHERE id IN (SELECT id FROM responses WHERE import_batch = ? LIMIT ?)`,
    );
    // Drafts leave no 'removed' event; their answers go with them (ON DELETE CASCADE).
    this.discardSome = db.prepare(
      "DELETE FROM responses WHERE id IN (SELECT id FROM responses WHERE import_batch = ? LIMIT ?)",
    );
    this.dropBatch = db.prepare("DELETE FROM import_batches WHERE id = ?");
    this.batches = db.prepare("SELECT id, state, owner_pid AS ownerPid FROM import_batches");
  }

  /** INSERT of `n` submitted responses at once, returning each one's id with its reference. */
  private insertResponsesOf(n: number): Statement {
    let stmt = this.insertResponses.get(n);
    if (!stmt) {
      stmt = this.db.prepare(
        `INSERT INTO responses (consultation_id, status, reference, channel, started_at, updated_at, submitted_at, import_key, content_hash, import_batch)
         VALUES ${Array(n).fill("(?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")} RETURNING id, reference`,
      );
      this.insertResponses.set(n, stmt);
    }
    return stmt;
  }

  /** The staging table and its statements, made on first use (a TEMP table lives per connection). */
  private staging() {
    if (this.staged) return this.staged;
    this.db.exec(
      `CREATE TEMP TABLE IF NOT EXISTS ${STAGING} (response_id INTEGER, item_id INTEGER, option_id INTEGER, number_value REAL, text_value TEXT)`,
    );
    const row = "(?, ?, ?, ?, ?)";
    const insert = `INSERT INTO temp.${STAGING} (response_id, item_id, option_id, number_value, text_value) VALUES `;
    this.staged = {
      one: this.db.prepare(insert + row),
      many: this.db.prepare(insert + Array(ANSWER_BATCH).fill(row).join(", ")),
      copy: this.db.prepare(
        `INSERT INTO main.answers (response_id, item_id, option_id, number_value, text_value)
         SELECT response_id, item_id, option_id, number_value, text_value FROM temp.${STAGING} ORDER BY rowid`,
      ),
      clear: this.db.prepare(`DELETE FROM temp.${STAGING}`),
    };
    return this.staged;
  }

  /** Open an import batch: its responses stay invisible drafts until it is published. */
  beginBatch(consultationId: number, now: string): number {
    return this.newBatch.get(consultationId, process.pid, now) as number;
  }

  /**
   * Store some of a batch's responses in one short transaction: `write` is called with a function
   * that stores one response (answers are batched, and flushed before the transaction commits).
   */
  stage(batchId: number, write: (store: (response: ImportedResponse) => void) => void): void {
    const staging = this.staging();
    this.db.transaction(() => {
      staging.clear.run();
      this.batch.length = 0;
      this.responses.length = 0;
      write((r) => {
        this.responses.push(r);
        if (this.responses.length === RESPONSE_BATCH) this.storeResponses(staging.many, batchId);
      });
      this.storeResponses(staging.many, batchId);
      for (let i = 0; i < this.batch.length; i += 5) staging.one.run(this.batch.slice(i, i + 5));
      this.batch.length = 0;
      staging.copy.run();
      staging.clear.run();
    })();
  }

  /**
   * Stop this connection's commits from copying the write-ahead log back into the database file
   * (while the import writer does it, off the request loop); returns what puts the setting back.
   */
  holdCheckpoints(): () => void {
    const before = this.db.pragma("wal_autocheckpoint", { simple: true }) as number;
    this.db.pragma("wal_autocheckpoint = 0");
    return () => this.db.pragma(`wal_autocheckpoint = ${before}`);
  }

  /** Mark a batch as accepted whole: from here it is finished, even after a crash. */
  startPublishing(batchId: number): void {
    this.batchState.run("publishing", batchId);
  }

  /** Submit up to `limit` of a batch's responses; returns how many (0: the batch is done and gone). */
  publish(batchId: number, limit: number): number {
    return this.db.transaction(() => {
      const n = this.publishSome.run(batchId, limit).changes;
      if (n === 0) this.dropBatch.run(batchId);
      return n;
    })();
  }

  /** Delete up to `limit` of a batch's staged responses; returns how many (0: the batch is gone). */
  discard(batchId: number, limit: number): number {
    return this.db.transaction(() => {
      const n = this.discardSome.run(batchId, limit).changes;
      if (n === 0) this.dropBatch.run(batchId);
      return n;
    })();
  }

  /** Every open import batch (for finishing or clearing those whose process is gone). */
  openBatches(): LeftBatch[] {
    return this.batches.all() as LeftBatch[];
  }

  /** Insert the buffered responses in one statement, then queue their answers for staging. */
  private storeResponses(many: Statement, batchId: number): void {
    const batch = this.responses;
    if (batch.length === 0) return;
    const params: (string | number)[] = [];
    for (const r of batch)
      params.push(
        r.consultationId,
        r.reference,
        r.channel,
        r.submittedAt,
        r.submittedAt,
        r.submittedAt,
        r.importKey,
        r.contentHash,
        batchId,
      );
    // RETURNING gives no promise of order: match the ids by reference, which is unique.
    const ids = new Map<string, number>();
    for (const row of this.insertResponsesOf(batch.length).all(params) as { id: number; reference: string }[])
      ids.set(row.reference, row.id);
    for (const r of batch) {
      const id = ids.get(r.reference);
      if (id === undefined) throw new Error(`Imported response ${r.reference} was not stored`);
      for (const a of r.rows) {
        this.batch.push(id, a.itemId, a.optionId, a.number, a.text);
        if (this.batch.length === ANSWER_BATCH * 5) {
          many.run(this.batch);
          this.batch.length = 0;
        }
      }
    }
    batch.length = 0;
  }

  /** Up to `limit` submitted responses with ids above `afterId`, in response id order, answers packed. */
  exportPage(consultationId: number, afterId: number, limit: number): ExportRow[] {
    return this.page.all(afterId, consultationId, limit) as ExportRow[];
  }

  /**
   * The text and number answers to these items (and the texts of these "Other" options) of the
   * responses with ids from `first` to `last`.
   */
  exportValues(
    items: readonly { itemId: number; otherOptionId: number | null }[],
    first: number,
    last: number,
  ): ValueRow[] {
    const rows: ValueRow[] = [];
    for (const { itemId, otherOptionId } of items) {
      const found =
        otherOptionId === null
          ? this.valuesOf.all(itemId, first, last)
          : this.otherTextsOf.all(itemId, otherOptionId, first, last);
      for (const r of found as ValueRow[]) rows.push(r);
    }
    return rows;
  }

  /** The consultation a reference belongs to, if it is taken. */
  referenceOwner(reference: string): number | undefined {
    return this.byReference.get(reference) as number | undefined;
  }

  /** Which of these references (REFERENCE_LOOKUP of them) are taken, in one statement. */
  storedReferences(references: string[]): Set<string> {
    if (references.length !== REFERENCE_LOOKUP)
      throw new RangeError(`storedReferences takes ${REFERENCE_LOOKUP} references`);
    return new Set(this.referencesIn.all(references) as string[]);
  }

  hasImportKey(consultationId: number, importKey: string): boolean {
    return this.byImportKey.get(consultationId, importKey) !== undefined;
  }

  /** Whether anything was ever imported into this consultation (else no import key can clash). */
  hasImportKeys(consultationId: number): boolean {
    return this.anyImportKey.get(consultationId) !== undefined;
  }

  /** A submitted response of this consultation with these answers and time, by reference. */
  sameContent(consultationId: number, contentHash: string): string | undefined {
    return this.byContentHash.get(consultationId, contentHash) as string | undefined;
  }

  /** The newest response id: unchanged means no response was added in between. */
  lastResponseId(): number {
    return this.lastId.get() as number;
  }
}
