import type { ConsultationFileRepository, StoredFile } from "../../db/consultation-files.js";

/** Largest document an officer may upload: a long strategy with pictures is a few MB. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/** Uploaded documents: only PDFs (checked by their first bytes, not their name), kept with the consultation. */
export class ConsultationFileService {
  constructor(
    private readonly repo: ConsultationFileRepository,
    private readonly clock: () => Date,
  ) {}

  isPdf(bytes: Buffer): boolean {
    return bytes.subarray(0, 5).toString("latin1") === "%PDF-";
  }

  add(consultationId: number, filename: string, bytes: Buffer, by: string | null): number {
    return this.repo.add(consultationId, filename, bytes, this.clock(), by);
  }

  find(consultationId: number, id: number): StoredFile | undefined {
    return this.repo.find(consultationId, id);
  }

  remove(id: number): void {
    this.repo.remove(id);
  }
}
