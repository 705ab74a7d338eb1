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

/**
 * Where a returning respondent picks up (save and return): the first page they have not answered.
 * That is the first page, up to the last one they answered, still missing a required answer; or
 * else the page after the last one with any answer (a page of optional questions they left blank
 * earlier is not sent back to). Undefined when every page is done: they go to check their answers.
 */
export function firstUnansweredPage(
  definition: ConsultationDefinition,
  answers: AnswerSet,
): string | undefined {
  const pages = visiblePages(definition, answers);
  let last = -1;
  pages.forEach((page, i) => {
    if (page.questions.some((q) => answerTo(answers, q.id) !== undefined)) last = i;
  });
  const incomplete = firstIncompletePage(definition, answers);
  const at = incomplete === undefined ? -1 : pages.findIndex((p) => p.id === incomplete);
  if (at !== -1 && at <= last) return incomplete;
  return pages[last + 1]?.id ?? incomplete;
}
