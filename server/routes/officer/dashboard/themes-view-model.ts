import { QUICK, redact } from "../../../../analysis/redaction.js";
import { formatInterval, percent } from "../../../../analysis/results/format.js";
import { LOW_BASE } from "../../../../analysis/results/likert.js";
import type { ThemeQuestionResult } from "../../../services/themes.js";
import type { Block } from "./view-model.js";

/** A question's themes as the dashboard shows them: the counts, the theme x group table, quotes. */
export interface ThemeBlock {
  block: Block;
  uncoded: string;
  group: Block | null;
  quotes: { theme: string; texts: string[] }[];
}

const num = (n: number) => ({ text: n.toLocaleString("en-GB"), format: "numeric" });
const pct = (share: number | null) => ({ text: percent(share), format: "numeric" });

/** Counts use confirmed tags only; every share's base is the respondents who commented. */
export function themeBlock(r: ThemeQuestionResult, codingHref: string): ThemeBlock {
  const id = `themes-${r.question.id}`;
  const label = (t: ThemeQuestionResult["themes"][number]) => (t.parent ? `${t.parent}: ${t.name}` : t.name);
  const block: Block & { more?: { href: string; text: string } } = {
    id,
    heading: `Themes: ${r.question.text}`,
    caption: `Base: ${r.commented.toLocaleString("en-GB")} respondents who commented. Confirmed themes only.`,
    notes: [
      "A comment can raise more than one theme, so the percentages can add up to more than 100%. The interval is the 95% Wilson interval of the percentage.",
    ],
    lowBase: r.commented > 0 && r.commented < LOW_BASE,
    chart: {
      kind: "bars",
      labels: r.themes.map(label),
      unit: "percent",
      series: [
        {
          label: "Respondents",
          tone: "pos-1",
          values: r.themes.map((t) => (t.interval.proportion === null ? 0 : t.interval.proportion * 100)),
        },
      ],
    },
    table: {
      head: [
        { text: "Theme" },
        { text: "Respondents", format: "numeric" },
        { text: "Percentage", format: "numeric" },
        { text: "95% interval", format: "numeric" },
      ],
      rows: r.themes.map((t) => [
        { text: label(t) },
        num(t.count),
        pct(t.interval.proportion),
        { text: r.commented > 0 ? formatInterval(t.interval) : "\u2013", format: "numeric" },
      ]),
    },
    more: { href: codingHref, text: "Code these comments" },
  };
  const names = new Map(r.themes.map((t) => [t.themeId, label(t)]));
  return {
    block,
    uncoded:
      r.uncoded === 0
        ? "Every comment to this question has a confirmed theme."
        : `${r.uncoded.toLocaleString("en-GB")} of ${r.commented.toLocaleString("en-GB")} comments have no confirmed theme yet, so these counts may still grow.`,
    group: r.byGroup
      ? {
          id: `${id}-by-group`,
          heading: `Themes by "${r.byGroup.questionText}"`,
          caption: "Respondents who commented in each group, and the percentage of them with each theme.",
          notes: [],
          lowBase: r.byGroup.columns.some((c) => c.commented > 0 && c.commented < LOW_BASE),
          chart: null,
          table: {
            head: [
              { text: "Theme" },
              ...r.byGroup.columns.map((c) => ({ text: `${c.label} (${c.commented})`, format: "numeric" })),
            ],
            rows: r.themes.map((t, k) => [
              { text: label(t) },
              ...(r.byGroup?.columns ?? []).map((c) => {
                const cell = c.cells[k];
                return {
                  text: cell ? `${cell.count} (${percent(cell.interval.proportion)})` : "\u2013",
                  format: "numeric",
                };
              }),
            ]),
          },
        }
      : null,
    quotes: r.themes
      .filter((t) => (r.quotes[t.themeId] ?? []).length > 0)
      .map((t) => ({
        theme: names.get(t.themeId) ?? t.name,
        texts: (r.quotes[t.themeId] ?? []).map((q) => redact(q, QUICK)),
      })),
  };
}
