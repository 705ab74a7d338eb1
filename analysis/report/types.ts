/**
 * The report model's types (see model.ts for the report itself) and small helpers shared by the
 * section builders.
 */

import { allQuestions, type ConsultationDefinition, type Question } from "../definition.js";
import type { ConsultationResults, QuestionResult } from "../results/model.js";

/** One "we asked, you said, we did" entry, as officers write it (db/we-did.ts stores them). */
export interface WeDidEntry {
  id: number;
  position: number;
  /** The question or topic raised. */
  weAsked: string;
  /** What respondents said about it, in the officer's summary. */
  youSaid: string;
  /** The council's response: what it did or will do. */
  weDid: string;
  updatedAt: string;
  /** When an officer published it (shown publicly once the consultation has closed); null: a draft. */
  publishedAt: string | null;
}

/** The free-text answers to one text question, as the caller read them (at most a page of them). */
export interface CommentInput {
  questionId: string;
  questionText: string;
  texts: string[];
  /** How many answers there are in all, when more than `texts` holds; defaults to texts.length. */
  total?: number;
  /**
   * Set for a public report: the texts are the comments an officer approved (redacted), and this
   * is how many were approved; the others wait for moderation or were withheld.
   */
  moderated?: { approved: number };
}

/**
 * A theme counted in the comments, for the themes section. Comment themes are not built yet: when
 * they are, pass them as buildReport's `themes` and the section appears (after the results, before
 * the comments, as the council's report counts "use of the VCS 6, communication of messages 7").
 * With no themes, or an empty list, the section is left out.
 */
export interface ReportTheme {
  label: string;
  /** Comments coded to the theme. */
  count: number;
  /** The questions whose comments were coded, when not all of them. */
  questionIds?: string[];
  description?: string;
  /** Example comments; redacted again here like every published text. */
  quotes?: string[];
  /** Respondents who commented on its question: the base of its share, when known. */
  base?: number;
  /** Comments to its question with no confirmed theme yet, when known. */
  uncoded?: number;
  /**
   * How its counted (confirmed) tags were first made: by an officer, by a keyword rule, or
   * suggested by the model learned from the officers' coding; and the model's cross-validated F1
   * against the officers for this theme, when it was measured; and, when a blind double-coded
   * sample was coded, a second officer's F1 and kappa against the first for this theme and how many
   * comments the sample compared. For the report's method note.
   */
  coding?: {
    officer: number;
    rule: number;
    model: number;
    modelF1?: number;
    officers?: { themeId: number; f1: number; kappa: number; sample: number };
  };
  /** How campaigns were counted, in a sentence (the same for every theme of a report). */
  campaigns?: string;
  /** Respondents coded to the theme by the stance of their comment, when it was worked out. */
  stance?: { supports: number; mixed: number; opposes: number };
}

export interface ReportMeta {
  /** Submitted responses per channel (online, paper, email, event). */
  channels: { channel: string; n: number }[];
  generatedAt: Date;
}

/** A chart and table to show: the view turns these into the dashboard's result blocks. */
export type BlockRef =
  | { kind: "question"; questionId: string }
  | { kind: "paired"; setId: string }
  | { kind: "timeline" };

/** A subsection: usually one question, its sentences, then its chart and table. */
export interface ReportPart {
  id: string;
  heading: string;
  paragraphs: string[];
  list: string[];
  blocks: BlockRef[];
}

export interface CommentGroup {
  questionId: string;
  questionText: string;
  /** Everyone who answered the question. */
  total: number;
  /** Redacted comments shown in the report. */
  texts: string[];
  /** total - texts.length: answers not reproduced (the report shows a capped number). */
  notShown: number;
  /** Public report: how many comments an officer approved for publishing (the rest are not shown). */
  approved?: number;
}

export interface SectionBase {
  id: string;
  heading: string;
  paragraphs: string[];
  list: string[];
  blocks: BlockRef[];
  parts: ReportPart[];
}

export type ReportSection =
  | (SectionBase & { kind: "text" })
  | (SectionBase & { kind: "comments"; groups: CommentGroup[] })
  | (SectionBase & { kind: "themes"; themes: ReportTheme[] })
  | (SectionBase & { kind: "we-did"; entries: WeDidEntry[] });

export interface ReportModel {
  slug: string;
  /** "<consultation title>: consultation summary report". */
  title: string;
  consultationTitle: string;
  council: string;
  opens: string;
  closes: string;
  respondents: number;
  generatedAt: string;
  /** "Produced on 22 November 2026 from the 43 responses received." */
  produced: string;
  sections: ReportSection[];
}

export const section = (
  id: string,
  heading: string,
  fill: Partial<Omit<SectionBase, "id" | "heading">> = {},
): SectionBase => ({ id, heading, paragraphs: [], list: [], blocks: [], parts: [], ...fill });

export function questionsOf(definition: ConsultationDefinition): Question[] {
  return allQuestions(definition);
}

export function resultOf(results: ConsultationResults, id: string): QuestionResult | undefined {
  return results.questions.find((q) => q.question.id === id);
}

export const part = (
  id: string,
  heading: string,
  fill: Partial<Omit<ReportPart, "id" | "heading">> = {},
): ReportPart => ({
  id,
  heading,
  paragraphs: [],
  list: [],
  blocks: [],
  ...fill,
});
