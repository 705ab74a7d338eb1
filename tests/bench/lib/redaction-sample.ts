/**
 * The hand-labelled sample the redaction bench measures recall and false alarms on (issue 11): the
 * NHS file's own `Person identifiable info?` column is empty, so the team labelled comments itself.
 * Which comments were labelled is decided here, by rules that know nothing of the redactor:
 *
 * - `random`: 600 comments drawn uniformly at random (a fixed-seed shuffle of every comment with text,
 *   in file order, first 600), for figures that stand for the whole file;
 * - `screen`: names are rare, so to find more of them to check recall on, every comment with
 *   (a) a capitalised word ("Sarah", "Bishop") that is not the text's first word and does not follow
 *   . ! ? : ; " or a line break, or
 *   (b) a capitalised word anywhere that the file never writes in small letters ("Tina" at a
 *   sentence's start; "Tremendous" too, since nobody wrote "tremendous").
 *   It is a screen for candidates, not a label; the labels are in ../data/redaction-labels.csv.
 */
import type { NhsComment } from "./nhs-comments.js";

export const SAMPLE_SEED = 11;
export const SAMPLE_SIZE = 600;

/** mulberry32: a small, well-known seeded generator, so the sample is the same on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The ids of a uniform random sample of `size` comments (Fisher-Yates with the seeded generator). */
export function randomSample(
  comments: readonly NhsComment[],
  size = SAMPLE_SIZE,
  seed = SAMPLE_SEED,
): string[] {
  const ids = comments.map((c) => c.id);
  const next = seeded(seed);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
  }
  return ids.slice(0, size);
}

// A capitalised word: a capital then small letters, not inside another word.
const CAPITALISED = /(?<![\w'])[A-Z][a-z]+\b/g;

/** Whether the comment has a capitalised word that is not where a sentence starts. */
export function passesScreen(text: string): boolean {
  for (const m of text.matchAll(CAPITALISED)) {
    const before = text.slice(0, m.index).trimEnd();
    if (before !== "" && !/[.!?:;"\n]$/.test(before)) return true;
  }
  return false;
}

/** Whether the comment has a capitalised word whose small-letter form is not in `lowerWords`. */
export function hasRareCapitalised(text: string, lowerWords: ReadonlySet<string>): boolean {
  for (const m of text.matchAll(CAPITALISED)) if (!lowerWords.has(m[0].toLowerCase())) return true;
  return false;
}

export function screenSample(comments: readonly NhsComment[]): string[] {
  const lowerWords = new Set<string>();
  for (const c of comments) for (const m of c.text.matchAll(/\b[a-z][a-z']*\b/g)) lowerWords.add(m[0]);
  return comments
    .filter((c) => passesScreen(c.text) || hasRareCapitalised(c.text, lowerWords))
    .map((c) => c.id);
}
