import { findQuestion } from "../../analysis/definition.js";
import { InvalidRequestError } from "../../analysis/errors.js";
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
  "pairs",
  "agree_before",
  "agree_after",
  "shift",
  "shift_lower",
  "shift_upper",
  "wilcoxon_p",
  "mcnemar_p",
];

type Row = (string | number | null)[];

/**
 * The analysis tables in long form: one row per question, item, group and option, with counts, the
 * base and the unrounded share; paired statements add one row each with their shift and tests.
 * With a group question, every table is repeated for each of its options (a respondent who ticked
 * several options of a multiple-choice question is counted in each of those groups).
 */
export function summaryCsv(
  service: ResultsService,
  row: ConsultationRow,
  groupBy?: string,
  themes?: ThemeService,
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
  return toCsv(SUMMARY_HEADER, rows);
}

function rowsFor(results: ConsultationResults, groupQuestion: string, group: string): Row[] {
  const rows: Row[] = [];
  const push = (
    qid: string,
    qtext: string,
    itemId: string,
    itemText: string,
    code: string,
    label: string,
    count: number,
    base: number,
    share: number | null,
  ) =>
    rows.push([
      qid,
      qtext,
      itemId,
      itemText,
      groupQuestion,
      group,
      code,
      label,
      count,
      base,
      share,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  rows.push([
    "respondents",
    "Respondents",
    "",
    "",
    groupQuestion,
    group,
    "",
    "",
    results.respondents,
    results.respondents,
    null,
    ...Array(8).fill(null),
  ]);
  for (const q of results.questions) {
    const { id, text } = q.question;
    switch (q.kind) {
      case "likert":
      case "grid":
      case "paired": {
        const items =
          q.kind === "likert" ? [{ id: "", text: "", distribution: q.distribution }] : q.statements;
        for (const item of items) {
          const d = item.distribution;
          for (const o of d.options)
            push(id, text, item.id, item.text, o.code, o.label, o.count, d.base, o.share);
          for (const o of d.excluded)
            push(id, text, item.id, item.text, o.code, o.label, o.count, d.base, null);
          // The totals in the scale's own words ("Important (total)"); no neutral row on a scale
          // without a neutral middle.
          const words = scaleWording(q.scale);
          push(
            id,
            text,
            item.id,
            item.text,
            "(positive)",
            `${words.positive} (total)`,
            d.groups.positive.count,
            d.base,
            d.groups.positive.share,
          );
          if (words.neutral !== null)
            push(
              id,
              text,
              item.id,
              item.text,
              "(neutral)",
              `${words.neutral} (total)`,
              d.groups.neutral.count,
              d.base,
              d.groups.neutral.share,
            );
          push(
            id,
            text,
            item.id,
            item.text,
            "(negative)",
            `${words.negative} (total)`,
            d.groups.negative.count,
            d.base,
            d.groups.negative.share,
          );
          push(id, text, item.id, item.text, "(not answered)", "Not answered", d.notAnswered, d.base, null);
        }
        break;
      }
      case "single":
      case "multiple":
        for (const o of q.result.options)
          push(id, text, "", "", o.code, o.label, o.count, q.result.base, o.share);
        break;
      case "text":
        push(id, text, "", "", "(comments)", "Comments given", q.total, results.respondents, null);
        break;
      case "number":
        push(id, text, "", "", "(mean)", "Mean", q.count, q.count, q.mean);
        break;
    }
  }
  for (const set of results.paired) {
    for (const s of set.shifts) {
      rows.push([
        `${set.before.id}|${set.after.id}`,
        `${set.before.text} / ${set.after.text}`,
        s.statement.id,
        s.statement.text,
        groupQuestion,
        group,
        "(shift)",
        "Complete pairs (rated on the scale both times)",
        s.pairs,
        s.pairs,
        null,
        s.pairs,
        s.agreeBefore.share,
        s.agreeAfter.share,
        s.shift,
        s.shiftInterval.lower,
        s.shiftInterval.upper,
        s.wilcoxon.p,
        s.mcnemar.p,
      ]);
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
  const pad = Array(SUMMARY_HEADER.length - 11).fill(null);
  return themes
    .results(row, filter)
    .flatMap((r) => [
      ...r.themes.map((t) => [
        r.question.id,
        r.question.text,
        "themes",
        "Themes in the comments (confirmed)",
        groupQuestion,
        group,
        `theme-${t.themeId}`,
        t.parent ? `${t.parent}: ${t.name}` : t.name,
        t.count,
        r.commented,
        t.interval.proportion,
        ...pad,
      ]),
      [
        r.question.id,
        r.question.text,
        "themes",
        "Themes in the comments (confirmed)",
        groupQuestion,
        group,
        "uncoded",
        "No confirmed theme yet",
        r.uncoded,
        r.commented,
        r.commented > 0 ? r.uncoded / r.commented : null,
        ...pad,
      ],
    ]);
}
