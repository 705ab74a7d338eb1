import { stems } from "./tokens.js";

/**
 * The most typical comments of a theme: those closest (by cosine similarity of their stemmed word
 * counts, each word counted once per comment) to the theme's centroid, so the quotes shown for a
 * theme say what most of its comments say rather than the longest or the newest. Ties go to the
 * earlier comment, so the choice is stable. Linear in the total length of the comments. A comment
 * may bring its stemmed words already worked out (`words`), so a caller can keep them between calls.
 */
export function mostTypical<T extends { text: string; words?: ReadonlySet<string> }>(
  comments: readonly T[],
  k: number,
): T[] {
  if (comments.length <= k) return [...comments];
  const vectors = comments.map((c) => c.words ?? new Set(stems(c.text)));
  const centroid = new Map<string, number>();
  for (const v of vectors) for (const w of v) centroid.set(w, (centroid.get(w) ?? 0) + 1);
  let norm = 0;
  for (const x of centroid.values()) norm += x * x;
  const scored = vectors.map((v, i) => {
    let dot = 0;
    for (const w of v) dot += centroid.get(w) ?? 0;
    const score = v.size === 0 || norm === 0 ? 0 : dot / (Math.sqrt(v.size) * Math.sqrt(norm));
    return { i, score };
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.slice(0, k).map((s) => comments[s.i] as T);
}
