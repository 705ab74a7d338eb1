import { type AnswerSet, type AnswerValue, answerTo, isMultipleAnswer } from "./answers.js";
import {
  allQuestions,
  type ConsultationDefinition,
  optionsOf,
  type Question,
  scaleOf,
  statementsOf,
} from "./definition.js";

/**
 * What may change in a consultation that people have started answering (issue 12, item 4).
 *
 * Answers are stored against the ids of questions, statements and options, so a change is safe
 * when every stored answer still means what it meant: wording, new optional questions, new options
 * after the existing ones, a later closing date. A change that would make a stored answer mean
 * something else (or nothing) is refused with a message saying why and what to do instead.
 *
 * Pure: the caller says which questions, statements and options already have answers.
 */

/** Which parts of the stored definition already have answers (keys as `answerKey` builds them). */
export interface AnsweredParts {
  /** question id */
  questions: ReadonlySet<string>;
  /** answerKey(question id, statement id) */
  statements: ReadonlySet<string>;
  /** answerKey(question id, option code) */
  options: ReadonlySet<string>;
}

export const answerKey = (question: string, part: string) => `${question}\u0000${part}`;

export interface ChangeContext {
  /** People have responded or started to (or it is open): the rules below apply. */
  guarded: boolean;
  answered: AnsweredParts;
  now: Date;
  /** Closing early, which an editor does with a reason kept in the audit trail. */
  closingEarly?: boolean;
}

export interface ChangeProblem {
  /** JSON path of the field in the new definition (or the old one, for something removed). */
  path: string;
  message: string;
}

export interface ChangeReview {
  problems: ChangeProblem[];
  /** What changed, in plain words, for the version history and for respondents with a draft. */
  changes: string[];
}

const quote = (s: string) => `‘${s.length > 80 ? `${s.slice(0, 77)}...` : s}’`;

function locate(def: ConsultationDefinition): Map<string, { q: Question; path: string }> {
  const found = new Map<string, { q: Question; path: string }>();
  def.pages.forEach((page, p) => {
    page.questions.forEach((q, i) => {
      found.set(q.id, { q, path: `$.pages[${p}].questions[${i}]` });
    });
  });
  return found;
}

const scaleKey = (def: ConsultationDefinition, q: Question): string | null => {
  const scale = scaleOf(def, q);
  return scale ? scale.id : null;
};

/** Review a new definition against the stored one. Nothing here touches storage. */
export function reviewChange(
  before: ConsultationDefinition,
  after: ConsultationDefinition,
  ctx: ChangeContext,
): ChangeReview {
  const problems: ChangeProblem[] = [];
  const changes: string[] = [];
  const refuse = (path: string, message: string) => problems.push({ path, message });
  const { answered } = ctx;

  if (after.title !== before.title) changes.push(`The title is now ${quote(after.title)}`);
  if (after.summary.join("\n") !== before.summary.join("\n")) changes.push("The summary was reworded");
  if (after.closes !== before.closes) {
    const later = Date.parse(after.closes) > Date.parse(before.closes);
    if (ctx.guarded && !later && !ctx.closingEarly)
      refuse(
        "$.closes",
        "The closing date cannot be brought forward here once people have responded. To close it early, use ‘Close early’ on the consultation’s page, which records why",
      );
    else changes.push("The closing date changed");
  }
  if (after.opens !== before.opens) {
    if (ctx.guarded && Date.parse(before.opens) <= ctx.now.getTime())
      refuse(
        "$.opens",
        "The opening date cannot change: the consultation has already opened. Leave it as it was",
      );
    else changes.push("The opening date changed");
  }

  const old = locate(before);
  const now = locate(after);

  for (const [id, { q, path }] of old) {
    const next = now.get(id);
    const hasAnswers = answered.questions.has(id);
    if (!next) {
      if (ctx.guarded && hasAnswers)
        refuse(
          path,
          `Question ${quote(q.text)} (${id}) has answers, so it cannot be removed. Keep it; you may reword it or make it optional`,
        );
      else changes.push(`Removed the question ${quote(q.text)}`);
      continue;
    }
    if (!ctx.guarded) continue;
    const where = next.path;
    const instead = "To ask it another way, add a new question with a new id and make it optional";
    if (next.q.kind !== q.kind) {
      refuse(
        `${where}.kind`,
        `Question ${quote(q.text)} (${id}) cannot change from ${q.kind} to ${next.q.kind} once people have responded: their answers would no longer fit. ${instead}`,
      );
      continue;
    }
    if (scaleKey(before, q) !== scaleKey(after, next.q)) {
      refuse(
        `${where}.scale`,
        `Question ${quote(q.text)} (${id}) cannot change its scale once people have responded: their answers were given on the old one. ${instead}`,
      );
      continue;
    }
    if (
      q.kind === "paired" &&
      next.q.kind === "paired" &&
      (q.set !== next.q.set || q.phase !== next.q.phase)
    ) {
      refuse(
        where,
        `Question ${quote(q.text)} (${id}) cannot move to another paired set or moment once people have responded. ${instead}`,
      );
      continue;
    }
    if (next.q.text !== q.text) changes.push(`Reworded the question ${quote(next.q.text)}`);
    if (next.q.required && !q.required)
      refuse(
        `${where}.required`,
        `Question ${quote(q.text)} (${id}) cannot become required now: people have already answered without it. Leave it optional`,
      );
    reviewParts(before, after, q, next.q, where, answered, refuse, changes);
  }

  for (const [id, { q, path }] of now) {
    if (old.has(id)) continue;
    if (ctx.guarded && q.required)
      refuse(
        `${path}.required`,
        `The new question ${quote(q.text)} must be optional: people who have already responded could not answer it. Untick ‘required’`,
      );
    changes.push(`Added the question ${quote(q.text)}`);
  }

  if (ctx.guarded) reviewScales(before, after, old, answered, refuse);
  return { problems, changes };
}

/** Options and statements of one question that stays: kept ones keep their codes, new ones go last. */
function reviewParts(
  before: ConsultationDefinition,
  after: ConsultationDefinition,
  q: Question,
  next: Question,
  where: string,
  answered: AnsweredParts,
  refuse: (path: string, message: string) => void,
  changes: string[],
): void {
  const own = q.kind === "single" || q.kind === "multiple";
  const parts = [
    {
      kind: "option",
      list: own ? optionsOf(before, q).map((o) => ({ key: o.code, text: o.label })) : [],
      nextList: own ? optionsOf(after, next).map((o) => ({ key: o.code, text: o.label })) : [],
      field: "options",
      stored: answered.options,
    },
    {
      kind: "statement",
      list:
        q.kind === "grid" || q.kind === "paired"
          ? statementsOf(before, q).map((s) => ({ key: s.id, text: s.text }))
          : [],
      nextList:
        next.kind === "grid" || next.kind === "paired"
          ? statementsOf(after, next).map((s) => ({ key: s.id, text: s.text }))
          : [],
      field: "statements",
      stored: answered.statements,
    },
  ];
  for (const part of parts) {
    const nextKeys = new Map(part.nextList.map((o, i) => [o.key, { ...o, i }]));
    let lastKept = -1;
    let reordered = false;
    for (const o of part.list) {
      const kept = nextKeys.get(o.key);
      if (!kept) {
        if (part.stored.has(answerKey(q.id, o.key)))
          refuse(
            `${where}.${part.field}`,
            `The ${part.kind} ${quote(o.text)} (${o.key}) of ${quote(q.text)} has answers, so it cannot be removed or given another code. Keep it with its code; you may reword it`,
          );
        else changes.push(`Removed the ${part.kind} ${quote(o.text)} from ${quote(next.text)}`);
        continue;
      }
      if (kept.i < lastKept) reordered = true;
      lastKept = Math.max(lastKept, kept.i);
      if (kept.text !== o.text) changes.push(`Reworded the ${part.kind} ${quote(kept.text)}`);
    }
    const oldKeys = new Set(part.list.map((o) => o.key));
    part.nextList.forEach((o, i) => {
      if (oldKeys.has(o.key)) return;
      if (i < lastKept)
        refuse(
          `${where}.${part.field}[${i}]`,
          `The new ${part.kind} ${quote(o.text)} of ${quote(next.text)} must go after the existing ones, so that the order people chose from stays the same. Move it to the end`,
        );
      else changes.push(`Added the ${part.kind} ${quote(o.text)} to ${quote(next.text)}`);
    });
    if (reordered)
      refuse(
        `${where}.${part.field}`,
        `The ${part.kind}s of ${quote(q.text)} cannot be reordered once people have responded. Keep them in their order and add new ones at the end`,
      );
  }
}

/** A scale somebody has answered on keeps its codes, scores and groups (labels may be reworded). */
function reviewScales(
  before: ConsultationDefinition,
  after: ConsultationDefinition,
  old: Map<string, { q: Question; path: string }>,
  answered: AnsweredParts,
  refuse: (path: string, message: string) => void,
): void {
  const checked = new Set<string>();
  for (const [id, { q }] of old) {
    const scale = scaleOf(before, q);
    if (!scale || checked.has(scale.id) || !answered.questions.has(id)) continue;
    checked.add(scale.id);
    const next = after.scales.find((s) => s.id === scale.id) ?? scaleOf(after, q);
    if (!next || next.id !== scale.id) continue; // reported with the question
    const same =
      next.options.length === scale.options.length &&
      next.options.every((o, i) => {
        const was = scale.options[i];
        return was !== undefined && was.code === o.code && was.score === o.score && was.group === o.group;
      });
    if (!same) {
      const at = after.scales.findIndex((s) => s.id === scale.id);
      refuse(
        at >= 0 ? `$.scales[${at}].options` : "$.scales",
        `The scale ${quote(scale.name)} (${scale.id}) has answers, so its options’ codes, scores and groups cannot change (their labels can be reworded). To rate on a different scale, add a new scale and a new optional question that uses it`,
      );
    }
  }
}

/**
 * A draft begun on an earlier version, carried to the current one: answers that still fit are kept;
 * answers to a question, statement or option no longer there are dropped (only possible where
 * nobody had submitted them), and the questions they belonged to are listed for the respondent.
 */
export function carryAnswers(
  def: ConsultationDefinition,
  answers: AnswerSet,
): { answers: AnswerSet; dropped: string[] } {
  const kept: AnswerSet = {};
  const dropped: string[] = [];
  for (const q of allQuestions(def)) {
    const value = answerTo(answers, q.id);
    if (value === undefined) continue;
    if (fits(def, q, value)) kept[q.id] = value;
    else dropped.push(q.text);
  }
  for (const id of Object.keys(answers)) if (!allQuestions(def).some((q) => q.id === id)) dropped.push(id);
  return { answers: kept, dropped };
}

function fits(def: ConsultationDefinition, q: Question, value: AnswerValue): boolean {
  const codes = new Set(optionsOf(def, q).map((o) => o.code));
  switch (q.kind) {
    case "text":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "single":
    case "likert":
      return typeof value === "string" && codes.has(value);
    case "multiple":
      return isMultipleAnswer(value) && value.codes.every((c) => codes.has(c));
    default: {
      if (typeof value !== "object" || isMultipleAnswer(value)) return false;
      const statements = new Set(statementsOf(def, q).map((s) => s.id));
      return Object.entries(value).every(([s, c]) => statements.has(s) && codes.has(c));
    }
  }
}
