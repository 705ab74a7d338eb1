import type { Db } from "./connection.js";

export interface StoredFile {
  id: number;
  consultationId: number;
  filename: string;
  bytes: Buffer;
}

/** Documents uploaded for a consultation (PDFs), kept in the database with it. */
export class ConsultationFileRepository {
  constructor(private readonly db: Db) {}

  add(consultationId: number, filename: string, bytes: Buffer, at: Date, by: string | null): number {
    return Number(
      this.db
        .prepare(
          "INSERT INTO consultation_files (consultation_id, filename, bytes, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?)",
        )
        .run(consultationId, filename, bytes, at.toISOString(), by).lastInsertRowid,
    );
  }

  find(consultationId: number, id: number): StoredFile | undefined {
    const row = this.db
      .prepare(
        "SELECT id, consultation_id, filename, bytes FROM consultation_files WHERE id = ? AND consultation_id = ?",
      )
      .get(id, consultationId) as
      | { id: number; consultation_id: number; filename: string; bytes: Buffer }
      | undefined;
    return (
      row && { id: row.id, consultationId: row.consultation_id, filename: row.filename, bytes: row.bytes }
    );
  }

  remove(id: number): void {
    this.db.prepare("DELETE FROM consultation_files WHERE id = ?").run(id);
  }
}
