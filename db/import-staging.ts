import type { Statement } from "better-sqlite3";
import type { Db } from "./connection.js";

/** Rows per multi-row INSERT into the staging tables (answers have 5 values a row, responses 6). */
const ROWS_PER_INSERT = 200;

/**
 * A chunk of checked responses, packed as the import writer receives it (the shape of
 * server/services/pending-responses.ts's PendingData): one `meta` entry per response, and its
 * answers from `starts[r]` to `starts[r + 1]` (or the end) in `items` and `options` (-1: no option),
 * with the few numbers and texts by answer index, in ascending order.
 */
export interface StagedChunk {
  meta: readonly {
    reference: string;
    channel: string;
    submittedAt: string;
    key: string;
    contentHash: string;
  }[];
  starts: readonly number[];
  items: Int32Array;
  options: Int32Array;
  numbers: Map<number, number>;
  texts: Map<number, string>;
}

/**
 * The import writer's side of an import batch (server/services/import-writer-worker.ts), on its own
 * connection: responses and answers are first written to TEMP tables, which takes no lock on the
 * database file, then moved into responses and answers by two INSERT ... SELECT statements in one
 * short write transaction. So the write lock that an answer post on the request loop may wait for is
 * held only while SQLite copies rows, with no JavaScript in between (the storage floor's way), and
 * the staging tables can take many chunks before one move, so that each commit, which rewrites every
 * index page it touched, is shared by many rows (see import-writer.ts).
 */
export class ImportStaging {
  private readonly insertResponses: Statement;
  private readonly insertAnswers: Statement;
  private readonly insertResponse: Statement;
  private readonly insertAnswer: Statement;
  private readonly lastId: Statement;
  private readonly moveResponses: Statement;
  private readonly moveAnswers: Statement;
  private readonly clearResponses: Statement;
  private readonly renameStaged: Statement;
  private readonly renameMoved: Statement;
  private readonly clearAnswers: Statement;
  /** Responses in the staging tables, not yet moved. */
  private staged = 0;
  /** One parameter array per statement, reused: binding allocates nothing per row. */
  private readonly answerParams: (number | string | null)[] = new Array(ROWS_PER_INSERT * 5).fill(null);
  private readonly responseParams: (number | string | null)[] = new Array(ROWS_PER_INSERT * 6).fill(null);

  constructor(private readonly db: Db) {
    // In memory: staged rows live only until they are moved, never need to survive a crash.
    db.pragma("temp_store = MEMORY");
    db.exec(
      `CREATE TEMP TABLE IF NOT EXISTS import_staged_responses (seq INTEGER PRIMARY KEY, reference TEXT, channel TEXT, submitted_at TEXT, import_key TEXT, content_hash TEXT);
       CREATE TEMP TABLE IF NOT EXISTS import_staged_answers (seq INTEGER, item_id INTEGER, option_id INTEGER, number_value REAL, text_value TEXT);`,
    );
    const responses = (n: number) =>
      db.prepare(
        `INSERT INTO temp.import_staged_responses (seq, reference, channel, submitted_at, import_key, content_hash) VALUES ${Array(n).fill("(?, ?, ?, ?, ?, ?)").join(", ")}`,
      );
    const answers = (n: number) =>
      db.prepare(
        `INSERT INTO temp.import_staged_answers (seq, item_id, option_id, number_value, text_value) VALUES ${Array(n).fill("(?, ?, ?, ?, ?)").join(", ")}`,
      );
    this.insertResponses = responses(ROWS_PER_INSERT);
    this.insertAnswers = answers(ROWS_PER_INSERT);
    this.insertResponse = responses(1);
    this.insertAnswer = answers(1);
    this.lastId = db.prepare("SELECT coalesce(max(id), 0) FROM main.responses").pluck();
    // Ids are given here (the newest id plus the staged sequence), inside the write transaction, so
    // the answers can name their response without a look-up: what SQLite itself would have chosen.
    this.moveResponses = db.prepare(
      `INSERT INTO main.responses (id, consultation_id, status, reference, channel, started_at, updated_at, submitted_at, import_key, content_hash, import_batch)
       SELECT ? + seq, ?, 'draft', reference, channel, submitted_at, submitted_at, submitted_at, import_key, content_hash, ?
         FROM temp.import_staged_responses ORDER BY seq`,
    );
    this.moveAnswers = db.prepare(
      `INSERT INTO main.answers (response_id, item_id, option_id, number_value, text_value)
       SELECT ? + seq, item_id, option_id, number_value, text_value FROM temp.import_staged_answers ORDER BY rowid`,
    );
    this.clearResponses = db.prepare("DELETE FROM temp.import_staged_responses");
    this.renameStaged = db.prepare(
      "UPDATE temp.import_staged_responses SET reference = ? WHERE reference = ?",
    );
    this.renameMoved = db.prepare(
      "UPDATE main.responses SET reference = ? WHERE reference = ? AND import_batch = ?",
    );
    this.clearAnswers = db.prepare("DELETE FROM temp.import_staged_answers");
  }

  /** Responses staged and not yet moved. */
  get count(): number {
    return this.staged;
  }

  /** Write a chunk to the staging tables (no lock on the database file is taken). */
  add(chunk: StagedChunk): void {
    this.db.transaction(() => {
      const first = this.staged;
      const n = chunk.meta.length;
      const rp = this.responseParams;
      let k = 0;
      for (let r = 0; r < n; r++) {
        const m = chunk.meta[r];
        if (!m) continue;
        rp[k++] = first + r + 1;
        rp[k++] = m.reference;
        rp[k++] = m.channel;
        rp[k++] = m.submittedAt;
        rp[k++] = m.key;
        rp[k++] = m.contentHash;
        if (k === rp.length) {
          this.insertResponses.run(rp);
          k = 0;
        }
      }
      for (let i = 0; i < k; i += 6) this.insertResponse.run(rp.slice(i, i + 6));

      const ap = this.answerParams;
      const total = chunk.items.length;
      // Both maps are in answer order: walked beside the answers, not looked up for each one.
      const numbers = chunk.numbers.entries();
      const texts = chunk.texts.entries();
      let number = numbers.next();
      let text = texts.next();
      k = 0;
      let r = -1;
      let next = 0; // where response r + 1's answers start
      for (let i = 0; i < total; i++) {
        while (i >= next && r < n - 1) {
          r++;
          next = r + 1 < n ? (chunk.starts[r + 1] ?? total) : total;
        }
        const option = chunk.options[i] ?? -1;
        ap[k++] = first + r + 1;
        ap[k++] = chunk.items[i] ?? 0;
        ap[k++] = option < 0 ? null : option;
        if (!number.done && number.value[0] === i) {
          ap[k++] = number.value[1];
          number = numbers.next();
        } else ap[k++] = null;
        if (!text.done && text.value[0] === i) {
          ap[k++] = text.value[1];
          text = texts.next();
        } else ap[k++] = null;
        if (k === ap.length) {
          this.insertAnswers.run(ap);
          k = 0;
        }
      }
      for (let i = 0; i < k; i += 5) this.insertAnswer.run(ap.slice(i, i + 5));
      this.staged += n;
    })();
  }

  /**
   * Move everything staged into the batch's responses (as drafts) and answers in one write
   * transaction, and empty the staging tables. Returns how long the write lock was held, in ms.
   */
  move(consultationId: number, batchId: number): number {
    if (this.staged === 0) return 0;
    const started = performance.now();
    this.db
      .transaction(() => {
        const base = this.lastId.get() as number;
        this.moveResponses.run(base, consultationId, batchId);
        this.moveAnswers.run(base);
      })
      .immediate();
    const ms = performance.now() - started;
    this.clear();
    return ms;
  }

  /** Give the batch's response staged or moved under reference `from` the reference `to`. */
  rename(batchId: number, from: string, to: string): void {
    if (this.renameStaged.run(to, from).changes > 0) return;
    this.db.transaction(() => this.renameMoved.run(to, from, batchId)).immediate();
  }

  /** Forget whatever is staged (after a failure). */
  clear(): void {
    this.db.transaction(() => {
      this.clearResponses.run();
      this.clearAnswers.run();
    })();
    this.staged = 0;
  }
}
