/**
 * What one questionnaire page can post. The server's body parser refuses a form with more fields or
 * bytes than these (server/app.ts takes its limits from here), and a refused form loses what the
 * respondent typed, so a definition whose page could exceed them is refused when it is loaded
 * (analysis/definition.ts), not discovered by a resident.
 */
export const FORM_LIMITS = {
  /** Fields (name=value pairs, one per ticked checkbox) in one posted form. */
  fields: 300,
  /** Bytes of one posted form, as sent (percent-encoded). */
  bytes: 100 * 1024,
} as const;

/**
 * The worst case for one character of typed text: up to 4 bytes of UTF-8 (an emoji), each sent as
 * "%XX", 3 bytes. 10,000 emoji in a 10,000-character box are 120,000 bytes.
 */
export const BYTES_PER_TYPED_CHARACTER = 12;
/** An option code or a typed number: at most 40 characters of [a-z0-9_-] or digits. */
const SHORT_VALUE_BYTES = 40;
/** The CSRF token and the (empty) honeypot field, with their names, generously. */
const FIXED_FIELDS = { fields: 2, bytes: 400 };
/** An "Other, please specify" box holds at most this many characters (analysis/answer-checks.ts). */
const OTHER_TEXT_CHARACTERS = 200;

export interface PageField {
  name: string;
  /** How many times the field can be sent: one per option for a checkbox list. */
  repeats: number;
  /** Most bytes one value can take, as sent. */
  valueBytes: number;
}

/** The worst case of a page's fields: how many name=value pairs, and how many bytes. */
export function worstCase(fields: readonly PageField[]): { fields: number; bytes: number } {
  let count = FIXED_FIELDS.fields;
  let bytes = FIXED_FIELDS.bytes;
  for (const f of fields) {
    count += f.repeats;
    // name=value& for each time it is sent; names are [a-z0-9-] and need no encoding.
    bytes += f.repeats * (f.name.length + 2 + f.valueBytes);
  }
  return { fields: count, bytes };
}

export const fieldBytes = {
  code: SHORT_VALUE_BYTES,
  number: SHORT_VALUE_BYTES,
  text: (characters: number) => characters * BYTES_PER_TYPED_CHARACTER,
  other: OTHER_TEXT_CHARACTERS * BYTES_PER_TYPED_CHARACTER,
};
