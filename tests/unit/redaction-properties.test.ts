import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EMAIL_REMOVED, PHONE_REMOVED, redact, redactWithCounts } from "../../analysis/redaction.js";
import { emailSpans } from "../../analysis/redaction-scanners.js";

// The e-mail pattern redaction used before it scanned from each "@" (quadratic on long runs, so only
// ever given short strings here): the scan must find exactly what it found.
const QUADRATIC_EMAIL =
  /[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Short strings over the characters that matter to addresses and numbers, plus a few others. */
const addressish = fc.string({
  unit: fc.constantFrom(..."aZ09@.-_+'% \n()x"),
  maxLength: 40,
});

const anyText = fc.string({ unit: "grapheme", maxLength: 200 });

describe("redact: properties", () => {
  it("finds exactly the e-mail addresses the old pattern found", () => {
    fc.assert(
      fc.property(addressish, (text) => {
        const expected = [...text.matchAll(QUADRATIC_EMAIL)].map((m) => [m.index, m.index + m[0].length]);
        expect(emailSpans(text)).toEqual(expected);
      }),
      { numRuns: 5_000 },
    );
  });

  it("never throws, and redacting twice changes nothing more", () => {
    fc.assert(
      fc.property(fc.oneof(addressish, anyText), (text) => {
        const once = redact(text);
        expect(redact(once)).toBe(once);
      }),
      { numRuns: 3_000 },
    );
  });

  it("counts one removal for each marker it writes", () => {
    fc.assert(
      fc.property(fc.oneof(addressish, anyText), (text) => {
        const { text: out, counts } = redactWithCounts(text);
        expect(out.split(EMAIL_REMOVED).length - 1).toBe(counts.emails);
        expect(out.split(PHONE_REMOVED).length - 1).toBeGreaterThanOrEqual(counts.phones);
      }),
      { numRuns: 2_000 },
    );
  });

  it("removes any address built from a local part and a domain, wherever it sits", () => {
    const label = fc.stringMatching(/^[a-z0-9]{1,10}$/);
    const address = fc
      .tuple(
        fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}$/),
        fc.array(label, { minLength: 1, maxLength: 3 }),
      )
      .map(([local, labels]) => `${local}@${labels.join(".")}.org`);
    fc.assert(
      fc.property(anyText, address, anyText, (before, addr, after) => {
        const text = `${before} ${addr} ${after}`;
        expect(redact(text)).not.toContain(addr);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("redact: numbers written with another country's code", () => {
  it.each([
    ["+33123456789", PHONE_REMOVED],
    ["+1 (212) 555-0123 today", `${PHONE_REMOVED} today`],
    ["+49 30 1234 5678, Berlin", `${PHONE_REMOVED}, Berlin`],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("leaves short numbers after a + alone", () => {
    for (const text of ["+1 2", "+5 degrees", "a+b=c", "C++ 2020", "+0 1234 5678"])
      expect(redact(text)).toBe(text);
  });
});
