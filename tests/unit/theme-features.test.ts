import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CommentExample,
  featureRow,
  fitVectorizer,
  hashedTermCounts,
  rowBuffer,
  transform,
} from "../../analysis/themes/hashed-features.js";
import { sparseAxpy, sparseDot } from "../../analysis/themes/linear-svm.js";

/**
 * A plain reference for the single-pass hashing: words and padded words cut out as strings, every
 * n-gram made as a substring and hashed on its own. The constants pin the hash, which stored models
 * depend on: a change here would silently spoil every model already in a database.
 */
function mix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
function fnv(s: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}
function referenceCounts(text: string, bits: number): Map<number, number> {
  const mask = (1 << bits) - 1;
  const out = new Map<number, number>();
  const count = (slot: number) => out.set(slot, (out.get(slot) ?? 0) + 1);
  const lower = text.toLowerCase();
  const words = (lower.match(/[a-z0-9\u00c0-\uffff]+/g) ?? []).filter((w) => w.length >= 2);
  let prev = -1;
  for (const w of words) {
    const h = mix(fnv(w, 0x2545f491));
    count(h & mask);
    if (prev >= 0) count(mix(Math.imul(prev, 0x9e3779b1) ^ h ^ 0x2545f491) & mask);
    prev = h;
  }
  for (const word of lower.split(/[\t-\r \u00a0]/)) {
    if (word === "") continue;
    const padded = ` ${word} `;
    for (let n = 2; n <= 5; n++)
      for (let s = 0; s + n <= padded.length; s++)
        count((1 << bits) + (mix(fnv(padded.slice(s, s + n), 0x1b873593)) & mask));
  }
  return out;
}
const sorted = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]);

describe("single-pass feature hashing", () => {
  const samples = [
    "The car park is always full",
    "  Nowhere\tto park,\nnear the library!  ",
    "a b c",
    "Café staff were lovely — 10/10 x",
    "I",
    "",
    "don't know\u00a0why",
    "Supercalifragilistic words and  double  spaces",
  ];

  it("gives the same slots and counts as hashing each n-gram's substring", () => {
    for (const text of samples)
      expect(sorted(hashedTermCounts(text, 12))).toEqual(sorted(referenceCounts(text, 12)));
  });

  it("agrees with the reference on any text", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "B", "z", "1", " ", "\t", ".", "é", "-", "\u00a0") }),
        (text) => {
          expect(sorted(hashedTermCounts(text, 10))).toEqual(sorted(referenceCounts(text, 10)));
        },
      ),
    );
  });

  it("builds each row the same in the reused buffer as in the stored matrix", () => {
    const examples: CommentExample[] = samples.map((text, i) => ({ text, closed: [`rating=${i % 3}`] }));
    const v = fitVectorizer([...examples, ...examples], 14);
    const x = transform(v, examples);
    const buf = rowBuffer(v);
    examples.forEach((e, r) => {
      featureRow(v, e, buf);
      const from = x.start[r] as number;
      const to = x.start[r + 1] as number;
      expect(Array.from(buf.index.subarray(0, buf.length))).toEqual(Array.from(x.index.subarray(from, to)));
      expect(Array.from(buf.value.subarray(0, buf.length))).toEqual(Array.from(x.value.subarray(from, to)));
    });
  });
});

describe("sparse row arithmetic", () => {
  const row = fc.uniqueArray(fc.integer({ min: 0, max: 49 }), { maxLength: 30 });

  it("sums a row against the weights exactly as a plain loop, in the same order", () => {
    fc.assert(
      fc.property(row, fc.double({ min: -2, max: 2, noNaN: true }), (cols, start) => {
        const w = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i) * 3);
        const index = Int32Array.from(cols);
        const value = Float32Array.from(cols, (c) => Math.cos(c));
        let plain = start;
        for (let k = 0; k < index.length; k++)
          plain += (w[index[k] as number] as number) * (value[k] as number);
        expect(sparseDot(w, index, value, 0, index.length, start)).toBe(plain);
      }),
    );
  });

  it("adds a multiple of a row to the weights exactly as a plain loop", () => {
    fc.assert(
      fc.property(row, fc.double({ min: -2, max: 2, noNaN: true }), (cols, d) => {
        const index = Int32Array.from(cols);
        const value = Float32Array.from(cols, (c) => 1 / (c + 1));
        const fast = Float64Array.from({ length: 50 }, (_, i) => i / 7);
        const plain = Float64Array.from(fast);
        for (let k = 0; k < index.length; k++)
          plain[index[k] as number] = (plain[index[k] as number] as number) + d * (value[k] as number);
        sparseAxpy(fast, index, value, 0, index.length, d);
        expect(Array.from(fast)).toEqual(Array.from(plain));
      }),
    );
  });
});
