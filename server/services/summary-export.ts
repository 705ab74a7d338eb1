import { findQuestion } from "../../analysis/definition.js";
import { InvalidRequestError } from "../../analysis/errors.js";
import { LOW_BASE } from "../../analysis/results/likert.js";
import { byGroup, canSplitBy, splitGroups } from "../../analysis/results/segments.js";
import { scaleWording } from "../../analysis/scales.js";
import type { ConsultationRow } from "../../db/consultations.js";
import { toCsv } from "./csv.js";
import type { ConsultationResults, FilterChoice, ResultsService } from "./results.js";
import type { ThemeService } from "./themes.js";

export const SUMMARY_HEADER = [
  "question_id",
  "question_text",
  "item_id",
  "item_text",
  "group_question",
  "group",
  "option_code",
  "option_label",
  "count",
  "base",
  "share",
  /** 1 where the base is below LOW_BASE (the dashboard's "low base" rule), 0 otherwise. */
  "low_base",
  /** On "(mean)" rows: the mean score (scales with scores) or the mean number, and its 95% interval. */
  "mean",
  "mean_lower",
  "mean_upper",
  "pairs",
  /** Shares in the scale's positive group ("agree", "important"...) among the complete pairs. */
  "positive_before",
  "positive_after",
  "shift",
  "shift_lower",
  "shift_upper",
  "wilcoxon_p",
  "mcnemar_p",
] as const;

type Column = (typeof SUMMARY_HEADER)[number];

export interface SummaryCsvOptions {
  /** Every digit of each share, mean, shift and p value, instead of the rounded figures. */
  fullPrecision?: boolean;
}

/** Shares, means and shifts to 4 decimal places (0.5238 is 52.38%): finer than any report shows. */
const FOUR_PLACES: ReadonlySet<Column> = new Set([
  "share",
  "mean",
  "mean_lower",
  "mean_upper",
  "positive_before",
  "positive_after",
  "shift",
  "shift_lower",
  "shift_upper",
]);
/** p values to 4 significant figures, so that a very small one does not round to 0. */
const FOUR_FIGURES: ReadonlySet<Column> = new Set(["wilcoxon_p", "mcnemar_p"]);

function rounded(rows: Row[]): Row[] {
  const rule = SUMMARY_HEADER.map((c) =>
    FOUR_PLACES.has(c) ? "places" : FOUR_FIGURES.has(c) ? "figures" : null,
  );
  return rows.map((r) =>
    r.map((cell, i) => {
      if (typeof cell !== "number" || !Number.isFinite(cell)) return cell;
      if (rule[i] === "places") return Math.round(cell * 1e4) / 1e4 || 0;
      if (rule[i] === "figures") return Number(cell.toPrecision(4));
      return cell;
    }),
  );
}
type Cell = string | number | null;
type Row = Cell[];

/**
 * The analysis tables in long form: one row per question, item, group and option, with counts, the
 * base and the share (shares and shifts to 4 decimal places, p values to 4 significant figures,
 * unless opts.fullPrecision); paired statements add one row each with their shift and tests.
 * With a group question, every table is repeated for each of its options (a respondent who ticked
 * several options of a multiple-choice question is counted in each of those groups).
 */
export function summaryCsv(
  service: ResultsService,
  row: ConsultationRow,
  groupBy?: string,
  themes?: ThemeService,
  opts: SummaryCsvOptions = {},
): string {
  const q = groupBy === undefined ? undefined : findQuestion(row.definition, groupBy);
  if (groupBy !== undefined && !(q && canSplitBy(q)))
    throw new InvalidRequestError(
      `"${groupBy}" is not a closed question of "${row.slug}" and cannot group the results`,
    );
  const filterOf = (code: string | null): FilterChoice | null =>
    q && code !== null ? { question: q.id, codes: [code] } : null;
  const split = byGroup(q && canSplitBy(q) ? splitGroups(row.definition, q) : [], (code) =>
    service.compute(row, filterOf(code)),
  );
  const rows: Row[] = [];
  for (const { group, result } of [split.all, ...split.groups])
    rows.push(...rowsFor(result, groupBy ?? "", group.label));
  if (themes)
    for (const { group } of [split.all, ...split.groups])
      rows.push(...themeRows(themes, row, filterOf(group.code), groupBy ?? "", group.label));
  return toCsv([...SUMMARY_HEADER], opts.fullPrecision ? rows : rounded(rows));
}

function rowsFor(results: ConsultationResults, groupQuestion: string, group: string): Row[] {
  const rows: Row[] = [];
  const push = (cells: Partial<Record<Column, Cell>>) =>
    rows.push(
      SUMMARY_HEADER.map(
        (c) => cells[c] ?? (c === "group_question" ? groupQuestion : c === "group" ? group : null),
      ),
    );
  const flag = (low: boolean) => (low ? 1 : 0);
  push({
    question_id: "respondents",
    question_text: "Respondents",
    count: results.respondents,
    base: results.respondents,
  });
  for (const q of results.questions) {
    const about = { question_id: q.question.id, question_text: q.question.text };
    switch (q.kind) {
      case "likert":
      case "grid":
      case "paired": {
        const items =
          q.kind === "likert" ? [{ id: "", text: "", distribution: q.distribution }] : q.statements;
        // The totals in the scale's own words ("Important (total)"); no neutral row on a scale
        // without a neutral middle.
        const words = scaleWording(q.scale);
        const scores = q.scale.options.filter((o) => o.score !== null);
        const lowest = scores.reduce((a, b) => ((a.score ?? 0) <= (b.score ?? 0) ? a : b));
        const highest = scores.reduce((a, b) => ((a.score ?? 0) >= (b.score ?? 0) ? a : b));
        for (const item of items) {
          const d = item.distribution;
          const at = {
            ...about,
            item_id: item.id,
            item_text: item.text,
            base: d.base,
            low_base: flag(d.lowBase),
          };
          for (const o of d.options)
            push({ ...at, option_code: o.code, option_label: o.label, count: o.count, share: o.share });
          for (const o of d.excluded)
            push({ ...at, option_code: o.code, option_label: o.label, count: o.count });
          const total = (code: string, label: string, g: { count: number; share: number | null }) =>
            push({
              ...at,
              option_code: code,
              option_label: `${label} (total)`,
              count: g.count,
              share: g.share,
            });
          total("(positive)", words.positive, d.groups.positive);
          if (words.neutral !== null) total("(neutral)", words.neutral, d.groups.neutral);
          total("(negative)", words.negative, d.groups.negative);
          push({ ...at, option_code: "(not answered)", option_label: "Not answered", count: d.notAnswered });
          push({
            ...at,
            option_code: "(mean)",
            option_label: `Mean score (${lowest.score} = ${lowest.label} to ${highest.score} = ${highest.label})`,
            count: d.base,
            mean: d.meanScore,
            mean_lower: d.meanInterval?.lower ?? null,
            mean_upper: d.meanInterval?.upper ?? null,
          });
        }
        break;
      }
      case "single":
      case "multiple":
        for (const o of q.result.options)
          push({
            ...about,
            option_code: o.code,
            option_label: o.label,
            count: o.count,
            base: q.result.base,
            share: o.share,
            low_base: flag(q.result.lowBase),
          });
        break;
      case "text":
        push({
          ...about,
          option_code: "(comments)",
          option_label: "Comments given",
          count: q.total,
          base: results.respondents,
        });
        break;
      case "number":
        push({
          ...about,
          option_code: "(mean)",
          option_label: "Mean",
          count: q.count,
          base: q.count,
          low_base: flag(q.count < LOW_BASE),
          mean: q.mean,
        });
        break;
    }
  }
  for (const set of results.paired) {
    for (const s of set.shifts) {
      // A group with no complete pairs has no shift: its interval and tests are left blank rather
      // than printed as "-1 to 1, p = 1", which would read like a result.
      const tested = s.pairs > 0;
      push({
        question_id: `${set.before.id}|${set.after.id}`,
        question_text: `${set.before.text} / ${set.after.text}`,
        item_id: s.statement.id,
        item_text: s.statement.text,
        option_code: "(shift)",
        option_label: "Complete pairs (rated on the scale both times)",
        count: s.pairs,
        base: s.pairs,
        low_base: flag(s.lowBase),
        pairs: s.pairs,
        positive_before: tested ? s.agreeBefore.share : null,
        positive_after: tested ? s.agreeAfter.share : null,
        shift: tested ? s.shift : null,
        shift_lower: tested ? s.shiftInterval.lower : null,
        shift_upper: tested ? s.shiftInterval.upper : null,
        wilcoxon_p: tested ? s.wilcoxon.p : null,
        mcnemar_p: tested ? s.mcnemar.p : null,
      });
    }
  }
  return rows;
}

/**
 * Comment themes (confirmed tags only): per question with comments, a row per theme with the
 * respondents it was coded for, the base (respondents who commented) and the unrounded share, and a
 * row for the comments with no confirmed theme yet. item_id is "themes"; option_code "theme-<id>".
 */
function themeRows(
  themes: ThemeService,
  row: ConsultationRow,
  filter: FilterChoice | null,
  groupQuestion: string,
  group: string,
): Row[] {
  const line = (cells: Partial<Record<Column, Cell>>): Row =>
    SUMMARY_HEADER.map(
      (c) => cells[c] ?? (c === "group_question" ? groupQuestion : c === "group" ? group : null),
    );
  const counting =
    themes.campaignsCount(row) === "once" ? "a campaign counts once" : "each respondent counts";
  return themes.results(row, filter).flatMap((r) => {
    const at = {
      question_id: r.question.id,
      question_text: r.question.text,
      item_id: "themes",
      item_text: `Themes in the comments (confirmed; ${counting})`,
      base: r.commented,
      low_base: r.commented < LOW_BASE ? 1 : 0,
    };
    return [
      ...r.themes.map((t) =>
        line({
          ...at,
          option_code: `theme-${t.themeId}`,
          option_label: t.parent ? `${t.parent}: ${t.name}` : t.name,
          count: t.count,
          share: t.interval.proportion,
        }),
      ),
      line({
        ...at,
        option_code: "uncoded",
        option_label: "No confirmed theme yet",
        count: r.uncoded,
        share: r.commented > 0 ? r.uncoded / r.commented : null,
      }),
    ];
  });
}
