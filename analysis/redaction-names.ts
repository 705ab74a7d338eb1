/**
 * People's names in a comment (issue 11): "I am John Smith", "Dr Howard explained", "my manager
 * Sarah Jones". Two rules, whose spans are joined:
 *
 * - A title and the capitalised words after it ("Mr", "Mrs", "Dr", "Nurse", "Cllr" ...): whatever
 *   follows a title is a name, known to a dictionary or not ("Dr Omonori").
 * - compromise's people() (https://github.com/spencermountain/compromise), which knows first names
 *   and surnames and reads them in context. Its matches are trimmed to their capitalised words,
 *   because it also offers lower-case words ("drew", "heath") and acronyms ("MS", "TIA"), and
 *   dropped when an institution word follows ("James Cook University Hospital").
 *   wink-nlp's English lite model was measured beside it and tagged no person at all, in the
 *   issue's comment or in 4,997 NHS comments, so compromise is the one used.
 *
 * Councillors named in their public role may stay (a consultation setting), as may names the
 * consultation lists (its lead member, the officer who signs the report). Public bodies are not
 * people and are never removed.
 *
 * compromise reads a comment in pieces of at most PIECE characters, cut at sentence ends, so its
 * cost stays proportional to the comment's length.
 */
import { createRequire } from "node:module";
import type Compromise from "compromise";
import type { Span } from "./redaction-scanners.js";
import { isCapitalised, type Word, words } from "./redaction-words.js";

export interface NameRules {
  /** Keep the name after "Cllr" or "Councillor": a councillor acting in their public role. */
  keepPublicRoles: boolean;
  /** Names that stay wherever they appear (compared without regard to case). */
  keptNames: readonly string[];
}

export const DEFAULT_NAME_RULES: NameRules = { keepPublicRoles: false, keptNames: [] };

const TITLES = new Set([
  "mr",
  "mrs",
  "ms",
  "miss",
  "mx",
  "dr",
  "doctor",
  "prof",
  "professor",
  "nurse",
  "sister",
  "matron",
  "midwife",
  "cllr",
  "councillor",
  "rev",
  "reverend",
  "father",
  "sir",
  "dame",
  "lord",
  "lady",
]);
const PUBLIC_ROLES = new Set(["cllr", "councillor"]);
/** Titles written short, which may carry a full stop ("Dr. Patel"); after "nurse." a sentence ends. */
const ABBREVIATED = new Set(["mr", "mrs", "ms", "mx", "dr", "prof", "rev", "cllr"]);

/** Capitalised words that are not names: after a title they are a role, before one a place. */
const NOT_NAMES = new Set([
  "practitioner",
  "specialist",
  "consultant",
  "manager",
  "team",
  "staff",
  "ward",
  "unit",
  "department",
  "hospital",
  "infirmary",
  "university",
  "clinic",
  "centre",
  "center",
  "surgery",
  "practice",
  "trust",
  "council",
  "college",
  "school",
  "house",
  "hall",
  "court",
  "street",
  "road",
  "lane",
  "avenue",
  "park",
  "library",
  "wing",
  "building",
  "foundation",
  "service",
  "services",
  "nhs",
  "who",
  "and",
]);

/**
 * The words of NOT_NAMES that make the capitalised words before them a place or body ("Freeman
 * Hospital", "Parkway Surgery"). Not the joining words and roles: "Michael and Sarah", "Sarah who
 * rang", "Sarah Jones consultant" still name people.
 */
const INSTITUTIONS = new Set(
  [...NOT_NAMES].filter(
    (w) => !["and", "who", "manager", "consultant", "specialist", "practitioner", "staff"].includes(w),
  ),
);

const PIECE = 400;

const lower = (w: Word | undefined) => (w === undefined ? "" : w.text.toLowerCase());
const isTitle = (w: Word | undefined) => TITLES.has(lower(w));
/** "Dr's" is a title too. */
const bare = (w: Word | undefined) => lower(w).replace(/['’]s$/, "");
const isNameWord = (w: Word | undefined) =>
  w !== undefined && isCapitalised(w.text) && !TITLES.has(bare(w)) && !NOT_NAMES.has(lower(w));

/** The index of the word after `i`, stepping over the full stop of "Dr." (not of "nurse."). */
const after = (ws: readonly Word[], i: number) =>
  ws[i + 1]?.text === "." && ABBREVIATED.has(lower(ws[i])) ? i + 2 : i + 1;

interface TitledName {
  span: Span;
  /** After "Cllr" or "Councillor". */
  publicRole: boolean;
}

/** The one to three capitalised words after each title. */
function titledNames(ws: readonly Word[]): TitledName[] {
  const out: TitledName[] = [];
  for (let i = 0; i < ws.length; i++) {
    if (!isTitle(ws[i])) continue;
    const first = after(ws, i);
    let last = first;
    while (last < first + 3 && isNameWord(ws[last])) last++;
    const a = ws[first];
    const b = ws[last - 1];
    if (last === first || a === undefined || b === undefined) continue;
    out.push({ span: [a.start, b.end], publicRole: PUBLIC_ROLES.has(lower(ws[i])) });
    i = last - 1;
  }
  return out;
}

/** Pieces of at most `max` characters, cut after a sentence end or else at a space. */
export function pieces(text: string, max = PIECE): Span[] {
  const out: Span[] = [];
  let start = 0;
  while (text.length - start > max) {
    const window = text.slice(start, start + max);
    let cut = Math.max(window.lastIndexOf(". "), window.lastIndexOf("\n"), window.lastIndexOf("? "));
    if (cut <= 0) cut = window.lastIndexOf(" ");
    const end = cut <= 0 ? start + max : start + cut + 1;
    out.push([start, end]);
    start = end;
  }
  out.push([start, text.length]);
  return out;
}

interface Term {
  text: string;
  offset: { start: number; length: number };
}

/** compromise's people, trimmed to their capitalised words, as spans of `text`. */
let loaded: typeof Compromise | undefined;
/**
 * compromise is loaded on first use, not with this module: it takes about half a second to load,
 * and the server imports redaction on every start for the quick rules, while names are only
 * looked for in worker threads (moderation, the redaction worker) and the CLI.
 */
const nlp = (text: string) => {
  loaded ??= createRequire(import.meta.url)("compromise") as typeof Compromise;
  return loaded(text);
};

function nlpNames(text: string, ws: readonly Word[]): Span[] {
  const spans: Span[] = [];
  const byStart = new Map(ws.map((w, i) => [w.start, i]));
  for (const [from, to] of pieces(text)) {
    const found = nlp(text.slice(from, to))
      .people()
      .json({ offset: true, terms: { offset: true } }) as { terms: Term[] }[];
    for (const person of found) {
      const kept = person.terms
        .map((t) => byStart.get(from + t.offset.start))
        .filter((i): i is number => i !== undefined && isNameWord(ws[i]));
      const firstIndex = kept[0];
      const lastIndex = kept[kept.length - 1];
      if (firstIndex === undefined || lastIndex === undefined) continue;
      if (INSTITUTIONS.has(lower(ws[lastIndex + 1]))) continue; // "Freeman Hospital"
      const a = ws[firstIndex] as Word;
      const b = ws[lastIndex] as Word;
      spans.push([a.start, b.end]);
    }
  }
  return spans;
}

/** Spans sorted, overlapping ones joined. */
export function joinSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  const out: Span[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The spans of `text` that name a person, in order and not overlapping. */
export function nameSpans(text: string, rules: NameRules = DEFAULT_NAME_RULES): Span[] {
  const ws = words(text);
  const kept = new Set(rules.keptNames.map((n) => n.trim().toLowerCase()).filter((n) => n !== ""));
  const titled = titledNames(ws);
  // A councillor's name kept for its title must not be taken again by the dictionary rule.
  const publicRole = rules.keepPublicRoles ? titled.filter((t) => t.publicRole).map((t) => t.span) : [];
  const found = joinSpans([
    ...titled.filter((t) => !(rules.keepPublicRoles && t.publicRole)).map((t) => t.span),
    ...nlpNames(text, ws),
  ]);
  let p = 0; // both lists are in order: one pass over each
  return found.filter(([s, e]) => {
    while (p < publicRole.length && (publicRole[p] as Span)[1] <= s) p++;
    const role = publicRole[p];
    if (role && role[0] < e) return false;
    return !kept.has(text.slice(s, e).toLowerCase());
  });
}
