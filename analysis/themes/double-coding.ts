import { type AgreementWithIntervals, agreementWithIntervals, type CodedPair } from "./agreement.js";
import { seededRandom, shuffled } from "./seeded-random.js";

/** Most comments one request may draw for a second officer: a few hours' coding, and a page's sums. */
export const MAX_SAMPLE = 200;

/**
 * `size` of `count` candidates drawn at random without replacement (their indices, in the order a
 * second officer will code them). Seeded, so a stored draw can be repeated and checked.
 */
export function drawSample(count: number, size: number, seed: number): number[] {
  return Array.from(shuffled(count, seededRandom(seed)).subarray(0, Math.min(size, count)));
}

/** One comment coded by two officers: the themes each gave, and the question it answers. */
export interface TwiceCoded {
  question: string;
  first: readonly number[];
  second: readonly number[];
}

/** A theme and the questions it applies to (none listed: every question with comments). */
export interface ThemeScope {
  id: number;
  questions: readonly string[];
}

export const RESAMPLES = 1000;

/** The work of officerAgreement, in pairs visited: what decides whether it may run on the event loop. */
export const agreementWork = (comments: number, themes: number, resamples = RESAMPLES) =>
  comments * themes * (resamples + 1);

export interface OfficerAgreement {
  themeId: number;
  agreement: AgreementWithIntervals;
}

/**
 * Officer against officer, per theme, on the double-coded sample: the second (blind) officer is the
 * coder judged and the first coding the reference, the same roles the model takes against the
 * officers, so the two figures read alike. A theme is measured on the comments of the questions it
 * applies to; a theme with no such comment is left out.
 */
export function officerAgreement(
  comments: readonly TwiceCoded[],
  themes: readonly ThemeScope[],
  resamples = RESAMPLES,
): OfficerAgreement[] {
  return themes.flatMap((t) => {
    const pairs: CodedPair[] = comments
      .filter((c) => t.questions.length === 0 || t.questions.includes(c.question))
      .map((c) => ({ said: c.second.includes(t.id), truth: c.first.includes(t.id) }));
    return pairs.length === 0 ? [] : [{ themeId: t.id, agreement: agreementWithIntervals(pairs, resamples) }];
  });
}
