/** The file-level parts of an import: its encoding, its line numbers, the times in it. */

/** Whether a day exists (V8 reads 2018-02-31 as 3 March). */
const realDay = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ISO =
  /^((\d{4})-(\d{2})-(\d{2}))(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;
const UK = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A date-time as ISO 8601 (no offset means UTC) or as a UK spreadsheet writes it (14/03/2025 10:30),
 * returned as the ISO string the database keeps; undefined when it is not a real time.
 */
export function parseTime(raw: string): string | undefined {
  const s = raw.trim();
  // What an export writes comes back unchanged (after checking it is a real time).
  if (CANONICAL.test(s)) {
    const t = new Date(s);
    return !Number.isNaN(t.getTime()) && t.toISOString() === s ? s : undefined;
  }
  const iso = ISO.exec(s);
  const uk = UK.exec(s);
  let ms = Number.NaN;
  if (iso && realDay(Number(iso[2]), Number(iso[3]), Number(iso[4])))
    ms = Date.parse(`${iso[1]}T${iso[5] ?? "00:00"}${iso[6] ?? "Z"}`);
  else if (uk) {
    const [d = 0, m = 0, y = 0, hh = 0, mm = 0, ss = 0] = uk.slice(1).map((x) => Number(x ?? 0));
    if (realDay(y, m, d) && hh < 24 && mm < 60 && ss < 60) ms = Date.UTC(y, m - 1, d, hh, mm, ss);
  }
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Physical line numbers of row starts, as a text editor shows them (a line break inside a quoted
 * value starts a new line), from the parser's cursor. Cursors must only move forward.
 */
export class LineCounter {
  private pos = 0;
  private line = 1;
  constructor(
    private readonly text: string,
    private readonly newline: string,
  ) {}

  at(cursor: number): number {
    for (;;) {
      const next = this.text.indexOf(this.newline, this.pos);
      if (next < 0 || next >= cursor) break;
      this.line++;
      this.pos = next + this.newline.length;
    }
    this.pos = Math.max(this.pos, cursor);
    return this.line;
  }
}
