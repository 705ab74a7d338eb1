import type { Writable } from "node:stream";
import Papa from "papaparse";
import { allQuestions, optionsOf } from "../../analysis/definition.js";
import type { Catalog, ConsultationRow } from "../../db/consultations.js";
import {
  type ExportRow,
  ITEM_FACTOR,
  type ResponseTransferRepository,
  type ValueRow,
} from "../../db/response-transfer.js";
import { BOM, neutralise } from "./csv.js";
import { responseColumns } from "./response-columns.js";
import { TimeSlices } from "./time-slices.js";

export interface ResponseExportOptions {
  /** Option labels in choice cells instead of option codes. */
  labels?: boolean;
  /**
   * Responses per page read from the database and per chunk of CSV written. When not given, the
   * page size adapts so that reading and writing one page takes about PAGE_MS.
   */
  pageSize?: number;
}

type Cell = string | number;

/** An option of a multiple-choice question: its 0/1 column, its position and its label. */
interface Tick {
  col: number;
  position: number;
  label: string;
}

interface MultipleTarget {
  tickCols: number[];
  labelsCol: number;
}

/** What an option answer does: fill a cell with a value (already CSV-encoded), or tick a box. */
interface OptionAction {
  col: number;
  value: string;
  multi: number;
  tick: Tick | null;
}

/**
 * Option actions by item id and option id, in arrays offset by the smallest id: the ids a
 * consultation's definition was projected into are consecutive, so the arrays are small and dense,
 * and a lookup per answer (17 million at the benchmark's size) is two array reads.
 */
class ActionTable {
  private readonly rows: (OptionAction | undefined)[][] = [];
  private itemBase = Number.POSITIVE_INFINITY;
  private optionBase = Number.POSITIVE_INFINITY;
  private readonly pending: [number, number, OptionAction][] = [];

  add(itemId: number, optionId: number, action: OptionAction): void {
    this.pending.push([itemId, optionId, action]);
    this.itemBase = Math.min(this.itemBase, itemId);
    this.optionBase = Math.min(this.optionBase, optionId);
  }

  seal(): this {
    for (const [itemId, optionId, action] of this.pending) {
      const i = itemId - this.itemBase;
      while (this.rows.length <= i) this.rows.push([]);
      const row = this.rows[i] ?? [];
      row[optionId - this.optionBase] = action;
    }
    return this;
  }

  get(itemId: number, optionId: number): OptionAction | undefined {
    return this.rows[itemId - this.itemBase]?.[optionId - this.optionBase];
  }
}

interface Plan {
  /** Column names (ids), by which the plan finds its columns. */
  header: string[];
  /** What the file's first line says: the names, or with labels the question texts. */
  heading: string[];
  actions: ActionTable;
  /** item id -> column, for text and number answers and for "other" texts */
  values: Map<number, number>;
  /** the items (and "other" options) whose answers carry a value */
  valueItems: { itemId: number; otherOptionId: number | null }[];
  multiples: MultipleTarget[];
}

function plan(row: ConsultationRow, catalog: Catalog, labels: boolean): Plan {
  const def = row.definition;
  const columns = responseColumns(def);
  const header = columns.map((c) => c.name);
  const heading = labels ? readableHeading(columns) : header;
  const colOf = (name: string) => header.indexOf(name);
  const actions = new ActionTable();
  const values = new Map<number, number>();
  const valueItems: { itemId: number; otherOptionId: number | null }[] = [];
  const multiples: MultipleTarget[] = [];
  for (const q of allQuestions(def)) {
    const cq = catalog.questions.get(q.id);
    if (!cq) throw new Error(`Question "${q.id}" is not in the database`);
    const single = cq.items.get("");
    if (q.kind === "text" || q.kind === "number") {
      if (single !== undefined) {
        values.set(single, colOf(q.id));
        valueItems.push({ itemId: single, otherOptionId: null });
      }
      continue;
    }
    const choices = optionsOf(def, q);
    if (q.kind === "multiple") {
      if (single === undefined) continue;
      const multi = multiples.length;
      multiples.push({ tickCols: choices.map((o) => colOf(`${q.id}__${o.code}`)), labelsCol: colOf(q.id) });
      const otherOptionId = q.other ? cq.options.get(q.other.code) : undefined;
      if (otherOptionId !== undefined) {
        values.set(single, colOf(`${q.id}__other_text`));
        valueItems.push({ itemId: single, otherOptionId });
      }
      choices.forEach((o, position) => {
        const optionId = cq.options.get(o.code);
        const tick = { col: colOf(`${q.id}__${o.code}`), position, label: o.label };
        if (optionId !== undefined) actions.add(single, optionId, { col: -1, value: "", multi, tick });
      });
      continue;
    }
    // single, likert: one item and column; grid, paired: an item and a column per statement.
    for (const spec of columns) {
      if (spec.kind !== "choice" || spec.question !== q) continue;
      const itemId = cq.items.get(spec.statement ?? "");
      if (itemId === undefined) continue;
      const col = colOf(spec.name);
      for (const o of choices) {
        const optionId = cq.options.get(o.code);
        const value = csvCell(neutralise(labels ? o.label : o.code) as string);
        if (optionId !== undefined) actions.add(itemId, optionId, { col, value, multi: -1, tick: null });
      }
    }
  }
  return { header, heading, actions: actions.seal(), values, valueItems, multiples };
}

/**
 * The question texts as headings ("Which of these describe you?: Business owner"), which the import
 * also accepts; a heading two columns would share keeps the column's id after it, so none is
 * ambiguous.
 */
function readableHeading(columns: readonly { name: string; textName: string }[]): string[] {
  const seen = new Map<string, number>();
  for (const c of columns) seen.set(c.textName, (seen.get(c.textName) ?? 0) + 1);
  return columns.map((c) => ((seen.get(c.textName) ?? 0) > 1 ? `${c.textName} (${c.name})` : c.textName));
}

/** Stored times carry milliseconds (2026-01-05T09:00:00.123Z); the file gives whole seconds. */
function toSeconds(iso: string): string {
  return iso.replace(/\.\d+Z$/, "Z");
}

/** Builds one CSV line per response from its packed answers. */
class LineBuilder {
  private readonly ticked: Tick[][];
  private readonly blank: string[];

  constructor(private readonly plan: Plan) {
    this.ticked = plan.multiples.map(() => []);
    this.blank = plan.header.map(() => "");
  }

  build(
    reference: string,
    channel: string,
    submittedAt: string,
    packed: string | null,
    values: ValueRow[] | undefined,
  ): string {
    const cells = this.blank.slice();
    cells[0] = csvCell(reference);
    cells[1] = csvCell(channel);
    cells[2] = csvCell(toSeconds(submittedAt));
    // The option answers, "other" included (its text comes with the values): parsed digit by
    // digit rather than split, so that no string is made per answer.
    if (packed !== null) {
      let n = 0;
      for (let i = 0, end = packed.length; i <= end; i++) {
        const c = i < end ? packed.charCodeAt(i) : 44;
        if (c !== 44) n = n * 10 + c - 48;
        else {
          const itemId = Math.floor(n / ITEM_FACTOR);
          const action = this.plan.actions.get(itemId, n - itemId * ITEM_FACTOR);
          if (action?.tick) this.ticked[action.multi]?.push(action.tick);
          else if (action) cells[action.col] = action.value;
          n = 0;
        }
      }
    }
    for (const [, itemId, , num, text] of values ?? []) {
      const col = this.plan.values.get(itemId);
      if (col === undefined) continue;
      if (text !== null) cells[col] = csvCell(neutralise(text) as string);
      else if (num !== null) cells[col] = String(num);
    }
    this.plan.multiples.forEach((m, i) => {
      const ticks = this.ticked[i];
      // An unanswered multiple-choice question stays blank; an answered one gets 0 or 1 in each column.
      if (!ticks || ticks.length === 0) return;
      for (const col of m.tickCols) cells[col] = "0";
      for (const t of ticks) cells[t.col] = "1";
      if (ticks.length > 1) ticks.sort((a, b) => a.position - b.position);
      cells[m.labelsCol] = csvCell(neutralise(ticks.map((t) => t.label).join("; ")) as string);
      ticks.length = 0;
    });
    return cells.join(",");
  }
}

// A cell is quoted exactly when Papa.unparse would quote it (a quote, comma, line break or byte
// order mark inside, or a space at either end), so the output is the same as Papa's, byte for byte
// (tests/unit/response-export.test.ts checks that). Papa's unparse takes four times as long over
// millions of cells, most of which are codes, 0 or 1, so the rows use this; the header uses Papa.
const NEEDS_QUOTES = /[",\r\n\uFEFF]|^ | $/;
export function csvCell(value: Cell): string {
  if (typeof value === "number") return String(value);
  if (value === "" || !NEEDS_QUOTES.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

/**
 * The export's reads: pages of responses with their option answers packed, and each page's text
 * and number answers by response id. Also the benchmark's baseline (the same reads, no CSV).
 */
export function* readPages(
  repo: ResponseTransferRepository,
  consultationId: number,
  valueItems: Plan["valueItems"],
  pageSize: number | (() => number),
): Generator<{ page: ExportRow[]; values: Map<number, ValueRow[]> }> {
  let afterId = 0;
  for (;;) {
    const size = typeof pageSize === "number" ? pageSize : pageSize();
    const page = repo.exportPage(consultationId, afterId, size);
    const first = page[0];
    const last = page[page.length - 1];
    if (!first || !last) return;
    const values = new Map<number, ValueRow[]>();
    for (const v of repo.exportValues(valueItems, first[0], last[0])) {
      const list = values.get(v[0]);
      if (list) list.push(v);
      else values.set(v[0], [v]);
    }
    yield { page, values };
    if (page.length < size) return;
    afterId = last[0];
  }
}

/** The items (and "other" options) whose answers carry a text or a number. */
export function valueItems(row: ConsultationRow, catalog: Catalog): Plan["valueItems"] {
  return plan(row, catalog, false).valueItems;
}

/** What one page of the export should take to read and write, so the loop is given back often. */
const PAGE_MS = 8;

/**
 * Page sizes that keep each page near PAGE_MS: a consultation of many questions takes longer per
 * response than one of few, and the same code runs on slower machines. Starts small, then follows
 * the measured time per response, between 50 and 2,000 responses a page.
 */
class AdaptivePages {
  private size = 100;
  private started = performance.now();

  readonly next = (): number => {
    this.started = performance.now();
    return this.size;
  };

  done(responses: number): void {
    const perResponse = (performance.now() - this.started) / Math.max(1, responses);
    const ideal = perResponse > 0 ? PAGE_MS / perResponse : this.size * 2;
    // Grow gently (a slow page after a fast one is what hurts), shrink at once.
    this.size = Math.round(Math.min(2_000, Math.max(50, Math.min(ideal, this.size * 2))));
  }
}

/** The export stopped because whoever was reading it went away (a closed download). */
export class ExportAbortedError extends Error {}

/** Write and wait for the stream to drain when its buffer is full (backpressure). */
async function write(out: Writable, chunk: string): Promise<void> {
  if (out.destroyed) throw new ExportAbortedError("The output was closed");
  if (out.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.on("drain", done);
    out.on("close", done);
  });
  if (out.destroyed) throw new ExportAbortedError("The output was closed");
}

/**
 * Stream the raw responses of a consultation as CSV (UTF-8 with BOM, RFC 4180, CRLF, text cells
 * neutralised against formula injection): one row per submitted response in response id order. The
 * database is read a page of responses at a time (their option answers packed by SQLite, then the
 * few text and number answers of the page from the item index) and each page is written before the
 * next is read, so memory stays flat whatever the size. Pages are written in time slices
 * (time-slices.ts), so other requests are served while a large export runs.
 * Returns the number of responses written. Does not end `out`.
 */
export async function writeResponsesCsv(
  repo: ResponseTransferRepository,
  row: ConsultationRow,
  catalog: Catalog,
  out: Writable,
  opts: ResponseExportOptions = {},
): Promise<number> {
  const p = plan(row, catalog, opts.labels === true);
  await write(out, `${BOM}${Papa.unparse([p.heading.map(neutralise)], { newline: "\r\n" })}\r\n`);
  const builder = new LineBuilder(p);
  const slices = new TimeSlices();
  const pages = new AdaptivePages();
  let written = 0;
  for (const { page, values } of readPages(repo, row.id, p.valueItems, opts.pageSize ?? pages.next)) {
    const lines: string[] = [];
    for (const [id, reference, channel, submittedAt, packed] of page)
      lines.push(builder.build(reference, channel, submittedAt, packed, values.get(id)));
    lines.push("");
    const chunk = lines.join("\r\n");
    written += page.length;
    pages.done(page.length);
    await write(out, chunk);
    await slices.pause();
  }
  return written;
}
