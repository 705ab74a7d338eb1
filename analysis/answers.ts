import type { Condition, ConsultationDefinition, Page, Question } from "./definition.js";

/**
 * What one respondent said, keyed by question id. The shape of each value follows the question kind:
 * - single, likert: the option code
 * - multiple: the ticked codes, and the text given for "Other" when it was ticked
 * - grid, paired: statement id -> option code
 * - text: the text; number: the number
 */
export type AnswerValue = string | number | { codes: string[]; other?: string } | Record<string, string>;
export type AnswerSet = Record<string, AnswerValue>;

export interface MultipleAnswer {
  codes: string[];
  other?: string;
}

export function isMultipleAnswer(value: AnswerValue | undefined): value is MultipleAnswer {
  return typeof value === "object" && value !== null && Array.isArray((value as MultipleAnswer).codes);
}

/**
 * A question's answer, read as an own property only: answers are plain objects, and an id such as
 * "constructor" must not find Object.prototype's.
 */
export function answerTo(answers: AnswerSet, questionId: string): AnswerValue | undefined {
  return Object.hasOwn(answers, questionId) ? answers[questionId] : undefined;
}

/** The codes a choice answer holds, whatever its kind (empty when unanswered or not a choice). */
export function chosenCodes(value: AnswerValue | undefined): string[] {
  if (typeof value === "string") return [value];
  if (isMultipleAnswer(value)) return value.codes;
  return [];
}

export function conditionHolds(condition: Condition | undefined, answers: AnswerSet): boolean {
  if (!condition) return true;
  const codes = chosenCodes(answerTo(answers, condition.question));
  return condition.anyOf.some((code) => codes.includes(code));
}

export function pageApplies(page: Page, answers: AnswerSet): boolean {
  return conditionHolds(page.showIf, answers);
}

export function questionApplies(page: Page, question: Question, answers: AnswerSet): boolean {
  return pageApplies(page, answers) && conditionHolds(question.showIf, answers);
}

/** The pages this respondent sees, in order, given what they have answered so far. */
export function visiblePages(definition: ConsultationDefinition, answers: AnswerSet): Page[] {
  return definition.pages.filter((page) => pageApplies(page, answers));
}

/**
 * Drop answers to questions the respondent no longer sees (for example supplier details after they
 * unticked "supplier"), so that a stored response never holds an answer to a question it was not asked.
 */
export function pruneHiddenAnswers(definition: ConsultationDefinition, answers: AnswerSet): AnswerSet {
  const kept: AnswerSet = {};
  for (const page of definition.pages) {
    for (const question of page.questions) {
      const value = answerTo(answers, question.id);
      if (value !== undefined && questionApplies(page, question, kept)) kept[question.id] = value;
    }
  }
  return kept;
}

/**
 * One page's answers merged into those given so far: the page's questions answered afresh, and
 * answers to questions the respondent no longer sees dropped. Drafts and previews both use this.
 */
export function mergePageAnswers(
  definition: ConsultationDefinition,
  answers: AnswerSet,
  pageQuestionIds: string[],
  pageAnswers: AnswerSet,
): AnswerSet {
  const merged: AnswerSet = { ...answers };
  for (const id of pageQuestionIds) delete merged[id];
  Object.assign(merged, pageAnswers);
  return pruneHiddenAnswers(definition, merged);
}
