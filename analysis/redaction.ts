/**
 * Removes personal data from free text before it is published (the summary report quotes every
 * comment). Respondents write email addresses, phone numbers and postcodes into comment boxes,
 * and the privacy notice promises that what they say is published without anything that
 * identifies them. Pure string functions: no I/O, deterministic, safe to run twice.
 *
 * What is removed, in this order (emails first, because they can hold digits and dots; each kind is
 * looked for in the original text, and a later kind's find that overlaps an earlier one is dropped):
 * - email addresses -> "[email removed]"
 * - UK phone numbers: 01, 02, 03, 07 and 08 numbers of 10 or 11 digits, with or without spaces,
 *   dashes, dots or brackets round the area code, and the same numbers written +44 / 0044, with or
 *   without "(0)", and any other country's number written with its + code -> "[phone number removed]"
 * - UK postcodes in full (outward and inward code, "LE3 8RA", "le38ra") -> "[postcode removed]";
 *   an outward code alone ("LE3") names a district, not a household, so it stays
 * - any other run of 8 or more digits (account, reference or card numbers), or 9 or more in groups
 *   of 3 to 5 -> "[number removed]"; amounts of money (£, $, €) and ranges ("2014-2018") stay
 * - a house number and its street ("12 High Street") -> "[address removed]" (redaction-addresses.ts)
 * - people's names, after a title or known to compromise ("Dr Howard", "Sarah Jones") ->
 *   "[name removed]" (redaction-names.ts); councillors in their public role may stay
 *
 * Names need a language model (about 2 ms for a short comment, seconds for a very long one), so
 * callers on the request path redact ahead of time, off the request path, or use QUICK;
 * (`names: false`), the cheap rules only.
 *
 * Formats: Ofcom's UK numbering plan (https://www.ofcom.org.uk/phones-and-broadband/phone-numbers)
 * and the Royal Mail postcode format (https://www.gov.uk/government/publications/bulk-data-transfer-for-sponsors-xml-schema
 * describes it as "A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA").
 */

import { addressSpans } from "./redaction-addresses.js";
import { DEFAULT_NAME_RULES, type NameRules, nameSpans } from "./redaction-names.js";
import { emailSpans, foreignPhoneSpans, type Span } from "./redaction-scanners.js";

export type { NameRules } from "./redaction-names.js";

export const EMAIL_REMOVED = "[email removed]";
export const PHONE_REMOVED = "[phone number removed]";
export const POSTCODE_REMOVED = "[postcode removed]";
export const NUMBER_REMOVED = "[number removed]";
export const ADDRESS_REMOVED = "[address removed]";
export const NAME_REMOVED = "[name removed]";
/** What an officer removed by hand while moderating. */
export const TEXT_REMOVED = "[removed]";

export type RedactionKind = "email" | "phone" | "postcode" | "number" | "address" | "name" | "manual";
export const REDACTION_KINDS: readonly RedactionKind[] = [
  "email",
  "phone",
  "postcode",
  "number",
  "address",
  "name",
  "manual",
];

const MARKERS: Record<RedactionKind, string> = {
  email: EMAIL_REMOVED,
  phone: PHONE_REMOVED,
  postcode: POSTCODE_REMOVED,
  number: NUMBER_REMOVED,
  address: ADDRESS_REMOVED,
  name: NAME_REMOVED,
  manual: TEXT_REMOVED,
};

export interface RedactionCounts {
  emails: number;
  phones: number;
  postcodes: number;
  numbers: number;
  addresses: number;
  names: number;
  /** Removed by an officer. */
  manual?: number;
}

/** A stretch of the original text to be removed, and what it is. */
export interface Redaction {
  start: number;
  end: number;
  kind: RedactionKind;
}

export interface RedactionOptions {
  /** Look for people's names (compromise plus the title rule); off for the cheap rules only. */
  names?: boolean;
  nameRules?: NameRules;
}
// A candidate phone number: a UK prefix (+44 (0)116 / 0044 7700, or 0116 / (0116) / 07700 / 020),
// then one to three digit groups joined by one separator at most, not glued to a word or another
// number. The digit count is checked afterwards (national 10 or 11 digits with the 0; 9 or 10
// after +44). Each part is bounded, so each position is tried in constant time.
const PHONE =
  /(?<![\w+])(?:(?:\+|00)[ \t.-]?44[ \t.-]?(?:\(0\)[ \t.-]?)?\(?[1-9]\d{1,4}\)?|\(?0[1-378]\d{1,4}\)?)(?:[ \t.-]?\d{2,4}){1,3}(?!\w)/g;

// Outward code: A9, A99, AA9, AA99, A9A, AA9A; inward code: 9AA (inward letters never C I K M O V).
const POSTCODE =
  /(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]?)[ \t]*(\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})(?![A-Za-z0-9])/g;

// 8 or more digits in a row, or 9 or more in three or more groups of 3 to 5 joined by single spaces
// or dashes (card, account and NHS numbers). Money and two-group ranges such as "2014-2018" stay.
const LONG_NUMBER = /(?<![\w£$€.,])(?:\d{8,}|\d{2,5}(?:[ -]\d{3,5}){2,})(?![\w])/g;

const digitsIn = (s: string) => s.replace(/\D/g, "");

function isUkPhone(candidate: string): boolean {
  const digits = digitsIn(candidate);
  const international = /^\s*(?:\+|00)/.test(candidate);
  if (international) {
    // After the country code, a (0) trunk prefix may be written but is not dialled.
    const national = digits.replace(/^(?:00)?44/, "").replace(/^0/, "");
    return national.length >= 9 && national.length <= 10 && /^[1-378]/.test(national);
  }
  return digits.length >= 10 && digits.length <= 11 && /^0[1-378]/.test(digits);
}

/** "3rd", "2nd": an ordinal after a road name ("the A6 3rd exit") is not a postcode. */
function isOrdinal(inward: string): boolean {
  return /^\d(?:st|nd|rd|th)$/.test(inward);
}

/**
 * The rules that need no language model, for a page built while a resident waits. Names are found
 * ahead of time, off the request path, for comments that are published (see the top of this file).
 */
export const QUICK: RedactionOptions = Object.freeze({ names: false });

const matchSpans = (text: string, pattern: RegExp, keep: (m: RegExpExecArray) => boolean): Span[] =>
  [...text.matchAll(pattern)].filter(keep).map((m) => [m.index, m.index + m[0].length]);

/**
 * What to remove from `text`, found kind by kind in the order above, each kind on the original text;
 * a later kind's span that overlaps an earlier one is dropped. In order and not overlapping.
 */
export function findRedactions(text: string, options: RedactionOptions = {}): Redaction[] {
  let found: Redaction[] = [];
  // Each kind's spans are in order, as is `found`: one pass over both keeps those that overlap nothing.
  const add = (kind: RedactionKind, spans: readonly Span[]) => {
    const added: Redaction[] = [];
    let j = 0;
    for (const [start, end] of spans) {
      while (j < found.length && (found[j] as Redaction).end <= start) j++;
      const next = found[j];
      if (!next || next.start >= end) added.push({ start, end, kind });
    }
    if (added.length > 0) found = [...found, ...added].sort((a, b) => a.start - b.start);
  };
  add("email", emailSpans(text));
  add(
    "phone",
    matchSpans(text, PHONE, (m) => isUkPhone(m[0])),
  );
  add("phone", foreignPhoneSpans(text));
  add(
    "postcode",
    matchSpans(text, POSTCODE, (m) => !isOrdinal(m[2] ?? "")),
  );
  add(
    "number",
    matchSpans(text, LONG_NUMBER, (m) => {
      const digits = digitsIn(m[0]).length;
      return digits >= 8 && !(/[ -]/.test(m[0]) && digits < 9);
    }),
  );
  add("address", addressSpans(text));
  if (options.names !== false) add("name", nameSpans(text, options.nameRules ?? DEFAULT_NAME_RULES));
  return found;
}

/** The text with each redaction replaced by its marker, and how many of each kind there were. */
export function applyRedactions(
  text: string,
  redactions: readonly Redaction[],
): { text: string; counts: RedactionCounts } {
  const counts: RedactionCounts = { emails: 0, phones: 0, postcodes: 0, numbers: 0, addresses: 0, names: 0 };
  const key: Record<RedactionKind, keyof RedactionCounts> = {
    email: "emails",
    phone: "phones",
    postcode: "postcodes",
    number: "numbers",
    address: "addresses",
    name: "names",
    manual: "manual",
  };
  let out = "";
  let from = 0;
  for (const r of [...redactions].sort((a, b) => a.start - b.start)) {
    if (r.start < from) continue; // overlaps the one before: already removed
    out += text.slice(from, r.start) + MARKERS[r.kind];
    counts[key[r.kind]] = (counts[key[r.kind]] ?? 0) + 1;
    from = r.end;
  }
  return { text: out + text.slice(from), counts };
}

/** The text with personal data replaced, and how many of each kind were removed. */
export function redactWithCounts(
  text: string,
  options: RedactionOptions = {},
): { text: string; counts: RedactionCounts } {
  return applyRedactions(text, findRedactions(text, options));
}

/** The text with names, street addresses, e-mail addresses, phone numbers, postcodes and long numbers removed. */
export function redact(text: string, options: RedactionOptions = {}): string {
  return redactWithCounts(text, options).text;
}
