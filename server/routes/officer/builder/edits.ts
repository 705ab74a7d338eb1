import type { ConsultationDefinition, Page, Question } from "../../../../analysis/definition.js";
import { withoutTrailing } from "../../../../analysis/without-trailing.js";
import { HttpError } from "../../../middleware/errors.js";
import { slugFrom } from "./create/schema.js";

/*
 * Structural changes the builder makes to a copy of a definition before saving it. Each leaves
 * checking to the definition's schema (saveDefinition), so a change that would break a reference
 * (deleting the question a condition looks at) is refused there, with its message.
 */

/** An id made from words, different from every id in `taken`: "About you" -> "about-you", "about-you-2". */
export function freshId(words: string, taken: Iterable<string>, fallback: string): string {
  const used = new Set(taken);
  const base = withoutTrailing((slugFrom(words) || fallback).slice(0, 50), "-") || fallback;
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function pageOr404(def: ConsultationDefinition, pageId: string): { page: Page; index: number } {
  const index = def.pages.findIndex((p) => p.id === pageId);
  const page = def.pages[index];
  if (!page) throw new HttpError(404, "No such page");
  return { page, index };
}

export function questionOr404(
  def: ConsultationDefinition,
  questionId: string,
): { question: Question; page: Page; pageIndex: number; index: number } {
  for (const [pageIndex, page] of def.pages.entries()) {
    const index = page.questions.findIndex((q) => q.id === questionId);
    const question = page.questions[index];
    if (question) return { question, page, pageIndex, index };
  }
  throw new HttpError(404, "No such question");
}

export const allQuestionIds = (def: ConsultationDefinition) =>
  def.pages.flatMap((p) => p.questions.map((q) => q.id));

function swap<T>(list: T[], a: number, b: number): void {
  const x = list[a];
  const y = list[b];
  if (x === undefined || y === undefined) return;
  list[a] = y;
  list[b] = x;
}

export type Direction = "up" | "down";

export function movePage(def: ConsultationDefinition, pageId: string, direction: Direction): void {
  const { index } = pageOr404(def, pageId);
  swap(def.pages, index, direction === "up" ? index - 1 : index + 1);
}

/** Up and down within a page; past its first or last question, onto the end or start of the next page. */
export function moveQuestion(def: ConsultationDefinition, questionId: string, direction: Direction): void {
  const { page, pageIndex, index } = questionOr404(def, questionId);
  const target = direction === "up" ? index - 1 : index + 1;
  if (target >= 0 && target < page.questions.length) {
    swap(page.questions, index, target);
    return;
  }
  const next = def.pages[direction === "up" ? pageIndex - 1 : pageIndex + 1];
  if (!next) return;
  const [question] = page.questions.splice(index, 1);
  if (!question) return;
  if (direction === "up") next.questions.push(question);
  else next.questions.unshift(question);
}

/** Deleting either half of a before-and-after pair deletes the pair: one half alone means nothing. */
export function deleteQuestion(def: ConsultationDefinition, questionId: string): void {
  const { question } = questionOr404(def, questionId);
  if (question.kind === "paired") {
    for (const page of def.pages)
      page.questions = page.questions.filter((q) => !(q.kind === "paired" && q.set === question.set));
    def.pairedSets = def.pairedSets.filter((s) => s.id !== question.set);
    return;
  }
  for (const page of def.pages) page.questions = page.questions.filter((q) => q.id !== questionId);
}

export function deletePage(def: ConsultationDefinition, pageId: string): void {
  const { page } = pageOr404(def, pageId);
  for (const q of [...page.questions]) if (allQuestionIds(def).includes(q.id)) deleteQuestion(def, q.id);
  def.pages = def.pages.filter((p) => p.id !== pageId);
}

/**
 * Put pages and questions in the order a drag and drop left them: `layout` lists every page id with
 * its question ids. Anything missing, repeated or unknown is refused rather than guessed.
 */
export function reorder(
  def: ConsultationDefinition,
  layout: { page: string; questions: string[] }[],
): boolean {
  const pages = new Map(def.pages.map((p) => [p.id, p]));
  const questions = new Map(def.pages.flatMap((p) => p.questions.map((q) => [q.id, q] as const)));
  const seenPages = new Set<string>();
  const seenQuestions = new Set<string>();
  const next: Page[] = [];
  for (const entry of layout) {
    const page = pages.get(entry.page);
    if (!page || seenPages.has(entry.page)) return false;
    seenPages.add(entry.page);
    const qs: Question[] = [];
    for (const id of entry.questions) {
      const q = questions.get(id);
      if (!q || seenQuestions.has(id)) return false;
      seenQuestions.add(id);
      qs.push(q);
    }
    next.push({ ...page, questions: qs });
  }
  if (seenPages.size !== pages.size || seenQuestions.size !== questions.size) return false;
  def.pages = next;
  return true;
}
