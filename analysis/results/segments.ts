/**
 * Splitting results by a group question ("results by role", "by age band"). The analysis
 * functions stay unaware of groups: the caller computes the results for everyone and for each
 * group through byGroup (the summary export's --group-by), or for one group (the dashboard's
 * filter). This file supplies which questions can split, their groups, the "All respondents" label
 * and the caveat to print with a split by a multiple-choice question.
 */

import { type ChoiceOption, type ConsultationDefinition, optionsOf, type Question } from "../definition.js";

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
 * choice), or for a Likert question its scale's options.
 */
export function splitGroups(def: ConsultationDefinition, question: SplittableQuestion): ChoiceOption[] {
  return optionsOf(def, question).map(({ code, label }) => ({ code, label }));
}

/**
 * The caveat to print with results split by a multiple-choice question, empty for any other: its
 * groups overlap, so group counts add up to more than "All respondents" and groups must not be
 * summed or compared as if independent. `noun` names what was ticked ("role", "area").
 */
export function overlapNote(question: Question, noun = "option"): string {
  return question.kind === "multiple"
    ? `Respondents could tick more than one ${noun} of this question, so a respondent can be in more than one group.`
    : "";
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
