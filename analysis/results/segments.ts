/**
 * Splitting results by a group question ("results by role", "by age band"). The analysis
 * functions stay unaware of groups: the caller runs the same GROUP BY with the group's filter and
 * hands each count table to likertDistribution, singleChoice, pairedShift and so on through
 * byGroup. This file only supplies the group list, the "All respondents" row and the caveat that
 * must be printed with any split.
 */

import type { ChoiceOption, Question } from "../definition.js";
import type { Scale } from "../scales.js";

export const ALL_RESPONDENTS_LABEL = "All respondents";

/** code null is "All respondents". */
export interface SegmentGroup {
  code: string | null;
  label: string;
}

export interface Segment<T> {
  group: SegmentGroup;
  result: T;
}

export interface ByGroupResult<T> {
  /** The unsplit result: everyone, including those who did not answer the group question. */
  all: Segment<T>;
  /** One per group, in the order given. */
  groups: Segment<T>[];
}

/** Questions whose answers are option codes, so each code can define a group. */
export type SplittableQuestion = Extract<Question, { kind: "single" | "multiple" | "likert" }>;

export function canSplitBy(question: Question): question is SplittableQuestion {
  return question.kind === "single" || question.kind === "multiple" || question.kind === "likert";
}

/**
 * The groups a question defines, in definition order: its options ("Other" last for multiple
 * choice), or for a Likert question its scale's options, so `scale` is required then.
 */
export function splitGroups(question: SplittableQuestion, scale?: Scale): ChoiceOption[] {
  switch (question.kind) {
    case "single":
      return question.options.map(({ code, label }) => ({ code, label }));
    case "multiple":
      return [...question.options, ...(question.other ? [question.other] : [])].map(({ code, label }) => ({
        code,
        label,
      }));
    case "likert":
      if (scale?.id !== question.scale) {
        throw new RangeError(`Splitting by "${question.id}" needs its scale "${question.scale}"`);
      }
      return scale.options.map(({ code, label }) => ({ code, label }));
  }
}

/**
 * The caveat to print with results split by `question`. Why it matters: with a multiple-choice
 * split the groups overlap, so group counts add up to more than "All respondents" and groups must
 * not be summed or compared as if independent; with any split, people who skipped the group
 * question are in "All respondents" only. `noun` names what was ticked ("role", "area").
 */
export function splitNote(question: Question, noun = "option"): string {
  const skipped = `Respondents who did not answer "${question.text}" are included in "${ALL_RESPONDENTS_LABEL}" only.`;
  switch (question.kind) {
    case "multiple":
      return `Respondents who ticked more than one ${noun} are counted in each group they ticked, so the groups can add up to more than all respondents. ${skipped}`;
    case "single":
    case "likert":
      return `Each respondent is in one group. ${skipped}`;
    default:
      throw new RangeError(`Results cannot be split by the ${question.kind} question "${question.id}"`);
  }
}

/**
 * Runs `compute` for everyone (code null) and for each group, in order. Synchronous on purpose:
 * analysis/ does no I/O, so the caller fetches all count tables first and `compute` only looks
 * them up.
 */
export function byGroup<T>(
  groups: readonly ChoiceOption[],
  compute: (code: string | null) => T,
): ByGroupResult<T> {
  return {
    all: { group: { code: null, label: ALL_RESPONDENTS_LABEL }, result: compute(null) },
    groups: groups.map(({ code, label }) => ({ group: { code, label }, result: compute(code) })),
  };
}
