/**
 * Campaigns and near-duplicate comments: word-shingle MinHash with locality-sensitive hashing.
 *
 * Each comment becomes the set of its word k-grams (shingles), hashed to 32 bits. A MinHash
 * signature of `hashes` values estimates the Jaccard similarity of two such sets; LSH splits the
 * signature into `bands` bands and treats comments sharing a whole band as candidates, so most
 * pairs are never compared. Every candidate pair is then checked on its exact shingle sets, and
 * pairs at or above the threshold are joined (union-find): a group is a connected set of comments
 * each at least that similar to another member. Linear in the total length of the comments plus
 * the candidate pairs; no regular expressions (the words are cut by a character loop).
 *
 * See Broder, "On the resemblance and containment of documents" (1997), and Leskovec, Rajaraman
 * and Ullman, "Mining of Massive Datasets", chapter 3, for the band/row trade-off used here.
 */
export interface NearDuplicateOptions {
  /** Jaccard similarity of the shingle sets at which two comments are grouped (default 0.8). */
  threshold?: number;
  /** Words per shingle (default 2: on synthetic campaign letters it found more of each campaign than 3, with no false pairs). */
  shingle?: number;
  /** MinHash values per comment (default 64); bands x rows must equal it. */
  hashes?: number;
  /** LSH bands (default 16: 4 rows each; a pair at 0.8 is a candidate with probability 0.9998). */
  bands?: number;
  /** Comments with fewer words are left alone (a "Very good" is not a campaign; default 6). */
  minWords?: number;
}

export interface NearDuplicateGroup {
  /** Indexes into the input, in input order; the first is the group's representative. */
  members: number[];
}

const FNV_OFFSET = 0x811c9dc5;
/** Comments a newcomer is compared with per bucket: the latest that reached it. */
const MAX_RECENT = 8;
const FNV_PRIME = 0x01000193;

/** Lower-cased words: runs of letters and digits (ASCII, or any letter above ASCII). */
export function words(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  const lower = text.toLowerCase();
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    const wordy = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c > 127 || c === 39;
    if (wordy && start < 0) start = i;
    else if (!wordy && start >= 0) {
      const w = lower.slice(start, i).replaceAll("'", "");
      if (w !== "") out.push(w);
      start = -1;
    }
  }
  return out;
}

/**
 * The FNV-1a hashes of a text's words (as `words` cuts them), computed in one pass over the
 * characters without making a string per word.
 */
export function wordHashes(text: string): number[] {
  const out: number[] = [];
  let h = FNV_OFFSET;
  let inWord = false;
  let letters = 0;
  for (let i = 0; i <= text.length; i++) {
    let c = i < text.length ? text.charCodeAt(i) : 32;
    if (c >= 65 && c <= 90) c += 32;
    else if (c > 127) {
      const lower = String.fromCharCode(c).toLowerCase().charCodeAt(0);
      c = lower;
    }
    const wordy = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c > 127 || c === 39;
    if (wordy) {
      if (!inWord) {
        inWord = true;
        h = FNV_OFFSET;
        letters = 0;
      }
      if (c !== 39) {
        h = Math.imul(h ^ c, FNV_PRIME);
        letters++;
      }
    } else if (inWord) {
      inWord = false;
      if (letters > 0) out.push(h >>> 0);
    }
  }
  return out;
}

/** A comment's distinct shingle hashes, sorted (so two sets intersect in one merge pass). */
export function shingleSet(text: string, k = 2): Uint32Array {
  return shinglesOf(wordHashes(text), k);
}

function shinglesOf(hashes: readonly number[], k: number): Uint32Array {
  const count = hashes.length < k ? (hashes.length > 0 ? 1 : 0) : hashes.length - k + 1;
  const all = new Uint32Array(count);
  const span = Math.min(k, hashes.length);
  for (let i = 0; i < count; i++) {
    let h = FNV_OFFSET;
    for (let j = 0; j < span; j++) h = Math.imul(h ^ (hashes[i + j] as number), FNV_PRIME);
    all[i] = h >>> 0;
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i] as number;
  return all.subarray(0, n);
}

/** Exact Jaccard similarity of two sorted sets. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      both++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return both / (a.length + b.length - both);
}

/** Seeded odd multipliers and offsets for the hash family h(x) = a*x + b (mod 2^32). */
function family(n: number): { a: Uint32Array; b: Uint32Array } {
  let s = 0x9e3779b9;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const a = new Uint32Array(n);
  const b = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = next() | 1;
    b[i] = next();
  }
  return { a, b };
}

/** Disjoint sets with path halving and union by size. */
class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(x: number): number {
    let i = x;
    while (this.parent[i] !== i) {
      const p = this.parent[i] as number;
      this.parent[i] = this.parent[p] as number;
      i = this.parent[i] as number;
    }
    return i;
  }
  union(x: number, y: number): void {
    let a = this.find(x);
    let b = this.find(y);
    if (a === b) return;
    if ((this.size[a] as number) < (this.size[b] as number)) [a, b] = [b, a];
    this.parent[b] = a;
    this.size[a] = (this.size[a] as number) + (this.size[b] as number);
  }
}

/**
 * Group identical and near-identical comments. Returns only groups of two or more, largest first
 * (ties by first member). Work is linear in the comments and their words (times the hashes),
 * plus at most MAX_RECENT exact comparisons per comment and band.
 */
export function nearDuplicateGroups(
  texts: readonly string[],
  opts: NearDuplicateOptions = {},
): NearDuplicateGroup[] {
  const threshold = opts.threshold ?? 0.8;
  const k = opts.shingle ?? 2;
  const hashes = opts.hashes ?? 64;
  const bands = opts.bands ?? 16;
  const minWords = opts.minWords ?? 6;
  const rows = Math.floor(hashes / bands);
  if (rows * bands !== hashes) throw new Error("hashes must be a multiple of bands");
  const { a, b } = family(hashes);
  const n = texts.length;
  const sets: (Uint32Array | null)[] = new Array(n).fill(null);
  // One map per band from the band's hash (30 bits, so V8 keeps keys small) to the latest few
  // comments that had it. Comparing a newcomer with them (skipping any already in its group)
  // finds its group even when the group's first member is not the one it resembles most.
  const buckets = Array.from({ length: bands }, () => new Map<number, number | number[]>());
  const uf = new UnionFind(n);
  const sig = new Uint32Array(hashes);
  const compared = new Set<number>();
  for (let i = 0; i < n; i++) {
    const hashesOfWords = wordHashes(texts[i] ?? "");
    if (hashesOfWords.length < minWords) continue;
    const set = shinglesOf(hashesOfWords, k);
    sets[i] = set;
    sig.fill(0xffffffff);
    for (let h = 0; h < hashes; h++) {
      const ah = a[h] as number;
      const bh = b[h] as number;
      let min = 0xffffffff;
      for (let s = 0; s < set.length; s++) {
        const v = (Math.imul(ah, set[s] as number) + bh) >>> 0;
        if (v < min) min = v;
      }
      sig[h] = min;
    }
    compared.clear();
    for (let band = 0; band < bands; band++) {
      let h = FNV_OFFSET;
      for (let r = 0; r < rows; r++) h = Math.imul(h ^ (sig[band * rows + r] as number), FNV_PRIME);
      const key = h & 0x3fffffff;
      const map = buckets[band] as Map<number, number | number[]>;
      const held = map.get(key);
      if (held === undefined) {
        // Most buckets only ever hold one comment: a number, not an array (far less to collect).
        map.set(key, i);
        continue;
      }
      const recent = typeof held === "number" ? [held] : held;
      for (const other of recent) {
        if (compared.has(other) || uf.find(other) === uf.find(i)) continue;
        compared.add(other);
        const otherSet = sets[other];
        if (otherSet && jaccard(set, otherSet) >= threshold) uf.union(i, other);
      }
      recent.push(i);
      if (recent.length > MAX_RECENT) recent.shift();
      if (typeof held === "number") map.set(key, recent);
    }
  }
  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (!sets[i]) continue;
    const r = uf.find(i);
    const list = byRoot.get(r);
    if (list) list.push(i);
    else byRoot.set(r, [i]);
  }
  return [...byRoot.values()]
    .filter((m) => m.length > 1)
    .sort((x, y) => y.length - x.length || (x[0] ?? 0) - (y[0] ?? 0))
    .map((members) => ({ members }));
}
