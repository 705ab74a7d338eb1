import type { AnswerRow, Channel } from "../../db/responses.js";

export interface PendingResponse {
  /** The reference given in the file, or "" for a new one. */
  reference: string;
  channel: Channel;
  submittedAt: string;
  key: string;
  contentHash: string;
  rows: AnswerRow[];
}

/**
 * Checked responses waiting to be stored, held compactly: a large import has millions of answer
 * rows, and an object per answer would cost several times the memory of these typed arrays.
 */
export class PendingResponses {
  private readonly meta: {
    reference: string;
    channel: Channel;
    submittedAt: string;
    key: string;
    contentHash: string;
  }[] = [];
  private readonly starts: number[] = [];
  private items = new Int32Array(4096);
  private options = new Int32Array(4096);
  private readonly numbers = new Map<number, number>();
  private readonly texts = new Map<number, string>();
  private size = 0;

  get length(): number {
    return this.meta.length;
  }

  add(
    reference: string,
    channel: Channel,
    submittedAt: string,
    key: string,
    contentHash: string,
    rows: AnswerRow[],
  ): void {
    this.meta.push({ reference, channel, submittedAt, key, contentHash });
    this.starts.push(this.size);
    if (this.size + rows.length > this.items.length) {
      const capacity = Math.max(this.items.length * 2, this.size + rows.length);
      const grow = (a: Int32Array) => {
        const b = new Int32Array(capacity);
        b.set(a);
        return b;
      };
      this.items = grow(this.items);
      this.options = grow(this.options);
    }
    for (const r of rows) {
      const i = this.size++;
      this.items[i] = r.itemId;
      this.options[i] = r.optionId ?? -1;
      if (r.number !== null) this.numbers.set(i, r.number);
      if (r.text !== null) this.texts.set(i, r.text);
    }
  }

  /** The reference given in the file for a response ("" for none). */
  reference(index: number): string {
    return this.meta[index]?.reference ?? "";
  }

  get(index: number): PendingResponse {
    const meta = this.meta[index];
    if (!meta) throw new RangeError(`No pending response ${index}`);
    const end = this.starts[index + 1] ?? this.size;
    const rows: AnswerRow[] = [];
    for (let i = this.starts[index] ?? end; i < end; i++) {
      const option = this.options[i] ?? -1;
      rows.push({
        itemId: this.items[i] ?? 0,
        optionId: option < 0 ? null : option,
        number: this.numbers.get(i) ?? null,
        text: this.texts.get(i) ?? null,
      });
    }
    return { ...meta, rows };
  }
}
