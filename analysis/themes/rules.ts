import { stems } from "./tokens.js";

/**
 * Theme rules: keyword and phrase rules matched on stemmed words. One rule is a line such as
 *
 *   volunteer "voluntary sector" -paid
 *
 * and matches a comment that has every word (in any form: "volunteers", "volunteering"), every
 * quoted phrase (its words next to each other, in order), and none of the -excluded words or
 * -"phrases". A theme's rules are one per line (or separated by ";"); a comment matching any of
 * them matches the theme. Parsing is a single pass over the characters and matching a pass over
 * the comment's words per term, so neither can be made slow by what an officer or a respondent types.
 */
export interface RuleTerm {
  /** The words as typed, lower-cased (for full-text search). */
  words: string[];
  /** Their stems, which must occur next to each other, in this order. */
  stems: string[];
}

export interface Rule {
  source: string;
  include: RuleTerm[];
  exclude: RuleTerm[];
}

export type RulesParse = { ok: true; rules: Rule[] } | { ok: false; error: string };

export const RULE_LIMITS = { rules: 20, terms: 12, phraseWords: 8, length: 2000 } as const;

/** Split a theme's rules text into its rules: one per line, or separated by ";". */
function lines(text: string): string[] {
  return text
    .split(/[;\n\r]/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

function term(raw: string): RuleTerm {
  const words = raw
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== "");
  return { words, stems: stems(raw) };
}

/** Parse one rule line, or say what is wrong with it in words an officer can act on. */
export function parseRule(source: string): { ok: true; rule: Rule } | { ok: false; error: string } {
  const include: RuleTerm[] = [];
  const exclude: RuleTerm[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i] ?? "";
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let negative = false;
    if (c === "-") {
      negative = true;
      i++;
      if (i >= n || /\s/.test(source[i] ?? "")) {
        return {
          ok: false,
          error: `In "${source}", put the word to leave out straight after the minus sign`,
        };
      }
    }
    let raw: string;
    let quoted = false;
    if (source[i] === '"') {
      const close = source.indexOf('"', i + 1);
      if (close < 0)
        return { ok: false, error: `In "${source}", close the quoted phrase with a second quotation mark` };
      raw = source.slice(i + 1, close);
      quoted = true;
      i = close + 1;
    } else {
      let j = i;
      while (j < n && !/\s/.test(source[j] ?? "") && source[j] !== '"') j++;
      raw = source.slice(i, j);
      i = j;
    }
    const t = term(raw);
    if (t.stems.length === 0)
      return {
        ok: false,
        error: quoted
          ? `In "${source}", the quoted phrase has no words to match`
          : `In "${source}", "${raw}" has no letters or digits to match`,
      };
    if (t.stems.length > RULE_LIMITS.phraseWords)
      return {
        ok: false,
        error: `In "${source}", a phrase can have at most ${RULE_LIMITS.phraseWords} words`,
      };
    (negative ? exclude : include).push(t);
    if (include.length + exclude.length > RULE_LIMITS.terms)
      return { ok: false, error: `"${source}" has more than ${RULE_LIMITS.terms} words and phrases` };
  }
  if (include.length === 0)
    return {
      ok: false,
      error: `"${source}" only leaves words out: add a word or "phrase" that comments must contain`,
    };
  return { ok: true, rule: { source, include, exclude } };
}

/** Parse a theme's rules (blank is no rules). */
export function parseRules(text: string): RulesParse {
  if (text.length > RULE_LIMITS.length)
    return { ok: false, error: `Rules must be ${RULE_LIMITS.length} characters or fewer` };
  const rules: Rule[] = [];
  const all = lines(text);
  if (all.length > RULE_LIMITS.rules)
    return { ok: false, error: `A theme can have at most ${RULE_LIMITS.rules} rules` };
  for (const line of all) {
    const parsed = parseRule(line);
    if (!parsed.ok) return parsed;
    rules.push(parsed.rule);
  }
  return { ok: true, rules };
}

/** The rules written back as text, one per line. */
export function rulesText(rules: readonly Rule[]): string {
  return rules.map((r) => r.source).join("\n");
}

/** Whether a comment's stems hold a term: its stems next to each other, in order. */
function holds(words: readonly string[], present: ReadonlySet<string>, t: RuleTerm): boolean {
  const [first, ...rest] = t.stems;
  if (first === undefined) return false;
  if (!present.has(first)) return false;
  if (rest.length === 0) return true;
  for (let k = 0; k + t.stems.length <= words.length; k++) {
    let all = true;
    for (let m = 0; m < t.stems.length && all; m++) all = words[k + m] === t.stems[m];
    if (all) return true;
  }
  return false;
}

/** Whether one rule matches a comment given as its stems. */
export function ruleMatches(rule: Rule, words: readonly string[], present?: ReadonlySet<string>): boolean {
  const set = present ?? new Set(words);
  return rule.include.every((t) => holds(words, set, t)) && !rule.exclude.some((t) => holds(words, set, t));
}

/** A test for comment texts: does any of the rules match? */
export function matcher(rules: readonly Rule[]): (text: string) => boolean {
  return (text) => {
    const words = stems(text);
    const present = new Set(words);
    return rules.some((r) => ruleMatches(r, words, present));
  };
}

/**
 * An SQLite FTS5 query that finds every comment the rules could match (a superset: each word of
 * each included term, whatever the order), for the database to narrow before the exact test.
 * Each word is a quoted string, so nothing the officer typed is read as FTS5 syntax.
 */
export function searchQuery(rules: readonly Rule[], exact = false): string {
  const quote = (w: string) => `"${w.replace(/"/g, '""')}"`;
  // Exact (a search): phrases as FTS5 phrases, exclusions with NOT. Loose (before the exact test
  // on stems): every word of every included term, which finds at least what the rules match.
  const phrase = (t: RuleTerm) => (exact ? quote(t.words.join(" ")) : t.words.map(quote).join(" AND "));
  return rules
    .map((r) => {
      const wanted = r.include.map(phrase).join(" AND ");
      if (!exact || r.exclude.length === 0) return `(${wanted})`;
      return `((${wanted}) NOT (${r.exclude.map(phrase).join(" OR ")}))`;
    })
    .join(" OR ");
}
