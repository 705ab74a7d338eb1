import type { ThemeClassifier } from "./classifier.js";

/**
 * A trained classifier as bytes for the database, and back: a JSON header (the small fields), then
 * the hashed slots kept and their columns, the inverse document frequencies and the weights as
 * little-endian typed arrays. Only the kept slots are stored (about 30,000 of 524,288 for 5,000
 * comments), so a model is a few megabytes at most.
 */
interface Header {
  labelCount: number;
  bits: number;
  closed: Record<string, number>;
  dimension: number;
  bias: number[];
  threshold: (number | null)[];
  scale: { a: number; b: number }[];
  learned: number[];
  kept: number;
}

const align4 = (n: number) => (n + 3) & ~3;

export function modelToBytes(m: ThemeClassifier): Uint8Array {
  const v = m.vectorizer;
  const slots: number[] = [];
  for (let s = 0; s < v.column.length; s++) if ((v.column[s] as number) >= 0) slots.push(s);
  const header: Header = {
    labelCount: m.labelCount,
    bits: v.bits,
    closed: v.closed,
    dimension: v.dimension,
    bias: Array.from(m.bias),
    // JSON has no Infinity: a theme never learned has no threshold.
    threshold: Array.from(m.threshold, (t) => (Number.isFinite(t) ? t : null)),
    scale: m.scale,
    learned: Array.from(m.learned),
    kept: slots.length,
  };
  const head = new TextEncoder().encode(JSON.stringify(header));
  const headBytes = align4(4 + head.length);
  const size = headBytes + slots.length * 8 + v.idf.length * 4 + m.weights.length * 4;
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  const ints = new Int32Array(out.buffer, headBytes, slots.length * 2);
  slots.forEach((s, k) => {
    ints[2 * k] = s;
    ints[2 * k + 1] = v.column[s] as number;
  });
  let at = headBytes + slots.length * 8;
  new Float32Array(out.buffer, at, v.idf.length).set(v.idf);
  at += v.idf.length * 4;
  new Float32Array(out.buffer, at, m.weights.length).set(m.weights);
  return out;
}

export function modelFromBytes(bytes: Uint8Array): ThemeClassifier {
  // A copy, so the typed arrays are aligned whatever buffer the bytes came in.
  const buf = new Uint8Array(bytes).buffer;
  const headLength = new DataView(buf).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, headLength))) as Header;
  const headBytes = align4(4 + headLength);
  const ints = new Int32Array(buf, headBytes, header.kept * 2);
  const column = new Int32Array(2 << header.bits).fill(-1);
  for (let k = 0; k < header.kept; k++) column[ints[2 * k] as number] = ints[2 * k + 1] as number;
  let at = headBytes + header.kept * 8;
  const idf = new Float32Array(buf, at, header.kept);
  at += header.kept * 4;
  const weights = new Float32Array(buf, at, header.dimension * header.labelCount);
  return {
    labelCount: header.labelCount,
    vectorizer: { bits: header.bits, column, idf, closed: header.closed, dimension: header.dimension },
    weights,
    bias: Float64Array.from(header.bias),
    threshold: Float64Array.from(header.threshold, (t) => t ?? Number.POSITIVE_INFINITY),
    scale: header.scale,
    learned: Uint8Array.from(header.learned),
  };
}
