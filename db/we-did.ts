import type { Statement } from "better-sqlite3";
import type { WeDidEntry } from "../analysis/report/types.js";
import type { Db } from "./connection.js";

export type { WeDidEntry };

/** What an officer writes for one entry. */
export interface WeDidFields {
  weAsked: string;
  youSaid: string;
  weDid: string;
}

/** Longest texts the table accepts (its CHECK constraints say the same). */
export const WE_DID_LIMITS = { weAsked: 500, youSaid: 5000, weDid: 5000 } as const;

interface RawEntry {
  id: number;
  position: number;
  we_asked: string;
  you_said: string;
  we_did: string;
  updated_at: string;
  published_at: string | null;
}

const toEntry = (raw: RawEntry): WeDidEntry => ({
  id: raw.id,
  position: raw.position,
  weAsked: raw.we_asked,
  youSaid: raw.you_said,
  weDid: raw.we_did,
  updatedAt: raw.updated_at,
  publishedAt: raw.published_at,
});

const COLUMNS = "id, position, we_asked, you_said, we_did, updated_at, published_at";

/**
 * "We asked, you said, we did" entries of each consultation, in order. Every statement is scoped
 * by consultation, so an entry id from one consultation's form can never touch another's.
 */
export class WeDidRepository {
  private readonly all: Statement<[number], RawEntry>;
  private readonly one: Statement<[number, number], RawEntry>;
  private readonly countOf: Statement<[number], { n: number }>;
  private readonly insertOne: Statement<[number, number, string, string, string, string, string]>;
  private readonly updateOne: Statement<[string, string, string, string, number, number]>;
  private readonly deleteOne: Statement<[number, number]>;
  private readonly setPosition: Statement<[number, number, number]>;
  private readonly setPublished: Statement<[string | null, number, number]>;

  constructor(private readonly db: Db) {
    this.all = db.prepare(
      `SELECT ${COLUMNS} FROM we_did_entries WHERE consultation_id = ? ORDER BY position, id`,
    );
    this.one = db.prepare(`SELECT ${COLUMNS} FROM we_did_entries WHERE consultation_id = ? AND id = ?`);
    this.countOf = db.prepare("SELECT count(*) AS n FROM we_did_entries WHERE consultation_id = ?");
    this.insertOne = db.prepare(
      `INSERT INTO we_did_entries (consultation_id, position, we_asked, you_said, we_did, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateOne = db.prepare(
      `UPDATE we_did_entries SET we_asked = ?, you_said = ?, we_did = ?, updated_at = ?
       WHERE consultation_id = ? AND id = ?`,
    );
    this.deleteOne = db.prepare("DELETE FROM we_did_entries WHERE consultation_id = ? AND id = ?");
    this.setPosition = db.prepare(
      "UPDATE we_did_entries SET position = ? WHERE consultation_id = ? AND id = ?",
    );
    this.setPublished = db.prepare(
      "UPDATE we_did_entries SET published_at = ? WHERE consultation_id = ? AND id = ?",
    );
  }

  /** Publish an entry (as of `at`) or, with null, take it back to a draft; false when there is no such entry. */
  publish(consultationId: number, id: number, at: Date | null): boolean {
    return this.setPublished.run(at ? at.toISOString() : null, consultationId, id).changes === 1;
  }

  list(consultationId: number): WeDidEntry[] {
    return this.all.all(consultationId).map(toEntry);
  }

  find(consultationId: number, id: number): WeDidEntry | undefined {
    const raw = this.one.get(consultationId, id);
    return raw ? toEntry(raw) : undefined;
  }

  count(consultationId: number): number {
    return this.countOf.get(consultationId)?.n ?? 0;
  }

  /** Adds an entry at the end. */
  add(consultationId: number, fields: WeDidFields, now: Date): WeDidEntry {
    return this.db.transaction(() => {
      const last = this.list(consultationId).at(-1);
      const stamp = now.toISOString();
      const id = Number(
        this.insertOne.run(
          consultationId,
          (last?.position ?? 0) + 1,
          fields.weAsked,
          fields.youSaid,
          fields.weDid,
          stamp,
          stamp,
        ).lastInsertRowid,
      );
      return this.find(consultationId, id) as WeDidEntry;
    })();
  }

  /** False when the consultation has no such entry. */
  update(consultationId: number, id: number, fields: WeDidFields, now: Date): boolean {
    return (
      this.updateOne.run(fields.weAsked, fields.youSaid, fields.weDid, now.toISOString(), consultationId, id)
        .changes === 1
    );
  }

  remove(consultationId: number, id: number): boolean {
    return this.deleteOne.run(consultationId, id).changes === 1;
  }

  /** Swaps an entry with its neighbour; false when there is no such entry or it is already at that end. */
  move(consultationId: number, id: number, direction: "up" | "down"): boolean {
    return this.db.transaction(() => {
      const entries = this.list(consultationId);
      const index = entries.findIndex((e) => e.id === id);
      const other = entries[direction === "up" ? index - 1 : index + 1];
      const entry = entries[index];
      if (index < 0 || !entry || !other) return false;
      // Renumber all, so positions stay distinct even if two rows ever shared one.
      entries.forEach((e, i) => {
        this.setPosition.run(i + 1, consultationId, e.id);
      });
      const a = entries.indexOf(entry) + 1;
      const b = entries.indexOf(other) + 1;
      this.setPosition.run(b, consultationId, entry.id);
      this.setPosition.run(a, consultationId, other.id);
      return true;
    })();
  }
}
