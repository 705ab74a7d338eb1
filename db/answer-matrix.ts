import type { Catalog } from "./consultations.js";

/**
 * One consultation's submitted answers held in memory as columns: for every item, each
 * respondent's option in a typed array (one byte per respondent for most questions), a tick array
 * per option of a multiple choice, a flag for a free-text answer, a number. Respondents are slots
 * 0..size-1. Counting an item for a group of respondents is then one pass over a few hundred
 * kilobytes instead of an index range scan per item and filter in SQLite: this is what lets the
 * dashboard at 500,000 responses answer in well under a second (tests/bench/results-queries.ts).
 *
 * Pure data: db/results.ts fills it from the answers table and keeps it up to date from the
 * response_events log. Answer rows that do not fit the catalog (an option of another question, a
 * second answer to a single-answer item) are counted in `unexpected` and otherwise ignored.
 */
export interface ResponseFilter {
  /** The item (a question's single item) whose answer selects respondents. */
  itemId: number;
  /** Respondents who chose any of these options are kept. */
  optionIds: number[];
}

/** A group of respondents: a flag per slot (null: every live respondent) and how many it holds. */
export interface Selection {
  mask: Uint8Array | null;
  count: number;
}

/** One answer row as the matrix takes it. */
export interface AnswerRow {
  itemId: number;
  optionId: number | null;
  number: number | null;
  hasText: boolean;
}

export type Transition = { before: number | null; after: number | null; n: number };

type Codes = Uint8Array | Uint16Array;

interface ItemColumns {
  /** Option ids in catalog order; a respondent's code is 1 + the index here (0: no answer). */
  options: number[];
  optionIndex: Map<number, number>;
  /** Single-answer items (single choice, Likert, grid and paired statements). */
  codes: Codes | null;
  /** Multiple choice: a tick array per option, and whether the respondent ticked anything. */
  ticks: Uint8Array[] | null;
  any: Uint8Array | null;
  text: Uint8Array | null;
  numbers: Float64Array | null;
}

const INITIAL_CAPACITY = 64;

function grown<T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(a: T, capacity: number): T {
  const next = new (a.constructor as new (n: number) => T)(capacity);
  next.set(a);
  if (next instanceof Float64Array) next.fill(Number.NaN, a.length);
  return next;
}

export class AnswerMatrix {
  /** Slots used (including removed respondents, whose `live` flag is 0). */
  size = 0;
  private capacity: number;
  /** Response id of each slot. */
  private ids: Int32Array;
  private live: Uint8Array;
  private removed = 0;
  /** Day submitted (index into `days`) and channel (index into `channels`) of each slot. */
  private day: Uint16Array;
  private channel: Uint8Array;
  private readonly days: string[] = [];
  private readonly dayIndex = new Map<string, number>();
  private readonly channels: string[] = [];
  private readonly channelIndex = new Map<string, number>();
  /** Response id -> slot + 1, for ids from `base` (0: not here). */
  private slotOf = new Int32Array(0);
  private base = 0;
  private readonly items = new Map<number, ItemColumns>();
  /** Slots by response id, newest first, when appends did not arrive in id order. */
  private newestFirst: Int32Array | null = null;
  private inIdOrder = true;
  private selections = new Map<string, Selection>();
  /** countTextByOption's answers, memoised like selections until a respondent or answer comes. */
  private textTallies = new Map<string, Map<number, number>>();
  unexpected = 0;

  constructor(
    readonly catalog: Catalog,
    capacity = INITIAL_CAPACITY,
  ) {
    this.capacity = Math.max(1, capacity);
    this.ids = new Int32Array(this.capacity);
    this.live = new Uint8Array(this.capacity);
    this.day = new Uint16Array(this.capacity);
    this.channel = new Uint8Array(this.capacity);
    for (const q of catalog.questions.values()) {
      const options = [...q.options.values()];
      for (const itemId of q.items.values()) {
        const wide = options.length > 254;
        const closed = options.length > 0 && q.kind !== "text" && q.kind !== "number";
        this.items.set(itemId, {
          options,
          optionIndex: new Map(options.map((id, k) => [id, k])),
          codes:
            closed && q.kind !== "multiple"
              ? wide
                ? new Uint16Array(this.capacity)
                : new Uint8Array(this.capacity)
              : null,
          ticks: closed && q.kind === "multiple" ? options.map(() => new Uint8Array(this.capacity)) : null,
          any: closed && q.kind === "multiple" ? new Uint8Array(this.capacity) : null,
          text: q.kind === "text" || q.otherCode !== null ? new Uint8Array(this.capacity) : null,
          numbers: q.kind === "number" ? new Float64Array(this.capacity).fill(Number.NaN) : null,
        });
      }
    }
  }

  /** What to read to fill each item: its options, and whether it takes texts or numbers. */
  plan(): { itemId: number; options: number[]; text: boolean; numbers: boolean }[] {
    return [...this.items].map(([itemId, c]) => ({
      itemId,
      options: c.codes || c.ticks ? c.options : [],
      text: c.text !== null,
      numbers: c.numbers !== null,
    }));
  }

  /** Whether a live respondent with this response id is held. */
  has(responseId: number): boolean {
    const slot = this.slot(responseId);
    return slot >= 0 && this.live[slot] === 1;
  }

  /** Live respondents. */
  get respondents(): number {
    return this.size - this.removed;
  }

  private slot(responseId: number): number {
    const k = responseId - this.base;
    return k >= 0 && k < this.slotOf.length ? (this.slotOf[k] ?? 0) - 1 : -1;
  }

  private index(responseId: number, slot: number): void {
    if (this.size === 1) {
      this.base = responseId;
      this.slotOf = new Int32Array(INITIAL_CAPACITY);
    }
    if (responseId < this.base) {
      // Rare (a response older than every one loaded): shift the index down.
      const shift = this.base - responseId;
      const next = new Int32Array(this.slotOf.length + shift);
      next.set(this.slotOf, shift);
      this.slotOf = next;
      this.base = responseId;
    }
    const k = responseId - this.base;
    if (k >= this.slotOf.length) this.slotOf = grown(this.slotOf, Math.max(k + 1, this.slotOf.length * 2));
    this.slotOf[k] = slot + 1;
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.capacity) return;
    let capacity = this.capacity;
    while (capacity < needed) capacity *= 2;
    this.ids = grown(this.ids, capacity);
    this.live = grown(this.live, capacity);
    this.day = grown(this.day, capacity);
    this.channel = grown(this.channel, capacity);
    for (const item of this.items.values()) {
      if (item.codes) item.codes = grown(item.codes, capacity);
      if (item.ticks) item.ticks = item.ticks.map((t) => grown(t, capacity));
      if (item.any) item.any = grown(item.any, capacity);
      if (item.text) item.text = grown(item.text, capacity);
      if (item.numbers) item.numbers = grown(item.numbers, capacity);
    }
    this.capacity = capacity;
  }

  private changed(): void {
    // Called for every respondent and answer added: clear only what is there.
    if (this.selections.size > 0) this.selections.clear();
    if (this.textTallies.size > 0) this.textTallies.clear();
    this.newestFirst = null;
  }

  /**
   * Add a submitted respondent (without answers yet); returns its slot, or -1 if already held.
   * A response id held as removed gets a new slot (SQLite gives the id of a deleted newest row to
   * the next one inserted); the old slot stays out of every count.
   */
  addRespondent(responseId: number, submittedDay: string, channel: string): number {
    if (this.has(responseId)) return -1;
    this.ensureCapacity(this.size + 1);
    const slot = this.size++;
    if (slot > 0 && responseId < (this.ids[slot - 1] ?? 0)) this.inIdOrder = false;
    this.ids[slot] = responseId;
    this.live[slot] = 1;
    let d = this.dayIndex.get(submittedDay);
    if (d === undefined) {
      d = this.days.push(submittedDay) - 1;
      this.dayIndex.set(submittedDay, d);
    }
    let c = this.channelIndex.get(channel);
    if (c === undefined) {
      c = this.channels.push(channel) - 1;
      this.channelIndex.set(channel, c);
    }
    this.day[slot] = d;
    this.channel[slot] = c;
    this.index(responseId, slot);
    this.changed();
    return slot;
  }

  /** Record one answer row of a held respondent. */
  addAnswer(responseId: number, row: AnswerRow): void {
    const slot = this.slot(responseId);
    const item = this.items.get(row.itemId);
    if (slot < 0 || !item) {
      this.unexpected++;
      return;
    }
    if (row.optionId !== null) this.setOption(item, slot, row.optionId);
    if (row.hasText && item.text) item.text[slot] = 1;
    if (row.number !== null && item.numbers) item.numbers[slot] = row.number;
    this.changed();
  }

  private setOption(item: ItemColumns, slot: number, optionId: number): void {
    const k = item.optionIndex.get(optionId);
    if (k === undefined) {
      this.unexpected++;
      return;
    }
    if (item.codes) {
      if (item.codes[slot] !== 0) this.unexpected++;
      item.codes[slot] = k + 1;
    } else if (item.ticks && item.any) {
      const t = item.ticks[k];
      if (t) t[slot] = 1;
      item.any[slot] = 1;
    } else this.unexpected++;
  }

  /**
   * Bulk load: mark every respondent in `responseIds` (a list as SQLite's group_concat writes it)
   * as having given `optionId` to an item, or a text when `optionId` is null.
   */
  addIdList(itemId: number, optionId: number | null, responseIds: string | null): void {
    const item = this.items.get(itemId);
    if (!item || responseIds === null || responseIds === "") return;
    const k = optionId === null ? -1 : item.optionIndex.get(optionId);
    const target =
      optionId === null
        ? item.text
        : k === undefined
          ? null
          : item.codes
            ? item.codes
            : (item.ticks?.[k] ?? null);
    const any = optionId === null ? null : item.any;
    const value = item.codes && k !== undefined && k >= 0 ? k + 1 : 1;
    let id = 0;
    const end = responseIds.length;
    for (let i = 0; i <= end; i++) {
      const c = i < end ? responseIds.charCodeAt(i) : 44;
      if (c !== 44) {
        id = id * 10 + (c - 48);
        continue;
      }
      const slot = this.slot(id);
      id = 0;
      if (slot < 0 || target === null) {
        this.unexpected++;
        continue;
      }
      if (item.codes && target === item.codes && item.codes[slot] !== 0) this.unexpected++;
      target[slot] = value;
      if (any) any[slot] = 1;
    }
    this.changed();
  }

  /** A respondent whose response was deleted: kept in its slot, left out of every count. */
  remove(responseId: number): void {
    const slot = this.slot(responseId);
    if (slot < 0 || this.live[slot] === 0) return;
    this.live[slot] = 0;
    this.removed++;
    this.changed();
  }

  /** The respondents who gave one of each filter's options (all filters at once), memoised. */
  select(filters: readonly ResponseFilter[]): Selection {
    if (filters.length === 0 && this.removed === 0) return { mask: null, count: this.size };
    const key = JSON.stringify(filters);
    const known = this.selections.get(key);
    if (known) return known;
    const n = this.size;
    const mask = this.live.slice(0, n);
    for (const f of filters) {
      const item = this.items.get(f.itemId);
      const wanted = new Uint8Array((item?.options.length ?? 0) + 1);
      for (const optionId of f.optionIds) {
        const k = item?.optionIndex.get(optionId);
        if (k !== undefined) wanted[k + 1] = 1;
      }
      if (item?.codes) {
        const codes = item.codes;
        for (let i = 0; i < n; i++) mask[i] = (mask[i] ?? 0) & (wanted[codes[i] ?? 0] ?? 0);
      } else if (item?.ticks) {
        const chosen = item.ticks.filter((_, k) => wanted[k + 1] === 1);
        for (let i = 0; i < n; i++) {
          if (mask[i] === 0) continue;
          let hit = 0;
          for (const t of chosen) hit |= t[i] ?? 0;
          mask[i] = hit;
        }
      } else mask.fill(0);
    }
    let count = 0;
    for (let i = 0; i < n; i++) count += mask[i] ?? 0;
    const selection = { mask, count };
    if (this.selections.size > 64) this.selections.clear();
    this.selections.set(key, selection);
    return selection;
  }

  /** Whether a selection holds the (live) respondent with this response id. */
  includes(sel: Selection, responseId: number): boolean {
    const slot = this.slot(responseId);
    return slot >= 0 && this.live[slot] === 1 && (sel.mask === null || sel.mask[slot] === 1);
  }

  /** Answers per option of one item among the selected respondents (options answered by nobody left out). */
  optionCounts(itemId: number, sel: Selection): Map<number, number> {
    const item = this.items.get(itemId);
    const out = new Map<number, number>();
    if (!item) return out;
    const n = this.size;
    const mask = sel.mask;
    if (item.codes) {
      const counts = new Int32Array(item.options.length + 1);
      const codes = item.codes;
      if (mask)
        for (let i = 0; i < n; i++) {
          const k = codes[i] as number;
          counts[k] = (counts[k] as number) + (mask[i] as number);
        }
      else
        for (let i = 0; i < n; i++) {
          const k = codes[i] as number;
          counts[k] = (counts[k] as number) + 1;
        }
      item.options.forEach((id, k) => {
        const c = counts[k + 1] ?? 0;
        if (c > 0) out.set(id, c);
      });
    } else if (item.ticks) {
      item.options.forEach((id, k) => {
        const c = countFlags(item.ticks?.[k], mask, n);
        if (c > 0) out.set(id, c);
      });
    }
    return out;
  }

  /**
   * For each option of a closed item, how many of these respondents (live ones, given by response
   * id, each once) gave it, in one pass over them: the theme x group table counts each theme's
   * tagged respondents by the grouping question's answer this way, instead of testing every
   * tagged respondent against one group per column.
   */
  countByOption(itemId: number, responseIds: ArrayLike<number>): Map<number, number> {
    const n = responseIds.length;
    return this.tally(itemId, n, (j) => {
      const slot = this.slot(responseIds[j] as number);
      return slot >= 0 && this.live[slot] === 1 ? slot : -1;
    });
  }

  /**
   * For each option of a closed item, how many live respondents who wrote a text to `textItemId`
   * gave it, in one pass: the bases of the theme x group table's columns.
   */
  countTextByOption(itemId: number, textItemId: number): Map<number, number> {
    const key = `${itemId}:${textItemId}`;
    const known = this.textTallies.get(key);
    if (known) return known;
    const item = this.items.get(itemId);
    const text = this.items.get(textItemId)?.text;
    const out = new Map<number, number>();
    if (!item) return out;
    if (this.textTallies.size > 64) this.textTallies.clear();
    this.textTallies.set(key, out);
    const n = this.size;
    const live = this.live;
    // Plain loops over the columns (no call per respondent): this runs on every split dashboard.
    if (item.codes) {
      const counts = new Int32Array(item.options.length + 1);
      const codes = item.codes;
      if (text)
        for (let i = 0; i < n; i++)
          if (live[i] === 1 && text[i] === 1)
            counts[codes[i] as number] = (counts[codes[i] as number] as number) + 1;
      item.options.forEach((id, k) => {
        out.set(id, counts[k + 1] ?? 0);
      });
    } else if (item.ticks)
      item.options.forEach((id, k) => {
        const ticks = item.ticks?.[k];
        let c = 0;
        if (text && ticks)
          for (let i = 0; i < n; i++) c += (live[i] as number) & (text[i] as number) & (ticks[i] as number);
        out.set(id, c);
      });
    return out;
  }

  /** How many of the selected respondents wrote a text for an item (textPage's total, without a page). */
  textCount(itemId: number, sel: Selection): number {
    const text = this.items.get(itemId)?.text;
    if (!text) return 0;
    const n = this.size;
    const mask = sel.mask;
    const live = this.live;
    let c = 0;
    if (mask) for (let i = 0; i < n; i++) c += (text[i] as number) & (mask[i] as number);
    else for (let i = 0; i < n; i++) c += (text[i] as number) & (live[i] as number);
    return c;
  }

  /** Per option of a closed item, the respondents at the slots `slotAt(0..n-1)` gives (-1: none). */
  private tally(itemId: number, n: number, slotAt: (j: number) => number): Map<number, number> {
    const item = this.items.get(itemId);
    const out = new Map<number, number>();
    if (!item || (!item.codes && !item.ticks)) return out;
    const counts = new Int32Array(item.options.length + 1);
    const codes = item.codes;
    const ticks = item.ticks;
    for (let j = 0; j < n; j++) {
      const slot = slotAt(j);
      if (slot < 0) continue;
      if (codes) {
        const k = codes[slot] as number;
        counts[k] = (counts[k] as number) + 1;
      } else if (ticks)
        for (let k = 0; k < ticks.length; k++)
          if ((ticks[k] as Uint8Array)[slot] === 1) counts[k + 1] = (counts[k + 1] as number) + 1;
    }
    item.options.forEach((id, k) => {
      out.set(id, counts[k + 1] ?? 0);
    });
    return out;
  }

  /** Selected respondents who ticked at least one option of a multiple choice (or answered the item). */
  respondentsAnswering(itemId: number, sel: Selection): number {
    const item = this.items.get(itemId);
    if (!item) return 0;
    if (item.any) return countFlags(item.any, sel.mask, this.size);
    if (item.codes) {
      const codes = item.codes;
      const mask = sel.mask;
      let c = 0;
      for (let i = 0; i < this.size; i++) if (codes[i] !== 0 && (mask === null || mask[i] === 1)) c++;
      return c;
    }
    return 0;
  }

  /**
   * Before -> after counts for one statement among the selected respondents: a row per (before
   * option, after option) given, with null where that respondent left one half blank. For each
   * before option by id: its row with no after answer, then its rows by after option id; the rows
   * with no before answer come last.
   */
  pairedTransitions(beforeItemId: number, afterItemId: number, sel: Selection): Transition[] {
    const b = this.items.get(beforeItemId);
    const a = this.items.get(afterItemId);
    if (!b?.codes || !a?.codes) return [];
    const width = a.options.length + 1;
    const cells = new Int32Array((b.options.length + 1) * width);
    const bc = b.codes;
    const ac = a.codes;
    const mask = sel.mask;
    for (let i = 0; i < this.size; i++) {
      if (mask !== null && mask[i] === 0) continue;
      const x = bc[i] ?? 0;
      const y = ac[i] ?? 0;
      if (x !== 0 || y !== 0) cells[x * width + y] = (cells[x * width + y] as number) + 1;
    }
    const byId = (options: number[]) =>
      options.map((id, k) => ({ id, k: k + 1 })).sort((p, q) => p.id - q.id);
    const after = byId(a.options);
    const rows: Transition[] = [];
    for (const x of byId(b.options)) {
      const blank = cells[x.k * width] ?? 0;
      if (blank > 0) rows.push({ before: x.id, after: null, n: blank });
      for (const y of after) {
        const n = cells[x.k * width + y.k] ?? 0;
        if (n > 0) rows.push({ before: x.id, after: y.id, n });
      }
    }
    for (const y of after) {
      const n = cells[y.k] ?? 0;
      if (n > 0) rows.push({ before: null, after: y.id, n });
    }
    return rows;
  }

  /** How many numbers the selected respondents gave to an item, and their mean. */
  numberSummary(itemId: number, sel: Selection): { count: number; mean: number | null } {
    const numbers = this.items.get(itemId)?.numbers;
    if (!numbers) return { count: 0, mean: null };
    let count = 0;
    let sum = 0;
    for (let i = 0; i < this.size; i++) {
      const v = numbers[i] ?? Number.NaN;
      if (Number.isNaN(v) || (sel.mask !== null && sel.mask[i] === 0)) continue;
      count++;
      sum += v;
    }
    return { count, mean: count > 0 ? sum / count : null };
  }

  /**
   * The selected respondents who wrote a text for an item: how many, and the response ids of a
   * page of them, newest (highest response id) first.
   */
  textPage(
    itemId: number,
    sel: Selection,
    page: { limit: number; offset: number },
  ): { total: number; responseIds: number[] } {
    const text = this.items.get(itemId)?.text;
    if (!text) return { total: 0, responseIds: [] };
    const mask = sel.mask;
    const order = this.inIdOrder ? null : this.byIdNewestFirst();
    const responseIds: number[] = [];
    let total = 0;
    for (let j = 0; j < this.size; j++) {
      const i = order ? (order[j] ?? 0) : this.size - 1 - j;
      if (text[i] === 0 || (mask !== null && mask[i] === 0)) continue;
      if (total >= page.offset && responseIds.length < page.limit) responseIds.push(this.ids[i] ?? 0);
      total++;
    }
    return { total, responseIds };
  }

  private byIdNewestFirst(): Int32Array {
    if (!this.newestFirst) {
      const ids = this.ids;
      const order = Int32Array.from({ length: this.size }, (_, i) => i);
      order.sort((p, q) => (ids[q] ?? 0) - (ids[p] ?? 0));
      this.newestFirst = order;
    }
    return this.newestFirst;
  }

  /** Live respondents (of `selection`, by default all) by day submitted and channel, by day then channel. */
  byDay(
    selection: Selection = { mask: null, count: this.size },
  ): { day: string; channel: string; n: number }[] {
    const mask = selection.mask;
    const width = Math.max(1, this.channels.length);
    const cells = new Int32Array(this.days.length * width);
    for (let i = 0; i < this.size; i++) {
      if (this.live[i] !== 1 || (mask !== null && mask[i] !== 1)) continue;
      const k = (this.day[i] as number) * width + (this.channel[i] as number);
      cells[k] = (cells[k] as number) + 1;
    }
    const out: { day: string; channel: string; n: number }[] = [];
    const days = this.days.map((day, d) => ({ day, d })).sort((p, q) => (p.day < q.day ? -1 : 1));
    const channels = this.channels
      .map((channel, c) => ({ channel, c }))
      .sort((p, q) => (p.channel < q.channel ? -1 : 1));
    for (const { day, d } of days)
      for (const { channel, c } of channels) {
        const n = cells[d * width + c] ?? 0;
        if (n > 0) out.push({ day, channel, n });
      }
    return out;
  }
}

function countFlags(flags: Uint8Array | undefined, mask: Uint8Array | null, n: number): number {
  if (!flags) return 0;
  let c = 0;
  if (mask) for (let i = 0; i < n; i++) c += (flags[i] ?? 0) & (mask[i] ?? 0);
  else for (let i = 0; i < n; i++) c += flags[i] ?? 0;
  return c;
}
