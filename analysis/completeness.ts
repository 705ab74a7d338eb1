import {
  isMultipleAnswer,
  type AnswerSet,
  type AnswerValue,
  questionApplies,
  visiblePages,
} from "./answers.js";
import { type ConsultationDefinition, pairedSet, type Question } from "./definition.js";

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
      const statements =
        question.kind === "grid" ? question.statements : pairedSet(definition, question.set).statements;
      return statements.every((s) => typeof (value as Record<string, string>)[s.id] === "string");
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
      if (!isAnswered(definition, question, answers[question.id])) return page.id;
    }
  }
  return undefined;
}
