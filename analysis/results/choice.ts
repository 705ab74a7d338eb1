/**
 * Results of single- and multiple-choice questions, from count tables (one GROUP BY row per option).
 *
 * Shares are UNROUNDED fractions of 1 with Wilson 95% intervals (analysis/stats/wilson.ts); the
 * base is always the respondents who answered the question, never the number of ticks.
 */

import type { ChoiceOption } from "../definition.js";
import { assertCount } from "../stats/wilson.js";
import { LOW_BASE, type ShareWithInterval, shareOf } from "./likert.js";

export interface ChoiceOptionResult extends ShareWithInterval {
  code: string;
  label: string;
  /** True for the "Other, please specify" option of a multiple-choice question. */
  isOther: boolean;
}

export interface SingleChoiceResult {
  kind: "single";
  /** In definition order (views may sort); shares of `base`, summing to 1. */
  options: ChoiceOptionResult[];
  /** Respondents who answered. */
  base: number;
  lowBase: boolean;
  notAnswered: number;
}

export interface MultipleChoiceResult {
  kind: "multiple";
  /** In definition order, "Other" last; shares of `base` (respondents), so they can sum to over 1. */
  options: ChoiceOptionResult[];
  /** Respondents who answered (ticked at least one option). */
  base: number;
  lowBase: boolean;
  /** Blanks when the caller supplied them, else null. */
  notAnswered: number | null;
  /** Sum of all ticks; totalTicks / base is the mean number ticked. */
  totalTicks: number;
  /** Texts given for "Other", trimmed, blanks dropped, in the order supplied. */
  otherTexts: string[];
  /** Sentence to show beside the chart and table explaining why the percentages sum to over 100%. */
  note: string;
}

export const MULTIPLE_CHOICE_NOTE =
  "Percentages are of respondents who answered this question, not of ticks. Respondents could tick " +
  "more than one option, so the percentages can add up to more than 100%.";

/** Throws on codes the options do not list: stored answers and definition disagree. */
function checkedCounts(
  options: readonly ChoiceOption[],
  counts: Readonly<Record<string, number>>,
): Map<string, number> {
  const byCode = new Map<string, number>(options.map((o) => [o.code, 0]));
  for (const [code, count] of Object.entries(counts)) {
    if (!byCode.has(code)) throw new RangeError(`Unknown option code "${code}" in counts`);
    assertCount(count, `counts["${code}"]`);
    byCode.set(code, count);
  }
  return byCode;
}

/** One answer per respondent: shares of those who answered sum to 1 (before rounding). */
export function singleChoice(
  options: readonly ChoiceOption[],
  counts: Readonly<Record<string, number>>,
  notAnswered: number,
): SingleChoiceResult {
  assertCount(notAnswered, "notAnswered");
  const byCode = checkedCounts(options, counts);
  const base = [...byCode.values()].reduce((sum, n) => sum + n, 0);
  return {
    kind: "single",
    options: options.map((o) => ({
      code: o.code,
      label: o.label,
      isOther: false,
      ...shareOf(byCode.get(o.code) ?? 0, base),
    })),
    base,
    lowBase: base < LOW_BASE,
    notAnswered,
  };
}

export interface MultipleChoiceExtras {
  /** The question's "Other" option (question.other); listed last and marked isOther. */
  other?: ChoiceOption | undefined;
  /** Respondents shown the question who ticked nothing, if the caller counts them. */
  notAnswered?: number | undefined;
}

/**
 * Tick-all-that-apply: counts[code] must be the number of RESPONDENTS who ticked the option (each
 * counted once), and `respondents` the number who answered the question. Each option's share is
 * then a proportion of respondents, so its Wilson interval is valid on its own; the shares are not
 * a partition, so they can sum to over 100% and must not be drawn as a pie or stacked bar.
 */
export function multipleChoice(
  options: readonly ChoiceOption[],
  counts: Readonly<Record<string, number>>,
  respondents: number,
  otherTexts: readonly string[],
  extras: MultipleChoiceExtras = {},
): MultipleChoiceResult {
  assertCount(respondents, "respondents");
  if (extras.notAnswered !== undefined) assertCount(extras.notAnswered, "notAnswered");
  const all = extras.other ? [...options, extras.other] : [...options];
  const byCode = checkedCounts(all, counts);
  for (const [code, count] of byCode) {
    if (count > respondents) {
      throw new RangeError(
        `counts["${code}"] (${count}) exceeds the ${respondents} respondents who answered`,
      );
    }
  }
  return {
    kind: "multiple",
    options: all.map((o) => ({
      code: o.code,
      label: o.label,
      isOther: o === extras.other,
      ...shareOf(byCode.get(o.code) ?? 0, respondents),
    })),
    base: respondents,
    lowBase: respondents < LOW_BASE,
    notAnswered: extras.notAnswered ?? null,
    totalTicks: [...byCode.values()].reduce((sum, n) => sum + n, 0),
    otherTexts: otherTexts.map((t) => t.trim()).filter((t) => t.length > 0),
    note: MULTIPLE_CHOICE_NOTE,
  };
}
