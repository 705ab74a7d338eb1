/**
 * The parts of redaction that a single regular expression would do in more than linear time, done
 * as scans instead (issue 8: the public report quoted 200 crafted 2,000-character comments and
 * one request took 8 s).
 *
 * - An e-mail pattern whose local part may start anywhere is tried from every position of a long
 *   run of letters and reads the rest of the run each time: the square of the comment's length.
 *   Here each "@" is found once and the address is read outwards from it, so each character is
 *   read at most twice (leftwards from the next "@", rightwards from the one before).
 * - A pattern for "+33 1 23 45 67 89" that splits digits into groups of 1 to 4 tries every split
 *   of a long run of digits before it gives up. Here the digits are read once from the "+".
 *
 * Spans are [start, end) offsets into the text, in order and not overlapping.
 */

export type Span = [start: number, end: number];

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isLetter = (c: string | undefined) =>
  c !== undefined && ((c >= "A" && c <= "Z") || (c >= "a" && c <= "z"));
const isAlnum = (c: string | undefined) => isDigit(c) || isLetter(c);
/** What `\w` matches without the u flag. */
const isWord = (c: string | undefined) => isAlnum(c) || c === "_";
const isLocalChar = (c: string | undefined) => isAlnum(c) || (c !== undefined && "._%+'-".includes(c));
const isDomainChar = (c: string | undefined) => isAlnum(c) || c === "." || c === "-";

/**
 * The length of the domain at the start of `run` (letters, digits, dots and hyphens), 0 when there
 * is none: labels joined by dots, the first starting and ending with a letter or digit, the last
 * starting with two or more letters (the address ends where they do). As many labels as fit.
 */
function domainLength(run: string): number {
  const labels = run.split(".");
  const first = labels[0] ?? "";
  if (first === "" || !isAlnum(first[0]) || !isAlnum(first[first.length - 1])) return 0;
  let best = 0;
  let offset = first.length;
  for (let j = 1; j < labels.length; j++) {
    const label = labels[j] ?? "";
    let letters = 0;
    while (isLetter(label[letters])) letters++;
    if (letters >= 2) best = offset + 1 + letters;
    if (label === "") break; // ".." ends the domain
    offset += 1 + label.length;
  }
  return best;
}

/**
 * E-mail addresses as people write them: a local part starting with a letter or digit, "@", and a
 * domain with a dot and a two-letter or longer ending ("o'neill@example.ie", "a+b@mail.co.uk").
 */
export function emailSpans(text: string): Span[] {
  const spans: Span[] = [];
  let searchedTo = 0; // the end of the last address: the next one cannot start before it
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    let start = at;
    while (start > searchedTo && isLocalChar(text[start - 1])) start--;
    while (start < at && !isAlnum(text[start])) start++;
    if (start === at) continue;
    let runEnd = at + 1;
    while (runEnd < text.length && isDomainChar(text[runEnd])) runEnd++;
    const domain = domainLength(text.slice(at + 1, runEnd));
    if (domain === 0) continue;
    spans.push([start, at + 1 + domain]);
    searchedTo = at + 1 + domain;
  }
  return spans;
}

/** What may stand between two groups of digits: `)`, one separator, `(`, each optional, in that order. */
const GAP = /^\)?[ \t.-]?\(?$/;

/**
 * Another country's number written with its + code ("+33 1 23 45 67 89", "+1 (212) 555-0123"):
 * "+" not glued to a word or another "+", not followed by 44 (UK numbers are found with the UK
 * formats), a digit 1-9, then digits in groups. The longest stretch with 8 to 15 digits (ITU-T
 * E.164) that ends on a digit or ")" not followed by a letter, digit or underscore.
 */
export function foreignPhoneSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (let plus = text.indexOf("+"); plus !== -1; plus = text.indexOf("+", plus + 1)) {
    const before = text[plus - 1];
    if (isWord(before) || before === "+") continue;
    const first = text[plus + 1];
    if (!isDigit(first) || first === "0" || text.startsWith("44", plus + 1)) continue;
    let digits = 0;
    let gap = "";
    let end = -1;
    for (let i = plus + 1; i < text.length; i++) {
      const c = text[i] as string;
      if (isDigit(c)) {
        if (++digits > 15) break;
        gap = "";
      } else {
        gap += c;
        if (!GAP.test(gap)) break;
      }
      const endsGroup = isDigit(c) || c === ")";
      if (endsGroup && digits >= 8 && !isWord(text[i + 1])) end = i + 1;
    }
    if (end !== -1) {
      spans.push([plus, end]);
      plus = end - 1;
    }
  }
  return spans;
}

/** The text with each span replaced; `counted` is told how many were. */
export function replaceSpans(
  text: string,
  spans: readonly Span[],
  replacement: string,
  counted: (n: number) => void,
): string {
  if (spans.length === 0) return text;
  let out = "";
  let from = 0;
  for (const [start, end] of spans) {
    out += text.slice(from, start) + replacement;
    from = end;
  }
  counted(spans.length);
  return out + text.slice(from);
}
