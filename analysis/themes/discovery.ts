import { stems } from "./tokens.js";

/**
 * Theme discovery: candidate themes for the comments no theme covers yet.
 *
 * 1. Each comment becomes its stemmed words and adjacent word pairs (common words dropped).
 * 2. Distinctive terms: weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi and
 *    Quinn, "Fightin' Words", 2008) of the uncovered comments against the covered ones, by the
 *    number of comments holding each term, as z-scores.
 * 3. Clusters of similar uncovered comments: spherical k-means over TF-IDF vectors (seeded
 *    k-means++), at most `sample` comments, so the work stays bounded whatever the consultation.
 *    The comments that use a distinctive term (step 2) are clustered again, twice as finely and
 *    finer still, so that a small theme the codebook lacks can form a group of its own instead of
 *    being lost in a group of ordinary comments.
 * 4. Each cluster's distinctive terms (log-odds against the other uncovered and the covered
 *    comments) name it, and a rule is grown greedily from them: up to eight lines, each a word or
 *    "a phrase", added while the rule's F1 against the cluster's members, over every uncovered
 *    comment, rises (so a line that also matches much outside the cluster costs precision). Only
 *    words that the uncovered comments use more than the covered ones may go in a rule: a generic
 *    word would match the codebook's own themes' comments too.
 * 5. Groups started from the most distinctive words: the comments using the word, plus those at
 *    least as close to their centre (the word left out) as the median user is. A theme too small
 *    to win a k-means cluster still gets a group, and comments saying it in other words join it.
 *    Each gets its rule as in step 4, the word first.
 * 6. Distinctive terms that no rule already matches become candidates of their own.
 * 7. A candidate matching mostly what a better one matches is dropped as the same theme again.
 *
 * Every step is linear in the comments' words times a small constant (k, iterations, terms).
 */
export interface DiscoveryOptions {
  /** At most this many uncovered comments are clustered (a seeded sample). Default 4,000. */
  sample?: number;
  /** Clusters; default from the sample size (between 4 and 16). */
  clusters?: number;
  /** Candidates returned at most. Default 12. */
  candidates?: number;
  seed?: number;
}

export interface Candidate {
  /** Distinctive words and phrases, most distinctive first, as written in the comments. */
  terms: string[];
  /** A rule (one line per alternative), in the syntax of analysis/themes/rules.ts. */
  rule: string;
  /** Indexes into `uncovered` that the rule matches (within the clustered sample). */
  matched: number[];
  /** The most typical matched comments (indexes into `uncovered`). */
  samples: number[];
  /** Share of the sampled uncovered comments the rule matches. */
  share: number;
  /** Of the covered comments, the share the rule would also match (lower: more distinctive). */
  coveredShare: number;
}

/** Terms ranked for a cluster's rule, and the most lines a rule may have. */
const RANKED_TERMS = 25;
const MAX_RULE_LINES = 8;
/** A term this many standard errors more common among the uncovered comments marks a comment as novel. */
const NOVEL_Z = 2;
/** A rule's words must be at least this much more common among the uncovered comments. */
const RULE_Z = 1;
const MAX_CLUSTERS = 40;
/** Groups started from a distinctive word: the most distinctive this many words are tried. */
const SEEDS = 30;
/** Two candidates whose matches overlap this much (of the smaller) are one theme: the better stays. */
const SAME_THEME = 0.8;

// Words too common to name a theme (function words and a few survey fillers).
const STOP = new Set(
  (
    "a about after all also am an and any are as at be been being but by can could did do does " +
    "doing done for from had has have having he her here hers him his how i if in into is it its " +
    "just me more most my no nor not of off on once only or other our ours out over own same she " +
    "should so some such than that the their them then there these they this those through to too " +
    "under until up very was we were what when where which while who whom why will with would you " +
    "your yours get got go went one thing things really much many lot lots well ve ll re im dont"
  ).split(" "),
);
const STOP_STEMS = new Set([...STOP].flatMap((w) => stems(w)));

interface Doc {
  terms: Set<string>;
}

/** A comment's terms: stems (not common words) and adjacent pairs of them. */
function termsOf(text: string, surface: Map<string, Map<string, number>>): Set<string> {
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9']+/)
    .map((w) => w.replaceAll("'", ""))
    .filter((w) => w !== "");
  const out = new Set<string>();
  let prev: string | null = null;
  let prevWord = "";
  for (const w of words) {
    const s = stems(w)[0];
    if (s === undefined || STOP_STEMS.has(s) || STOP.has(w) || s.length < 2) {
      prev = null;
      continue;
    }
    const forms = surface.get(s) ?? new Map<string, number>();
    forms.set(w, (forms.get(w) ?? 0) + 1);
    surface.set(s, forms);
    out.add(s);
    if (prev !== null) {
      const pair = `${prev} ${s}`;
      out.add(pair);
      const pf = surface.get(pair) ?? new Map<string, number>();
      const phrase = `${prevWord} ${w}`;
      pf.set(phrase, (pf.get(phrase) ?? 0) + 1);
      surface.set(pair, pf);
    }
    prev = s;
    prevWord = w;
  }
  return out;
}

function documentFrequency(docs: readonly Doc[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.terms) df.set(t, (df.get(t) ?? 0) + 1);
  return df;
}

/**
 * Log-odds z-scores of terms in `focus` against `rest` (document counts), with an informative
 * Dirichlet prior from both together (alpha0 pseudo-documents).
 */
export function logOddsZ(
  focus: ReadonlyMap<string, number>,
  nFocus: number,
  rest: ReadonlyMap<string, number>,
  nRest: number,
  alpha0 = 100,
): Map<string, number> {
  const out = new Map<string, number>();
  const n = nFocus + nRest;
  if (nFocus === 0 || n === 0) return out;
  for (const [t, yf] of focus) {
    const yr = rest.get(t) ?? 0;
    const a = Math.max(0.01, (alpha0 * (yf + yr)) / n);
    const lf = Math.log((yf + a) / (nFocus + alpha0 - yf - a));
    const lr = Math.log((yr + a) / (nRest + alpha0 - yr - a));
    out.set(t, (lf - lr) / Math.sqrt(1 / (yf + a) + 1 / (yr + a)));
  }
  return out;
}

/** A small seeded generator (mulberry32), so discovery gives the same candidates every time. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Vec = { ids: Int32Array; w: Float64Array };

function tfidfVectors(docs: readonly Doc[], vocab: Map<string, number>, idf: Float64Array): Vec[] {
  return docs.map((d) => {
    const ids: number[] = [];
    for (const t of d.terms) {
      const id = vocab.get(t);
      if (id !== undefined) ids.push(id);
    }
    ids.sort((a, b) => a - b);
    const w = Float64Array.from(ids, (id) => idf[id] ?? 0);
    let norm = 0;
    for (const x of w) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < w.length; i++) w[i] = (w[i] ?? 0) / norm;
    return { ids: Int32Array.from(ids), w };
  });
}

const dot = (v: Vec, c: Float64Array) => {
  let s = 0;
  for (let i = 0; i < v.ids.length; i++) s += (v.w[i] ?? 0) * (c[v.ids[i] ?? 0] ?? 0);
  return s;
};

/** Spherical k-means: assignments and each comment's similarity to its centre. */
function kmeans(vecs: readonly Vec[], dims: number, k: number, rand: () => number, iterations = 12) {
  const n = vecs.length;
  const centres: Float64Array[] = [];
  // k-means++: each next centre chosen with probability rising with its distance from the others.
  const first = vecs[Math.floor(rand() * n)];
  const toCentre = (v: Vec) => {
    const c = new Float64Array(dims);
    for (let i = 0; i < v.ids.length; i++) c[v.ids[i] ?? 0] = v.w[i] ?? 0;
    return c;
  };
  if (first) centres.push(toCentre(first));
  const best = new Float64Array(n).fill(-1);
  while (centres.length < k) {
    const last = centres[centres.length - 1] as Float64Array;
    let total = 0;
    for (let i = 0; i < n; i++) {
      best[i] = Math.max(best[i] ?? -1, dot(vecs[i] as Vec, last));
      total += 1 - (best[i] ?? 0);
    }
    if (total <= 0) break;
    let r = rand() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= 1 - (best[i] ?? 0);
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    centres.push(toCentre(vecs[pick] as Vec));
  }
  const assign = new Int32Array(n);
  const sim = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      let bi = 0;
      let bs = -1;
      for (let c = 0; c < centres.length; c++) {
        const s = dot(vecs[i] as Vec, centres[c] as Float64Array);
        if (s > bs) {
          bs = s;
          bi = c;
        }
      }
      if (assign[i] !== bi) moved++;
      assign[i] = bi;
      sim[i] = bs;
    }
    for (const c of centres) c.fill(0);
    for (let i = 0; i < n; i++) {
      const c = centres[assign[i] ?? 0] as Float64Array;
      const v = vecs[i] as Vec;
      for (let j = 0; j < v.ids.length; j++) c[v.ids[j] ?? 0] = (c[v.ids[j] ?? 0] ?? 0) + (v.w[j] ?? 0);
    }
    for (const c of centres) {
      let norm = 0;
      for (const x of c) norm += x * x;
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < c.length; j++) c[j] = (c[j] ?? 0) / norm;
    }
    if (it > 0 && moved === 0) break;
  }
  return { assign, sim, k: centres.length };
}

/** The most common written form of a term (a stem or a pair of stems). */
function written(term: string, surface: Map<string, Map<string, number>>): string {
  const forms = surface.get(term);
  let best = term;
  let n = -1;
  if (forms) for (const [f, c] of forms) if (c > n || (c === n && f < best)) [best, n] = [f, c];
  return best;
}

const ruleLine = (term: string, surface: Map<string, Map<string, number>>) => {
  const w = written(term, surface);
  return term.includes(" ") ? `"${w}"` : w;
};

/** Greedy rule: add the term lines that most raise F1 against `target` (indexes of docs). */
function growRule(
  terms: readonly string[],
  docs: readonly Doc[],
  target: ReadonlySet<number>,
  maxLines = 5,
): { chosen: string[]; matched: Set<number> } {
  const chosen: string[] = [];
  let matched = new Set<number>();
  let bestF1 = 0;
  const f1 = (m: Set<number>) => {
    let tp = 0;
    for (const i of m) if (target.has(i)) tp++;
    return tp === 0 ? 0 : (2 * tp) / (m.size + target.size);
  };
  // Which docs hold each candidate term, computed once.
  const holders = new Map<string, number[]>(terms.map((t) => [t, []]));
  docs.forEach((d, i) => {
    for (const t of terms) if (d.terms.has(t)) holders.get(t)?.push(i);
  });
  while (chosen.length < maxLines) {
    let pick: string | null = null;
    let pickSet = matched;
    let pickF1 = bestF1;
    for (const t of terms) {
      if (chosen.includes(t)) continue;
      const next = new Set(matched);
      for (const i of holders.get(t) ?? []) next.add(i);
      const score = f1(next);
      if (score > pickF1 + 0.005) {
        pick = t;
        pickSet = next;
        pickF1 = score;
      }
    }
    if (pick === null) break;
    chosen.push(pick);
    matched = pickSet;
    bestF1 = pickF1;
  }
  return { chosen, matched };
}

/**
 * Candidate themes for `uncovered` comments, against `covered` ones (those some theme already
 * has). Pure and deterministic for a given seed.
 */
export function discoverThemes(
  uncovered: readonly string[],
  covered: readonly string[],
  opts: DiscoveryOptions = {},
): Candidate[] {
  const rand = random(opts.seed ?? 1);
  const sampleSize = opts.sample ?? 4000;
  const surface = new Map<string, Map<string, number>>();
  // A seeded sample of each side (partial Fisher-Yates), so the work is bounded.
  const sampleOf = (n: number, m: number) => {
    const idx = Array.from({ length: n }, (_, i) => i);
    const take = Math.min(n, m);
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(rand() * (n - i));
      [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
    }
    return idx.slice(0, take).sort((a, b) => a - b);
  };
  const uIdx = sampleOf(uncovered.length, sampleSize);
  const cIdx = sampleOf(covered.length, sampleSize);
  const uDocs = uIdx.map((i) => ({ terms: termsOf(uncovered[i] ?? "", surface) }));
  const cDocs = cIdx.map((i) => ({ terms: termsOf(covered[i] ?? "", new Map()) }));
  if (uDocs.length < 5) return [];
  const uDf = documentFrequency(uDocs);
  const cDf = documentFrequency(cDocs);
  const minDf = Math.max(3, Math.ceil(uDocs.length * 0.005));

  // The vocabulary clustered on: terms in at least minDf uncovered comments.
  const vocab = new Map<string, number>();
  for (const [t, n] of uDf) if (n >= minDf) vocab.set(t, vocab.size);
  const idf = new Float64Array(vocab.size);
  for (const [t, id] of vocab) idf[id] = Math.log((1 + uDocs.length) / (1 + (uDf.get(t) ?? 0))) + 1;
  const vecs = tfidfVectors(uDocs, vocab, idf);
  // What the uncovered comments say that the covered ones do not: log-odds of each term.
  const zAll = logOddsZ(uDf, uDocs.length, cDf, cDocs.length);

  const candidates: (Candidate & { quality: number })[] = [];
  const coveredShareOf = (lines: string[]) => {
    if (cDocs.length === 0) return 0;
    let n = 0;
    for (const d of cDocs) if (lines.some((t) => d.terms.has(t))) n++;
    return n / cDocs.length;
  };
  const toCandidate = (
    lines: string[],
    matched: Set<number>,
    ranked: string[],
    quality: number,
    sim: Float64Array | null,
  ) => {
    const members = [...matched].sort((a, b) => (sim?.[b] ?? 0) - (sim?.[a] ?? 0) || a - b);
    return {
      terms: ranked.slice(0, 6).map((t) => written(t, surface)),
      rule: lines.map((t) => ruleLine(t, surface)).join("\n"),
      matched: [...matched].sort((a, b) => a - b).map((i) => uIdx[i] as number),
      samples: members.slice(0, 5).map((i) => uIdx[i] as number),
      share: matched.size / uDocs.length,
      coveredShare: coveredShareOf(lines),
      quality,
    };
  };

  /**
   * A group of uncovered comments (indexes into uDocs) as a candidate: its distinctive terms
   * (log-odds against the other uncovered and the covered comments) name it, and its rule is grown
   * from them, scored against the whole uncovered pool (so a rule that also matches much outside
   * the group loses). `lead`, when given, is ranked first (the word a group was started from).
   */
  const groupCandidate = (members: ReadonlySet<number>, simOf: Float64Array | null, lead?: string) => {
    if (members.size < minDf) return null;
    const inDf = documentFrequency([...members].map((i) => uDocs[i] as Doc));
    // The rest's counts only for the group's own terms: the log-odds need no others, and copying
    // the whole vocabulary for every group was a third of discovery's time.
    const restDf = new Map<string, number>();
    for (const [t, n] of inDf) restDf.set(t, (cDf.get(t) ?? 0) + (uDf.get(t) ?? 0) - n);
    const z = logOddsZ(inDf, members.size, restDf, uDocs.length - members.size + cDocs.length);
    // Only words the covered comments use less: a word the codebook's themes already use as
    // often (a generic one) would make the rule match their kind of comment too.
    // A small backlog may have no word that clears that bar: its group then keeps its own most
    // distinctive words rather than offering no candidate at all.
    const byZ = [...z]
      .filter(([t]) => (inDf.get(t) ?? 0) >= minDf && t !== lead)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const novelWords = byZ.filter(([t]) => (zAll.get(t) ?? 0) >= RULE_Z);
    const ranked = [
      ...(lead === undefined ? [] : [lead]),
      ...(novelWords.length > 0 ? novelWords : byZ).map(([t]) => t),
    ].slice(0, RANKED_TERMS);
    if (ranked.length === 0) return null;
    const { chosen, matched } = growRule(ranked, uDocs, members, MAX_RULE_LINES);
    if (chosen.length === 0) return null;
    let tp = 0;
    for (const i of matched) if (members.has(i)) tp++;
    const candidate = toCandidate(chosen, matched, ranked, (2 * tp) / (matched.size + members.size), simOf);
    candidates.push(candidate);
    return chosen;
  };

  /**
   * The comments like those that use a distinctive word: the comments holding it, plus every
   * comment at least as close to their centre (the word itself left out of it) as the median
   * holder is. One step of k-means started from a word rather than from a comment, so that a theme
   * too small to win a cluster of its own still gets a group, and comments saying the same thing
   * in other words ("tablets" beside "medication") join it and lend its rule their words.
   */
  const seededCandidate = (seed: string) => {
    const id = vocab.get(seed);
    if (id === undefined) return null;
    const centre = new Float64Array(vocab.size);
    const holders: number[] = [];
    vecs.forEach((v, i) => {
      if (!(uDocs[i] as Doc).terms.has(seed)) return;
      holders.push(i);
      for (let m = 0; m < v.ids.length; m++) {
        const j = v.ids[m] as number;
        centre[j] = (centre[j] as number) + (v.w[m] as number);
      }
    });
    centre[id] = 0;
    const sims = new Float64Array(vecs.length);
    vecs.forEach((v, i) => {
      sims[i] = dot(v, centre);
    });
    const own = holders.map((i) => sims[i] as number).sort((a, b) => a - b);
    const bar = own[Math.floor(own.length / 2)] ?? 0;
    const members = new Set(holders);
    if (bar > 0) for (let i = 0; i < sims.length; i++) if ((sims[i] as number) >= bar) members.add(i);
    return groupCandidate(members, sims, seed);
  };

  /**
   * Cluster some of the uncovered comments (indexes into uDocs) into k groups, and make each group
   * a candidate whose rule is grown from the group's distinctive terms, scored against the whole
   * uncovered pool (so a rule that also matches much outside the group loses).
   */
  const clusterCandidates = (pool: readonly number[], k: number) => {
    if (pool.length < minDf * 2 || k < 2) return;
    const {
      assign,
      sim,
      k: made,
    } = kmeans(
      pool.map((i) => vecs[i] as Vec),
      vocab.size,
      Math.min(k, pool.length),
      rand,
    );
    const simOf = new Float64Array(uDocs.length);
    pool.forEach((i, j) => {
      simOf[i] = sim[j] ?? 0;
    });
    for (let c = 0; c < made; c++) {
      const members = new Set<number>();
      pool.forEach((i, j) => {
        if (assign[j] === c) members.add(i);
      });
      groupCandidate(members, simOf);
    }
  };

  const all = uDocs.map((_, i) => i);
  const k = opts.clusters ?? Math.max(4, Math.min(16, Math.round(Math.sqrt(uDocs.length / 15))));
  clusterCandidates(all, Math.min(k, uDocs.length));
  // The comments that use a term the covered comments rarely do: where a theme the codebook lacks
  // shows itself. Clustered again, finer, so a small new theme can have a group of its own rather
  // than be lost in a group of the backlog's ordinary comments.
  const novel = all.filter((i) => {
    for (const t of (uDocs[i] as Doc).terms)
      if ((zAll.get(t) ?? 0) >= NOVEL_Z && (uDf.get(t) ?? 0) >= minDf) return true;
    return false;
  });
  if (opts.clusters === undefined)
    for (const kk of [Math.round(Math.sqrt(novel.length / 15)), Math.round(Math.sqrt(novel.length / 4))])
      clusterCandidates(novel, Math.max(2, Math.min(MAX_CLUSTERS, kk)));

  // Groups started from the most distinctive words: a word already in an earlier such group's
  // rule would start the same group again.
  const started = new Set<string>();
  for (const [t] of [...zAll]
    .filter(([t, z]) => z >= RULE_Z && !t.includes(" ") && vocab.has(t))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, SEEDS)) {
    if (started.has(t)) continue;
    for (const line of seededCandidate(t) ?? []) started.add(line);
  }

  // Distinctive terms of the uncovered comments as a whole that no cluster's rule holds.
  const inRules = new Set(candidates.flatMap((c) => c.rule.split("\n")));
  const distinctive = [...zAll]
    .filter(([t, z]) => z > 3 && (uDf.get(t) ?? 0) >= minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10);
  for (const [t, z] of distinctive) {
    if (inRules.has(ruleLine(t, surface))) continue;
    const matched = new Set<number>();
    uDocs.forEach((d, i) => {
      if (d.terms.has(t)) matched.add(i);
    });
    // Already mostly what a candidate matches: not a new theme.
    const overlap = Math.max(
      0,
      ...candidates.map((c) => {
        const m = new Set(c.matched);
        let both = 0;
        for (const i of matched) if (m.has(uIdx[i] as number)) both++;
        return both / matched.size;
      }),
    );
    if (overlap > 0.6) continue;
    candidates.push(toCandidate([t], matched, [t], Math.min(1, z / 10), null));
  }
  const limit = opts.candidates ?? 12;
  // Best first; a candidate matching mostly what a better one matches is the same theme again.
  const kept: (Candidate & { quality: number })[] = [];
  for (const c of candidates.sort(
    (a, b) => b.matched.length * b.quality - a.matched.length * a.quality || (a.rule < b.rule ? -1 : 1),
  )) {
    if (kept.length >= limit) break;
    const mine = new Set(c.matched);
    const repeats = kept.some((k) => {
      let both = 0;
      for (const i of k.matched) if (mine.has(i)) both++;
      return both >= SAME_THEME * Math.min(mine.size, k.matched.length);
    });
    if (!repeats) kept.push(c);
  }
  return kept.map(({ quality: _q, ...c }) => c);
}
