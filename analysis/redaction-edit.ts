/**
 * An officer's changes to a comment's redaction while moderating (issue 11): keep some of the spans
 * found and drop the others ("Melton Road" is the road the consultation is about, not an address),
 * and remove a phrase the rules missed, wherever it appears in the comment.
 */
import { applyRedactions, REDACTION_KINDS, type Redaction, type RedactionKind } from "./redaction.js";

/** Redactions from their stored form, [start, end, kind]; anything malformed is left out. */
export function fromStored(
  stored: readonly (readonly [number, number, string])[],
  text: string,
): Redaction[] {
  return stored.flatMap(([start, end, kind]) =>
    Number.isInteger(start) &&
    Number.isInteger(end) &&
    start >= 0 &&
    end > start &&
    end <= text.length &&
    REDACTION_KINDS.includes(kind as RedactionKind)
      ? [{ start, end, kind: kind as RedactionKind }]
      : [],
  );
}

export const toStored = (redactions: readonly Redaction[]): [number, number, string][] =>
  redactions.map((r) => [r.start, r.end, r.kind]);

/** Where `phrase` occurs in `text`, ignoring case, as spans that do not overlap one another. */
export function occurrences(text: string, phrase: string): [number, number][] {
  // Case folding that changes a length ("İ") would move the offsets: then match the case as typed.
  const fold = text.toLowerCase().length === text.length && phrase.toLowerCase().length === phrase.length;
  const needle = fold ? phrase.toLowerCase() : phrase;
  const haystack = fold ? text.toLowerCase() : text;
  const out: [number, number][] = [];
  if (needle === "") return out;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length))
    out.push([at, at + needle.length]);
  return out;
}

/**
 * The redactions kept (by their position in `current`), plus every occurrence of `add` (an officer's
 * phrase), where it does not overlap one already kept. In order.
 */
export function editRedactions(
  text: string,
  current: readonly Redaction[],
  keep: ReadonlySet<number>,
  add: string,
): Redaction[] {
  const kept = current.filter((_, i) => keep.has(i));
  const added = occurrences(text, add.trim())
    .filter(([s, e]) => !kept.some((r) => s < r.end && r.start < e))
    .map(([start, end]) => ({ start, end, kind: "manual" as const }));
  return [...kept, ...added].sort((a, b) => a.start - b.start);
}

/** The redacted text of a comment. */
export const redactedText = (text: string, redactions: readonly Redaction[]) =>
  applyRedactions(text, redactions).text;
