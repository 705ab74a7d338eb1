/**
 * Comment features for the theme classifier: TF-IDF over hashed word 1-2 grams and hashed
 * character 2-5 grams inside words (scikit-learn's "char_wb"), plus one feature per closed answer
 * of the same respondent ("rating=2"). Hashing keeps the model a fixed size whatever the vocabulary,
 * and needs no vocabulary table at prediction time. Each block is L2-normalised on its own, so
 * that a long comment's thousands of character grams do not drown its words.
 *
 * Everything is a single pass over the characters with integer hashing: no regular expressions and
 * no string allocated per n-gram, so 100,000 comments are featurised in about a second.
 */

/** One comment as the classifier sees it. */
export interface CommentExample {
  text: string;
  /** The respondent's closed answers, each as "question=option". */
  closed: readonly string[];
}

/** Comments as a compressed sparse row matrix: row r's entries are [start[r], start[r + 1]). */
export interface SparseRows {
  start: Int32Array;
  index: Int32Array;
  value: Float32Array;
}

export interface Vectorizer {
  /** Bits of each hashed block: word grams hash to [0, 2^bits), character grams to [2^bits, 2^(bits+1)). */
  bits: number;
  /**
   * The feature column of each hashed slot, -1 for a slot seen in fewer than `minDf` training
   * comments. Columns are numbered from the most frequent down, so the weights the classifier
   * touches most sit together in memory (a dense hashed weight vector was four times slower).
   */
  column: Int32Array;
  /** Inverse document frequency per column. */
  idf: Float32Array;
  /** Closed answers seen in training, numbered from 0; answer k's column is idf.length + k. */
  closed: Record<string, number>;
  /** Number of columns: the text's and the closed answers'. */
  dimension: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16777619;
const WORD_SEED = 0x2545f491;
const CHAR_SEED = 0x1b873593;

/** Final avalanche of MurmurHash3, so the low bits used as an index depend on every input bit. */
function mix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Letters and digits of any script (code points above Latin-1's symbols count as letters). */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 0xc0;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}

/** Where a comment's terms are counted: indexes, in the order first seen, and their counts. */
export interface Counter {
  /** Hashed slot -> counted index, -1 to skip (a fitted vectorizer's columns); null: the slot itself. */
  map: Int32Array | null;
  /** Counts by index, zero between comments. */
  scratch: Float64Array;
  /** The indexes counted so far for this comment, in the order first seen: touched[0..size). */
  touched: Int32Array;
  size: number;
}

function counter(map: Int32Array | null, size: number): Counter {
  return { map, scratch: new Float64Array(size), touched: new Int32Array(1024), size: 0 };
}

/** Counts one hashed slot (a plain function rather than a callback, so V8 inlines it). */
function add(c: Counter, slot: number): void {
  const i = c.map === null ? slot : (c.map[slot] as number);
  if (i >= 0) addIndex(c, i);
}

/** Counts one index (a column, or a slot when there is no column map). */
function addIndex(c: Counter, i: number): void {
  if (c.scratch[i] === 0) {
    if (c.size === c.touched.length) {
      const more = new Int32Array(c.size * 2);
      more.set(c.touched);
      c.touched = more;
    }
    c.touched[c.size++] = i;
  }
  c.scratch[i] = (c.scratch[i] as number) + 1;
}

/** Counts the hashed word unigrams and bigrams (words of 2+ letters or digits, as scikit-learn). */
function wordGrams(text: string, mask: number, c: Counter): void {
  let prev = -1;
  let h = FNV_OFFSET ^ WORD_SEED;
  let len = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = i < text.length ? text.charCodeAt(i) : 32;
    if (isWordChar(ch)) {
      h = Math.imul(h ^ ch, FNV_PRIME);
      len++;
      continue;
    }
    if (len >= 2) {
      const word = mix(h);
      add(c, word & mask);
      if (prev >= 0) add(c, mix(Math.imul(prev, 0x9e3779b1) ^ word ^ WORD_SEED) & mask);
      prev = word;
    }
    h = FNV_OFFSET ^ WORD_SEED;
    len = 0;
  }
}

/** The character at position p of " text " (the text padded with a space each side), spaces as 32. */
function paddedAt(text: string, p: number): number {
  if (p === 0 || p > text.length) return 32;
  const ch = text.charCodeAt(p - 1);
  return isSpace(ch) ? 32 : ch;
}

/**
 * Counts the hashed 2-5 character grams of each space-separated word padded with a space each
 * side. Works on positions of the padded text without building it, and hashes each gram as an
 * extension of the one before it (FNV is a running hash), so no substring is ever made.
 */
function charGrams(text: string, mask: number, offset: number, c: Counter): void {
  const end = text.length + 2; // the padded text's length
  let wordStart = 0;
  for (let i = 1; i < end; i++) {
    if (paddedAt(text, i) !== 32) continue;
    // padded[wordStart..i] is " word " when the word is not empty.
    if (i - wordStart > 1) {
      for (let s = wordStart; s < i; s++) {
        let h = FNV_OFFSET ^ CHAR_SEED;
        for (let n = 0; n < 5 && s + n <= i; n++) {
          h = Math.imul(h ^ paddedAt(text, s + n), FNV_PRIME);
          if (n >= 1) add(c, offset + (mix(h) & mask));
        }
      }
    }
    wordStart = i;
  }
}

/**
 * Raw term counts of one comment, left in the counter: `touched[0..size)` are the indexes (the word
 * block up to `wordEnd`, then the character block up to `charEnd`, then the closed answers at
 * `closedAt` + their number, when `closed` is given) and `scratch` their counts, which the caller
 * zeroes. With a fitted vectorizer's column map, slots are turned into columns as they are hashed
 * and the rare ones skipped at once, so the counts live in a small array that stays in cache.
 */
function countTerms(
  example: CommentExample,
  bits: number,
  c: Counter,
  closed: Record<string, number> | null,
  closedAt: number,
): { wordEnd: number; charEnd: number } {
  c.size = 0;
  const text = example.text.toLowerCase();
  const mask = (1 << bits) - 1;
  wordGrams(text, mask, c);
  const wordEnd = c.size;
  charGrams(text, mask, 1 << bits, c);
  const charEnd = c.size;
  if (closed) {
    for (const answer of example.closed) {
      const at = closed[answer];
      if (at !== undefined && c.scratch[closedAt + at] === 0) addIndex(c, closedAt + at);
    }
  }
  return { wordEnd, charEnd };
}

/** Zeroes the counts of the comment just counted, ready for the next. */
function clearCounts(c: Counter): void {
  for (let k = 0; k < c.size; k++) c.scratch[c.touched[k] as number] = 0;
}

/** Learns the document frequencies (features in fewer than `minDf` comments are dropped). */
export function fitVectorizer(examples: readonly CommentExample[], bits = 18, minDf = 2): Vectorizer {
  const hashed = 2 << bits;
  const df = new Uint32Array(hashed);
  const c = counter(null, hashed);
  for (const e of examples) {
    const { charEnd } = countTerms(e, bits, c, null, 0);
    for (let k = 0; k < charEnd; k++) {
      const slot = c.touched[k] as number;
      df[slot] = (df[slot] as number) + 1;
    }
    clearCounts(c);
  }
  const kept: number[] = [];
  for (let i = 0; i < hashed; i++) if ((df[i] as number) >= minDf) kept.push(i);
  kept.sort((a, b) => (df[b] as number) - (df[a] as number) || a - b);
  const n = examples.length;
  const column = new Int32Array(hashed).fill(-1);
  const idf = new Float32Array(kept.length);
  kept.forEach((slot, c) => {
    column[slot] = c;
    idf[c] = Math.log((1 + n) / (1 + (df[slot] as number))) + 1;
  });
  const closed: Record<string, number> = {};
  let next = 0;
  for (const e of examples) {
    for (const answer of e.closed) if (closed[answer] === undefined) closed[answer] = next++;
  }
  return { bits, column, idf, closed, dimension: kept.length + next };
}

/** 1 + ln(count) for the small counts nearly every term has. */
const SUBLINEAR = Float64Array.from({ length: 64 }, (_, c) => (c === 0 ? 0 : 1 + Math.log(c)));
const sublinear = (c: number) => (c < 64 ? (SUBLINEAR[c] as number) : 1 + Math.log(c));

/**
 * One comment's feature row, rewritten in place for each comment: `index` and `value` hold its
 * `length` entries. Reused from comment to comment so that featurising 100,000 comments allocates
 * almost nothing (the garbage collector was a tenth of the tagging time).
 */
export interface RowBuffer {
  index: Int32Array;
  value: Float32Array;
  length: number;
  counter: Counter;
}

export function rowBuffer(v: Vectorizer): RowBuffer {
  return {
    index: new Int32Array(1024),
    value: new Float32Array(1024),
    length: 0,
    counter: counter(v.column, v.dimension),
  };
}

function ensure(buf: RowBuffer, size: number): void {
  if (size <= buf.index.length) return;
  const cap = Math.max(size, buf.index.length * 2);
  const index = new Int32Array(cap);
  index.set(buf.index.subarray(0, buf.length));
  const value = new Float32Array(cap);
  value.set(buf.value.subarray(0, buf.length));
  buf.index = index;
  buf.value = value;
}

/**
 * Sublinear TF-IDF, each block L2-normalised, closed answers at 1, written into `buf`. Values are
 * rounded to 32 bits before and after the scaling, as the stored rows always were, so a row is the
 * same bit for bit whichever way it is built.
 */
export function featureRow(v: Vectorizer, e: CommentExample, buf: RowBuffer): void {
  const c = buf.counter;
  const t = countTerms(e, v.bits, c, v.closed, v.idf.length);
  const n = c.size;
  ensure(buf, n);
  const { index, value } = buf;
  const { touched, scratch } = c;
  const idf = v.idf;
  let from = 0;
  for (const to of [t.wordEnd, t.charEnd]) {
    let norm = 0;
    for (let k = from; k < to; k++) {
      const col = touched[k] as number;
      const w = sublinear(scratch[col] as number) * (idf[col] as number);
      index[k] = col;
      value[k] = w;
      norm += w * w;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = from; k < to; k++) value[k] = (value[k] as number) * scale;
    from = to;
  }
  for (let k = t.charEnd; k < n; k++) {
    index[k] = touched[k] as number;
    value[k] = 1;
  }
  clearCounts(c);
  buf.length = n;
}

/** The feature rows of some comments under a fitted vectorizer. */
export function transform(v: Vectorizer, examples: readonly CommentExample[]): SparseRows {
  const buf = rowBuffer(v);
  const start = new Int32Array(examples.length + 1);
  let index = new Int32Array(1 << 16);
  let value = new Float32Array(1 << 16);
  let length = 0;
  examples.forEach((e, r) => {
    featureRow(v, e, buf);
    if (length + buf.length > index.length) {
      const cap = Math.max(length + buf.length, index.length * 2);
      const i2 = new Int32Array(cap);
      i2.set(index.subarray(0, length));
      index = i2;
      const v2 = new Float32Array(cap);
      v2.set(value.subarray(0, length));
      value = v2;
    }
    index.set(buf.index.subarray(0, buf.length), length);
    value.set(buf.value.subarray(0, buf.length), length);
    length += buf.length;
    start[r + 1] = length;
  });
  return { start, index: index.slice(0, length), value: value.slice(0, length) };
}

/**
 * The hashed word and character slots of a text with their counts, before any vocabulary: what
 * fitVectorizer counts and transform weighs. For checking the single-pass hashing against a plain
 * reference, and for looking at what a comment turns into.
 */
export function hashedTermCounts(text: string, bits = 18): Map<number, number> {
  const c = counter(null, 2 << bits);
  countTerms({ text, closed: [] }, bits, c, null, 0);
  const out = new Map<number, number>();
  for (let k = 0; k < c.size; k++)
    out.set(c.touched[k] as number, c.scratch[c.touched[k] as number] as number);
  clearCounts(c);
  return out;
}
