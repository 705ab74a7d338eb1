/**
 * Results analysis: pure functions from count tables (SQL GROUP BY output) to plain objects for
 * charts, tables, CSV export and report sentences. Every share, shift and mean they return is
 * unrounded (fractions of 1); format.ts rounds for display only.
 */

export {
  type ChoiceOptionResult,
  MULTIPLE_CHOICE_NOTE,
  type MultipleChoiceExtras,
  type MultipleChoiceResult,
  multipleChoice,
  type SingleChoiceResult,
  singleChoice,
} from "./choice.js";
export { formatInterval, NO_VALUE, percent, pointShift } from "./format.js";
export {
  countsByCode,
  type ExcludedOptionResult,
  type LikertDistribution,
  type LikertGroupResult,
  type LikertOptionResult,
  LOW_BASE,
  likertDistribution,
  type ShareWithInterval,
  shareOf,
} from "./likert.js";
export {
  type PairedShiftResult,
  pairedShift,
  rankShifts,
  type TransitionTable,
  wilcoxonSignedRankFromCounts,
} from "./paired.js";
export {
  ALL_RESPONDENTS_LABEL,
  type ByGroupResult,
  byGroup,
  canSplitBy,
  overlapNote,
  type Segment,
  type SegmentGroup,
  type SplittableQuestion,
  splitGroups,
} from "./segments.js";
