/**
 * Removes personal data from free text before it is published (the summary report quotes every
 * comment). Respondents write email addresses, phone numbers and postcodes into comment boxes,
 * and the privacy notice promises that what they say is published without anything that
 * identifies them. Pure string functions: no I/O, deterministic, safe to run twice.
 *
 * What is removed, in this order (emails first, because they can hold digits and dots):
 * - email addresses -> "[email removed]"
 * - UK phone numbers: 01, 02, 03, 07 and 08 numbers of 10 or 11 digits, with or without spaces,
 *   dashes, dots or brackets round the area code, and the same numbers written +44 / 0044, with or
 *   without "(0)", and any other country's number written with its + code -> "[phone number removed]"
 * - UK postcodes in full (outward and inward code, "LE3 8RA", "le38ra") -> "[postcode removed]";
 *   an outward code alone ("LE3") names a district, not a household, so it stays
 * - any other run of 8 or more digits (account, reference or card numbers), or 9 or more in groups
 *   of 3 to 5 -> "[number removed]"; amounts of money (£, $, €) and ranges ("2014-2018") stay
 *
 * Formats: Ofcom's UK numbering plan (https://www.ofcom.org.uk/phones-and-broadband/phone-numbers)
 * and the Royal Mail postcode format (https://www.gov.uk/government/publications/bulk-data-transfer-for-sponsors-xml-schema
 * describes it as "A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA").
 */

import { emailSpans, foreignPhoneSpans, replaceSpans } from "./redaction-scanners.js";

export const EMAIL_REMOVED = "[email removed]";
export const PHONE_REMOVED = "[phone number removed]";
export const POSTCODE_REMOVED = "[postcode removed]";
export const NUMBER_REMOVED = "[number removed]";

export interface RedactionCounts {
  emails: number;
  phones: number;
  postcodes: number;
  numbers: number;
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

/** The text with personal data replaced, and how many of each kind were removed. */
export function redactWithCounts(text: string): { text: string; counts: RedactionCounts } {
  const counts: RedactionCounts = { emails: 0, phones: 0, postcodes: 0, numbers: 0 };
  let out = replaceSpans(text, emailSpans(text), EMAIL_REMOVED, (n) => {
    counts.emails += n;
  });
  out = out.replace(PHONE, (match) => {
    if (!isUkPhone(match)) return match;
    counts.phones++;
    return PHONE_REMOVED;
  });
  out = replaceSpans(out, foreignPhoneSpans(out), PHONE_REMOVED, (n) => {
    counts.phones += n;
  });
  out = out.replace(POSTCODE, (match, _outward: string, inward: string) => {
    if (isOrdinal(inward)) return match;
    counts.postcodes++;
    return POSTCODE_REMOVED;
  });
  out = out.replace(LONG_NUMBER, (match) => {
    if (digitsIn(match).length < 8 || (/[ -]/.test(match) && digitsIn(match).length < 9)) return match;
    counts.numbers++;
    return NUMBER_REMOVED;
  });
  return { text: out, counts };
}

/** The text with email addresses, UK phone numbers, postcodes and long numbers removed. */
export function redact(text: string): string {
  return redactWithCounts(text).text;
}
