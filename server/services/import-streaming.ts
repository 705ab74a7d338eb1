import type { ImportReferences } from "./import-references.js";
import type { ImportWriter } from "./import-writer.js";
import type { PendingResponses } from "./pending-responses.js";
import { TimeSlices } from "./time-slices.js";

/** The checked file as the stream sees it: good rows taken since the last drain, numbered from base. */
export interface Drainable {
  drain(): { pending: PendingResponses; base: number };
}

/**
 * One import batch written through the import writer while the rest of its file is still checked
 * (see ResponseImporter.startStreaming). Each batch of good rows is sent on as soon as it is taken
 * and let go here, in chunks the size the writer asks for (one write transaction each). The next
 * chunk goes only after a turn of this thread's loop: an answer post that found the database locked
 * by the writer has then had its turn, so the writer never holds it for longer than one
 * transaction against a request here.
 */
export class Streaming {
  /** Set once the batch is accepted whole: from then on it is published, never deleted. */
  publishing = false;
  /** Responses per chunk: what the writer last asked for. */
  private size: number;
  private readonly slice = new TimeSlices();
  private readonly renames: { from: string; to: string }[] = [];
  private closed = false;

  constructor(
    private readonly consultationId: number,
    readonly batch: number,
    readonly writer: ImportWriter,
    private readonly resumeCheckpoints: () => void,
    readonly references: ImportReferences,
    firstChunk: number,
  ) {
    this.size = firstChunk;
  }

  /**
   * A reference a newly checked row gives. True when it had been drawn for an earlier row of this
   * file: that row is renamed before anything else is sent, and the reference is not "stored before".
   */
  claim(reference: string): boolean {
    const claimed = this.references.claim(reference);
    if (claimed) this.renames.push(claimed);
    return claimed !== undefined;
  }

  /** Send the file's good rows taken so far to the writer. */
  async pour(file: Drainable): Promise<void> {
    for (const { from, to } of this.renames.splice(0))
      await this.writer.rename(this.consultationId, this.batch, from, to);
    const { pending, base } = file.drain();
    this.references.know(pending); // no reference these rows give is drawn for another
    for (let i = 0; i < pending.length; ) {
      const to = Math.min(pending.length, i + this.size);
      const chunk = pending.part(i, to, (at) => this.references.take(pending, at, base + at));
      i = to;
      if (chunk.meta.length > 0)
        this.size = (await this.writer.stage(this.consultationId, this.batch, chunk)).next;
      await this.slice.yield();
    }
  }

  /** Send the rest, and have the writer store all it holds (it then publishes the batch). */
  async finish(file: Drainable): Promise<void> {
    await this.pour(file);
    await this.writer.flush(this.consultationId, this.batch);
  }

  /** Stop the writer (what it stored stays) and let this connection checkpoint as before. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.writer.close();
    } finally {
      this.resumeCheckpoints();
    }
  }
}
