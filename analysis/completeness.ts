import {
  answerTo,
  type AnswerSet,
  type AnswerValue,
  isMultipleAnswer,
  questionApplies,
  visiblePages,
} from "./answers.js";
import { type ConsultationDefinition, type Question, statementsOf } from "./definition.js";

/** Whether a question has a complete answer: every statement of a grid or paired set answered. */
export function isAnswered(
  definition: ConsultationDefinition,
  question: Question,
  value: AnswerValue | undefined,
): boolean {
  if (value === undefined) return false;
  switch (question.kind) {
    case "multiple":
      return isMultipleAnswer(value) && value.codes.length > 0;
    case "grid":
    case "paired": {
      if (typeof value !== "object" || isMultipleAnswer(value)) return false;
      const ratings = value as Record<string, string>;
      return statementsOf(definition, question).every(
        (s) => Object.hasOwn(ratings, s.id) && typeof ratings[s.id] === "string",
      );
    }
    case "number":
      return typeof value === "number";
    default:
      return typeof value === "string" && value.length > 0;
  }
}

/** The first page the respondent sees that still has a required question unanswered, if any. */
export function firstIncompletePage(
  definition: ConsultationDefinition,
  answers: AnswerSet,
): string | undefined {
  for (const page of visiblePages(definition, answers)) {
    for (const question of page.questions) {
      if (!question.required || !questionApplies(page, question, answers)) continue;
      if (!isAnswered(definition, question, answerTo(answers, question.id))) return page.id;
    }
  }
  return undefined;
}
