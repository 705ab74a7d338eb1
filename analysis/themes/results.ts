import { type ProportionInterval, wilsonInterval } from "../stats/wilson.js";

/**
 * Theme results of one question: how many respondents each theme was coded for (confirmed tags
 * only), as a share of those who commented, with its Wilson 95% interval; the same for each group
 * of a closed question (the theme x group table); and how many comments are still uncoded.
 */
export interface ThemeCount {
  themeId: number;
  name: string;
  description: string;
  parent: string | null;
  count: number;
  interval: ProportionInterval;
}

export interface ThemeGroupColumn {
  code: string;
  label: string;
  /** Respondents of this group who commented: the base of the column. */
  commented: number;
  cells: { themeId: number; count: number; interval: ProportionInterval }[];
}

export interface ThemeQuestionResult {
  question: { id: string; text: string };
  /** Respondents (of the filtered group) who commented: the base of every share. */
  commented: number;
  /** Of those, comments with no confirmed theme yet. */
  uncoded: number;
  themes: ThemeCount[];
  /** Split by a closed question's answers, when one was chosen. */
  byGroup: { questionId: string; questionText: string; columns: ThemeGroupColumn[] } | null;
  /** Representative quotes per theme id (officer-picked, else the most typical), not yet redacted. */
  quotes: Record<number, string[]>;
}

export interface ThemeCountsInput {
  question: { id: string; text: string };
  commented: number;
  coded: number;
  themes: { themeId: number; name: string; description: string; parent: string | null; count: number }[];
  groups?: {
    questionId: string;
    questionText: string;
    columns: { code: string; label: string; commented: number; counts: Map<number, number> }[];
  };
  quotes?: Record<number, string[]>;
}

/** Shares and intervals from the counts; themes by count, largest first, then by name. */
export function themeQuestionResult(input: ThemeCountsInput): ThemeQuestionResult {
  const themes = input.themes
    .map((t) => ({ ...t, interval: wilsonInterval(t.count, input.commented) }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return {
    question: input.question,
    commented: input.commented,
    uncoded: Math.max(0, input.commented - input.coded),
    themes,
    byGroup: input.groups
      ? {
          questionId: input.groups.questionId,
          questionText: input.groups.questionText,
          columns: input.groups.columns.map((c) => ({
            code: c.code,
            label: c.label,
            commented: c.commented,
            cells: themes.map((t) => {
              const count = c.counts.get(t.themeId) ?? 0;
              return { themeId: t.themeId, count, interval: wilsonInterval(count, c.commented) };
            }),
          })),
        }
      : null,
    quotes: input.quotes ?? {},
  };
}
