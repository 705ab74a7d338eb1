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

type Meta = Omit<PendingResponse, "rows">;

/**
 * A PendingResponses as plain data, to be posted between threads: the row checker in the CSV
 * worker sends each batch of checked rows this way (typed arrays and maps, not an object per answer).
 */
export interface PendingData {
  meta: Meta[];
  /** Where each response's answers start in items and options. */
  starts: number[];
  items: Int32Array;
  options: Int32Array;
  numbers: Map<number, number>;
  texts: Map<number, string>;
}

/**
 * Checked responses waiting to be stored, held compactly: a large import has millions of answer
 * rows, and an object per answer would cost several times the memory of these typed arrays.
 */
export class PendingResponses {
  private readonly meta: Meta[] = [];
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
    this.reserve(rows.length);
    for (const r of rows) {
      const i = this.size++;
      this.items[i] = r.itemId;
      this.options[i] = r.optionId ?? -1;
      if (r.number !== null) this.numbers.set(i, r.number);
      if (r.text !== null) this.texts.set(i, r.text);
    }
  }

  private reserve(more: number): void {
    if (this.size + more <= this.items.length) return;
    const capacity = Math.max(this.items.length * 2, this.size + more);
    const grow = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.items = grow(this.items);
    this.options = grow(this.options);
  }

  /** These responses as plain data (their own copy), for postMessage. */
  toData(): PendingData {
    return {
      meta: this.meta.slice(),
      starts: this.starts.slice(),
      items: this.items.slice(0, this.size),
      options: this.options.slice(0, this.size),
      numbers: new Map(this.numbers),
      texts: new Map(this.texts),
    };
  }

  /**
   * Responses `from` to `to` (excluded) as plain data for the import writer, each under the
   * reference `reference(i)` gives it, or left out where that is undefined. No object per answer is
   * made: the answers are copied as ranges of the typed arrays. `reference` is called once per
   * response, in order.
   */
  part(from: number, to: number, reference: (index: number) => string | undefined): PendingData {
    const meta: Meta[] = [];
    const starts: number[] = [];
    const end = (r: number) => this.starts[r + 1] ?? this.size;
    const given: (string | undefined)[] = [];
    let count = 0;
    for (let r = from; r < to; r++) {
      const ref = this.meta[r] ? reference(r) : undefined;
      given.push(ref);
      if (ref !== undefined) count += end(r) - (this.starts[r] ?? 0);
    }
    const items = new Int32Array(count);
    const options = new Int32Array(count);
    const numbers = new Map<number, number>();
    const texts = new Map<number, string>();
    let at = 0;
    for (let r = from; r < to; r++) {
      const m = this.meta[r];
      const ref = given[r - from];
      if (!m || ref === undefined) continue;
      const a = this.starts[r] ?? 0;
      const b = end(r);
      meta.push(ref === m.reference ? m : { ...m, reference: ref });
      starts.push(at);
      items.set(this.items.subarray(a, b), at);
      options.set(this.options.subarray(a, b), at);
      for (let i = a; i < b; i++) {
        const n = this.numbers.get(i);
        if (n !== undefined) numbers.set(at + i - a, n);
        const t = this.texts.get(i);
        if (t !== undefined) texts.set(at + i - a, t);
      }
      at += b - a;
    }
    return { meta, starts, items, options, numbers, texts };
  }

  /** Add the responses of `data` (made by toData) for which `keep` says yes, in their order. */
  append(data: PendingData, keep: (index: number) => boolean = () => true): void {
    const n = data.meta.length;
    const end = (r: number) => data.starts[r + 1] ?? data.items.length;
    /** Where each kept response's answers now start (-1: not kept). */
    const moved = new Int32Array(n).fill(-1);
    for (let r = 0; r < n; r++) {
      const meta = data.meta[r];
      if (!meta || !keep(r)) continue;
      const from = data.starts[r] ?? 0;
      const to = end(r);
      this.meta.push(meta);
      this.starts.push(this.size);
      this.reserve(to - from);
      this.items.set(data.items.subarray(from, to), this.size);
      this.options.set(data.options.subarray(from, to), this.size);
      moved[r] = this.size;
      this.size += to - from;
    }
    // The few answers with a number or a text, walked once (both maps are in answer order).
    const carry = <T>(source: Map<number, T>, target: Map<number, T>) => {
      let r = 0;
      for (const [i, value] of source) {
        while (r < n - 1 && end(r) <= i) r++;
        const at = moved[r] ?? -1;
        if (at >= 0) target.set(at + i - (data.starts[r] ?? 0), value);
      }
    };
    carry(data.numbers, this.numbers);
    carry(data.texts, this.texts);
  }

  /** The reference given in the file for a response ("" for none). */
  reference(index: number): string {
    return this.meta[index]?.reference ?? "";
  }

  /** The import key of a response (its reference, or the file's hash and its line, hashed). */
  key(index: number): string {
    return this.meta[index]?.key ?? "";
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
