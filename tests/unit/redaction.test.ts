import { describe, expect, it } from "vitest";
import {
  NAME_REMOVED,
  EMAIL_REMOVED,
  NUMBER_REMOVED,
  PHONE_REMOVED,
  POSTCODE_REMOVED,
  redact,
  redactWithCounts,
} from "../../analysis/redaction.js";

const E = EMAIL_REMOVED;
const P = PHONE_REMOVED;
const PC = POSTCODE_REMOVED;
const N = NUMBER_REMOVED;
const NAME = NAME_REMOVED;

describe("redact: email addresses", () => {
  it.each([
    ["Contact me at jo.bloggs@example.com please", `Contact me at ${E} please`],
    ["byron.vincent@leics.gov.uk", E],
    ["JO_BLOGGS+consult@Mail.Example.CO.UK.", `${E}.`],
    ["(pat@parish-council.org.uk)", `(${E})`],
    ["emails: a@b.io, c.d@e-f.net", `emails: ${E}, ${E}`],
    ["o'neill@example.ie wrote", `${E} wrote`],
    ["my email is 07700900123@sms.example.com", `my email is ${E}`],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("leaves @mentions, 'at' signs in prices and half addresses alone", () => {
    for (const text of ["follow @LeicsCountyHall", "2 @ £5 each", "name@localhost", "user@", "@example.com"])
      expect(redact(text)).toBe(text);
  });
});

describe("redact: UK phone numbers", () => {
  it.each([
    ["Tel 0116 305 7123", `Tel ${P}`],
    ["Tel: 0116 305 6185,", `Tel: ${P},`],
    ["call 01163057123 today", `call ${P} today`],
    ["0116-305-7123", P],
    ["0116.305.7123", P],
    ["(0116) 305 7123", P],
    ["020 7946 0018", P],
    ["02079460018", P],
    ["01632 960961", P],
    ["01632 960 961", P],
    ["029 2018 0123 (Cardiff)", `${P} (Cardiff)`],
    ["0300 123 4567", P],
    ["0345 678 9012", P],
    ["0800 123 4567", P],
    ["mobile 07700 900123", `mobile ${P}`],
    ["07700900123", P],
    ["07700 900 123", P],
    ["07700-900-123.", `${P}.`],
    ["+44 116 305 7123", P],
    ["+44 (0)116 305 7123", P],
    ["+44(0)1163057123", P],
    ["+447700900123", P],
    ["+44 7700 900123", P],
    ["0044 7700 900123", P],
    ["+44 20 7946 0018", P],
    ["ring 0116 305 7123 or 07700 900123", `ring ${P} or ${P}`],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("leaves years, amounts, dates, times and short numbers alone", () => {
    for (const text of [
      "from 2014 to 2018",
      "about £550m, of which £354m is spent with suppliers",
      "on 15/01/2015",
      "on 01 02 2015",
      "at 10:30",
      "page 012",
      "a 0-9 scale",
      "0116 on its own",
      "52% of 43",
      "version 1.0.2",
      "+44 is the UK code",
    ])
      expect(redact(text)).toBe(text);
  });

  it("removes another country's number written with its + code too", () => {
    expect(redact("+33 1 23 45 67 89")).toBe(P);
    expect(redact("call +1 212 555 0123.")).toBe(`call ${P}.`);
    expect(redact("+353 1 234 5678")).toBe(P);
    expect(redact("+1 2")).toBe("+1 2");
  });
});

describe("redact: UK postcodes", () => {
  it.each([
    ["I live at LE3 8RA.", `I live at ${PC}.`],
    ["County Hall, Glenfield, LE3 8RA", `County Hall, Glenfield, ${PC}`],
    ["le38ra", PC],
    ["le3 8ra", PC],
    ["M1 1AE", PC],
    ["B33 8TH", PC],
    ["CR2 6XH", PC],
    ["DN55 1PT", PC],
    ["W1A 0AX", PC],
    ["EC1A 1BB", PC],
    ["SW1A 2AA and LE11 3TU", `${PC} and ${PC}`],
    ["(NG1 5FS)", `(${PC})`],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("leaves outward codes alone, and words, road numbers and ordinals that only look like postcodes", () => {
    for (const text of [
      "everyone in LE3 knows",
      "the A6 and M1 roads",
      "take the A6 3rd exit",
      "on the M1 2nd junction",
      "COVID19 recovery",
      "B2B services",
      "SEND provision",
      "a 1 in 3 chance",
      "Q1 2015 figures",
      "LE3 8CI",
    ])
      expect(redact(text)).toBe(text);
  });
});

describe("redact: long runs of digits", () => {
  it.each([
    ["my account number is 12345678", `my account number is ${N}`],
    ["ref 1234 5678 9012 3456", `ref ${N}`],
    ["card 4111-1111-1111-1111 expired", `card ${N} expired`],
    ["NHS number 943 476 5919", `NHS number ${N}`],
    ["12345678901234567890", N],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("keeps amounts of money, short numbers and numbers with separators", () => {
    for (const text of [
      "£12345678 budget",
      "$1000000000",
      "€99999999",
      "1,000,000 residents",
      "1234567",
      "3.14159265358",
      "2014-2018",
      "2022-2026 and 2014 2018",
      "01 02 2015",
      "12 34 56",
    ])
      expect(redact(text)).toBe(text);
  });
});

describe("redact: the whole text", () => {
  it("removes several kinds at once and counts them", () => {
    const { text, counts } = redactWithCounts(
      "I'm Pat (pat@example.com, 07700 900123, LE3 8RA). Ref 99887766. Please call 0116 305 7123.",
    );
    expect(text).toBe(`I'm ${NAME} (${E}, ${P}, ${PC}). Ref ${N}. Please call ${P}.`);
    expect(counts).toEqual({ emails: 1, phones: 2, postcodes: 1, numbers: 1, addresses: 0, names: 1 });
  });

  it("changes nothing in a comment without personal data", () => {
    const comment =
      "The principles provide the breadth required and useful depth in the ‘what we will do’ section. 52% spend with SMEs in 2014-15.";
    expect(redactWithCounts(comment)).toEqual({
      text: comment,
      counts: { emails: 0, phones: 0, postcodes: 0, numbers: 0, addresses: 0, names: 0 },
    });
  });

  it("is idempotent: redacting twice gives the same text", () => {
    const once = redact("a@b.com 0116 305 7123 LE3 8RA 12345678");
    expect(redact(once)).toBe(once);
  });

  it("keeps line breaks and the rest of the text as written", () => {
    expect(redact("Line one\nEmail: x@y.org\n\nThanks")).toBe(`Line one\nEmail: ${E}\n\nThanks`);
    expect(redact("")).toBe("");
  });
});
