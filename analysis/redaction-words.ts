/**
 * Words read one at a time with their offsets, for the redaction rules that look at a few words
 * together (a title and the name after it, a house number and the street after it). One pass over
 * the text with a pattern that matches a single token at a time, so the cost is linear.
 */

export interface Word {
  text: string;
  start: number;
  end: number;
}

// A word (letters with inner apostrophes and hyphens), a number with any letters glued to it
// ("12a", "3rd"), or any single other character that is not a space.
const TOKEN = /[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’-]*|\d+[A-Za-z]*|[^\sA-Za-z\d]/g;

export function words(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(TOKEN)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** "Smith", "O'Neill", "McDonald", "Anne-Marie": a capital then at least one small letter. */
export function isCapitalised(word: string): boolean {
  const first = word[0];
  const second = word[1];
  if (first === undefined || second === undefined) return false;
  return first !== first.toLowerCase() && word !== word.toUpperCase();
}
