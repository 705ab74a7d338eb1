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

/** Emits the hashed word unigrams and bigrams (words of 2+ letters or digits, as scikit-learn). */
function wordGrams(text: string, mask: number, emit: (index: number) => void): void {
  let prev = -1;
  let h = FNV_OFFSET ^ WORD_SEED;
  let len = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (isWordChar(c)) {
      h = Math.imul(h ^ c, FNV_PRIME);
      len++;
      continue;
    }
    if (len >= 2) {
      const word = mix(h);
      emit(word & mask);
      if (prev >= 0) emit(mix(Math.imul(prev, 0x9e3779b1) ^ word ^ WORD_SEED) & mask);
      prev = word;
    }
    h = FNV_OFFSET ^ WORD_SEED;
    len = 0;
  }
}

/** Emits the hashed 2-5 character grams of each space-separated word padded with a space each side. */
function charGrams(text: string, mask: number, offset: number, emit: (index: number) => void): void {
  const padded = ` ${text} `;
  let wordStart = 0;
  for (let i = 1; i < padded.length; i++) {
    if (!isSpace(padded.charCodeAt(i))) continue;
    // padded[wordStart..i] is " word " when the word is not empty.
    if (i - wordStart > 1) {
      for (let s = wordStart; s < i; s++) {
        let h = FNV_OFFSET ^ CHAR_SEED;
        for (let n = 0; n < 5 && s + n <= i; n++) {
          const c = padded.charCodeAt(s + n);
          h = Math.imul(h ^ (isSpace(c) ? 32 : c), FNV_PRIME);
          if (n >= 1) emit(offset + (mix(h) & mask));
        }
      }
    }
    wordStart = i;
  }
}

/** Where a comment's terms are counted: indexes, in the order first seen, and their counts. */
interface Counter {
  /** Hashed slot -> counted index, -1 to skip (a fitted vectorizer's columns); null: the slot itself. */
  map: Int32Array | null;
  /** Counts by index, zero between comments. */
  scratch: Float64Array;
  touched: number[];
}

function counter(map: Int32Array | null, size: number): Counter {
  return { map, scratch: new Float64Array(size), touched: [] };
}

/**
 * Raw term counts of one comment, as (index, count) pairs: the word block, then the character
 * block, then the closed answers (at `closedAt` + their number, when `closed` is given). With a
 * fitted vectorizer's column map, slots are turned into columns as they are hashed and the rare
 * ones skipped at once, so the counts live in a small array that stays in the processor's cache.
 */
function countTerms(
  example: CommentExample,
  bits: number,
  c: Counter,
  closed: Record<string, number> | null,
  closedAt: number,
): { index: Int32Array; count: Float32Array; wordEnd: number; charEnd: number } {
  const { map, scratch, touched } = c;
  touched.length = 0;
  const add = (slot: number) => {
    const i = map === null ? slot : (map[slot] as number);
    if (i < 0) return;
    if (scratch[i] === 0) touched.push(i);
    scratch[i] = (scratch[i] as number) + 1;
  };
  const text = example.text.toLowerCase();
  const mask = (1 << bits) - 1;
  wordGrams(text, mask, add);
  const wordEnd = touched.length;
  charGrams(text, mask, 1 << bits, add);
  const charEnd = touched.length;
  if (closed) {
    for (const answer of example.closed) {
      const at = closed[answer];
      if (at !== undefined && scratch[closedAt + at] === 0) {
        touched.push(closedAt + at);
        scratch[closedAt + at] = 1;
      }
    }
  }
  const index = Int32Array.from(touched);
  const count = new Float32Array(index.length);
  for (let k = 0; k < index.length; k++) {
    const i = index[k] as number;
    count[k] = scratch[i] as number;
    scratch[i] = 0;
  }
  return { index, count, wordEnd, charEnd };
}

/** Learns the document frequencies (features in fewer than `minDf` comments are dropped). */
export function fitVectorizer(examples: readonly CommentExample[], bits = 18, minDf = 2): Vectorizer {
  const hashed = 2 << bits;
  const df = new Uint32Array(hashed);
  const c = counter(null, hashed);
  for (const e of examples) {
    const { index, charEnd } = countTerms(e, bits, c, null, 0);
    for (let k = 0; k < charEnd; k++) {
      const slot = index[k] as number;
      df[slot] = (df[slot] as number) + 1;
    }
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

/** Growing typed arrays for the entries of many rows (a plain array of millions of numbers is slow to grow). */
class Entries {
  index = new Int32Array(1 << 16);
  value = new Float32Array(1 << 16);
  length = 0;

  push(i: number, v: number): void {
    if (this.length === this.index.length) {
      const index = new Int32Array(this.length * 2);
      index.set(this.index);
      this.index = index;
      const value = new Float32Array(this.length * 2);
      value.set(this.value);
      this.value = value;
    }
    this.index[this.length] = i;
    this.value[this.length++] = v;
  }
}

/** 1 + ln(count) for the small counts nearly every term has. */
const SUBLINEAR = Float64Array.from({ length: 64 }, (_, c) => (c === 0 ? 0 : 1 + Math.log(c)));
const sublinear = (c: number) => (c < 64 ? (SUBLINEAR[c] as number) : 1 + Math.log(c));

/** Sublinear TF-IDF, each block L2-normalised, closed answers at 1. */
function appendRow(v: Vectorizer, e: CommentExample, c: Counter, out: Entries): void {
  const t = countTerms(e, v.bits, c, v.closed, v.idf.length);
  for (const [from, to] of [
    [0, t.wordEnd],
    [t.wordEnd, t.charEnd],
  ] as const) {
    const at = out.length;
    let norm = 0;
    for (let k = from; k < to; k++) {
      const col = t.index[k] as number;
      const w = sublinear(t.count[k] as number) * (v.idf[col] as number);
      out.push(col, w);
      norm += w * w;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = at; k < out.length; k++) out.value[k] = (out.value[k] as number) * scale;
  }
  for (let k = t.charEnd; k < t.index.length; k++) out.push(t.index[k] as number, 1);
}

/** The feature rows of some comments under a fitted vectorizer. */
export function transform(v: Vectorizer, examples: readonly CommentExample[]): SparseRows {
  const c = counter(v.column, v.dimension);
  const start = new Int32Array(examples.length + 1);
  const out = new Entries();
  examples.forEach((e, r) => {
    appendRow(v, e, c, out);
    start[r + 1] = out.length;
  });
  return { start, index: out.index.slice(0, out.length), value: out.value.slice(0, out.length) };
}
