/**
 * Street addresses: a house number, one to four words, and a street type ("12 High Street",
 * "3a, Church Lane", "27 St Mary's Road"). A street without a number names a place, not a household,
 * so it stays ("the High Street shops"). The street's words must be capitalised as a name is; in
 * lower case only "street", "road", "lane" and "avenue" count, after one or two words, so that "5
 * minutes down the road" or "a 10 minute walk" stay.
 */
import type { Span } from "./redaction-scanners.js";
import { isCapitalised, type Word, words } from "./redaction-words.js";

const STREET_TYPES = new Set([
  "street",
  "st",
  "road",
  "rd",
  "lane",
  "ln",
  "avenue",
  "ave",
  "close",
  "drive",
  "way",
  "crescent",
  "court",
  "place",
  "gardens",
  "grove",
  "terrace",
  "walk",
  "row",
  "square",
  "mews",
  "rise",
  "hill",
  "parade",
  "boulevard",
  "gate",
  "green",
  "view",
  "chase",
  "croft",
  "wharf",
  "vale",
]);
const PLAIN_STREET_TYPES = new Set(["street", "road", "lane", "avenue"]);
/** Words that make a number a quantity rather than a house ("5 minutes down the road"). */
const QUANTITIES = new Set(["minute", "minutes", "min", "mins", "hour", "hours", "mile", "miles", "mph"]);

const HOUSE_NUMBER = /^\d{1,4}[A-Za-z]?$/;
const isWord = (w: Word | undefined): w is Word => w !== undefined && /^[A-Za-z]/.test(w.text);

/** The index of the street type that ends an address starting at house number `i`, or -1. */
function streetEnd(ws: readonly Word[], i: number): number {
  const first = ws[i + 1]?.text === "," ? i + 2 : i + 1;
  for (let k = first + 1; k < first + 5; k++) {
    const type = ws[k];
    if (!isWord(type)) return -1;
    const name = ws.slice(first, k);
    if (!name.every(isWord)) return -1;
    const typeWord = type.text.toLowerCase();
    if (!STREET_TYPES.has(typeWord)) continue;
    if (name.every((w) => isCapitalised(w.text) || w.text === "St") && /^[A-Z]/.test(type.text)) return k;
    const plain = name.every((w) => w.text === w.text.toLowerCase()) && type.text === typeWord;
    if (plain && PLAIN_STREET_TYPES.has(typeWord) && name.length <= 2 && !QUANTITIES.has(name[0]?.text ?? ""))
      return k;
  }
  return -1;
}

/** The spans of `text` that hold a house number and its street, in order and not overlapping. */
export function addressSpans(text: string): Span[] {
  const ws = words(text);
  const spans: Span[] = [];
  for (let i = 0; i < ws.length; i++) {
    const number = ws[i] as Word;
    if (!HOUSE_NUMBER.test(number.text)) continue;
    const end = streetEnd(ws, i);
    if (end === -1) continue;
    spans.push([number.start, (ws[end] as Word).end]);
    i = end;
  }
  return spans;
}
