import {
  decimal,
  formatInterval,
  NO_VALUE,
  percent,
  pValue,
  shownShift,
} from "../../../../analysis/results/format.js";
import type { LikertDistribution } from "../../../../analysis/results/likert.js";
import type { PairedShiftResult } from "../../../../analysis/results/paired.js";
import { type Scale, scaleWording } from "../../../../analysis/scales.js";
import type { ConsultationResults, PairedSetResult, QuestionResult } from "../../../services/results.js";

/**
 * Turns computed results into what the dashboard shows: for each question a chart specification
 * (numbers the server computed, which the browser only draws) and the govuk table beneath it.
 * Percentages are rounded to whole numbers here, at display; every table states its base.
 */
export interface ChartSpec {
  kind: "diverging" | "bars" | "paired" | "timeline";
  /** Category labels (statements, options or days). */
  labels: string[];
  /** In drawing order; `legendOrder` (the option's place on its scale) orders the legend. */
  series: { label: string; values: number[]; tone: string; legendHidden?: boolean; legendOrder?: number }[];
  /** The value axis: "percent" (shares × 100) or "count". */
  unit: "percent" | "count";
}

export interface Block {
  id: string;
  heading: string;
  caption: string;
  notes: string[];
  lowBase: boolean;
  chart: ChartSpec | null;
  table: { head: { text: string; format?: string }[]; rows: { text: string; format?: string }[][] };
}

const num = (n: number) => ({ text: n.toLocaleString("en-GB"), format: "numeric" });
const pct = (share: number | null) => ({ text: percent(share), format: "numeric" });
const scaled = (share: number | null) => (share === null ? 0 : share * 100);
const TONES = { strongNeg: "neg-2", neg: "neg-1", neutral: "neutral", pos: "pos-1", strongPos: "pos-2" };

function tonesFor(d: LikertDistribution): string[] {
  // Strongest negative darkest, strongest positive darkest; middle grey.
  const negatives = d.options.filter((o) => o.group === "negative");
  const positives = d.options.filter((o) => o.group === "positive");
  return d.options.map((o) => {
    if (o.group === "neutral") return TONES.neutral;
    if (o.group === "positive") return positives.indexOf(o) === 0 ? TONES.strongPos : TONES.pos;
    return negatives.indexOf(o) === negatives.length - 1 ? TONES.strongNeg : TONES.neg;
  });
}

/** A diverging stacked bar (like the councils' "Chart 1"): disagreement left of zero, agreement right. */
function divergingChart(items: { text: string; distribution: LikertDistribution }[]): ChartSpec | null {
  const first = items[0]?.distribution;
  if (!first) return null;
  const tones = tonesFor(first);
  const series: ChartSpec["series"] = [];
  // Chart.js stacks datasets outward from zero in order: neutral halves first, then each side from
  // its mildest option to its strongest.
  const order = [
    ...first.options.map((o, k) => ({ o, k })).filter(({ o }) => o.group === "neutral"),
    ...first.options.map((o, k) => ({ o, k })).filter(({ o }) => o.group === "negative"),
    ...first.options
      .map((o, k) => ({ o, k }))
      .filter(({ o }) => o.group === "positive")
      .reverse(),
  ];
  order.forEach(({ o, k }) => {
    const values = items.map((i) => scaled(i.distribution.options[k]?.share ?? null));
    const tone = tones[k] ?? TONES.neutral;
    if (o.group === "neutral") {
      // Neutral answers straddle zero, half each side, as diverging bars conventionally draw them.
      series.push({ label: o.label, tone, values: values.map((v) => -v / 2), legendOrder: k });
      series.push({
        label: o.label,
        tone,
        values: values.map((v) => v / 2),
        legendHidden: true,
        legendOrder: k,
      });
    } else
      series.push({
        label: o.label,
        tone,
        values: o.group === "negative" ? values.map((v) => -v) : values,
        legendOrder: k,
      });
  });
  return { kind: "diverging", labels: items.map((i) => i.text), unit: "percent", series };
}

/**
 * Column names for a scale's positive and negative totals, in the scale's words ("Important
 * (total)"), or none when every group is a single option (agree / undecided / disagree): the totals
 * would repeat the option columns.
 */
export function groupTotals(scale: Scale): { positive: string; negative: string } | null {
  const words = scaleWording(scale);
  if (!words.hasTotals) return null;
  return { positive: `${words.positive} (total)`, negative: `${words.negative} (total)` };
}

/** "3.8 (3.6 to 4.0)": the mean score with its interval, or "–". */
function meanText(d: LikertDistribution): string {
  const interval = d.meanInterval;
  const mean = decimal(d.meanScore);
  return interval ? `${mean} (${decimal(interval.lower)} to ${decimal(interval.upper)})` : mean;
}

/** "Mean score: 1 = “Strongly disagree” to 5 = “Strongly agree”." */
export function scoreNote(scale: Scale): string | null {
  const scored = scale.options.filter((o) => o.score !== null);
  const low = scored.reduce<(typeof scored)[number] | undefined>(
    (a, o) => (a === undefined || (o.score ?? 0) < (a.score ?? 0) ? o : a),
    undefined,
  );
  const high = scored.reduce<(typeof scored)[number] | undefined>(
    (a, o) => (a === undefined || (o.score ?? 0) > (a.score ?? 0) ? o : a),
    undefined,
  );
  if (!low || !high) return null;
  return `Mean score: from ${low.score} = \u201c${low.label}\u201d to ${high.score} = \u201c${high.label}\u201d, with a 95% interval.`;
}

function likertTable(scale: Scale, items: { text: string; distribution: LikertDistribution }[]) {
  const first = items[0]?.distribution;
  const excluded = first?.excluded ?? [];
  const totals = groupTotals(scale);
  return {
    head: [
      { text: "Statement" },
      ...(first?.options ?? []).map((o) => ({ text: o.label, format: "numeric" })),
      ...(totals
        ? [
            { text: totals.positive, format: "numeric" },
            { text: totals.negative, format: "numeric" },
          ]
        : []),
      { text: "Base", format: "numeric" },
      { text: "Mean score (95% interval)", format: "numeric" },
      ...excluded.map((o) => ({ text: `${o.label} (not in base)`, format: "numeric" })),
    ],
    rows: items.map((i) => [
      { text: i.text },
      ...i.distribution.options.map((o) => pct(o.share)),
      ...(totals
        ? [pct(i.distribution.groups.positive.share), pct(i.distribution.groups.negative.share)]
        : []),
      num(i.distribution.base),
      { text: meanText(i.distribution), format: "numeric" },
      ...i.distribution.excluded.map((o) => num(o.count)),
    ]),
  };
}

function baseCaption(bases: number[]): string {
  const min = Math.min(...bases);
  const max = Math.max(...bases);
  const who = "respondents who answered";
  return min === max
    ? `Base: ${min.toLocaleString("en-GB")} ${who}`
    : `Base: ${min.toLocaleString("en-GB")} to ${max.toLocaleString("en-GB")} ${who}`;
}

export function questionBlock(q: QuestionResult): Block {
  const id = `q-${q.question.id}`;
  const heading = q.question.text;
  switch (q.kind) {
    case "likert":
    case "grid":
    case "paired": {
      const items =
        q.kind === "likert" ? [{ text: q.question.text, distribution: q.distribution }] : q.statements;
      const bases = items.map((i) => i.distribution.base);
      const notes = [
        'Percentages are of respondents who chose a point on the scale; "don\'t know" and blanks are not in the base.',
      ];
      const scores = scoreNote(q.scale);
      if (scores) notes.push(scores);
      if (q.kind === "paired")
        notes.push(`Asked ${q.phase === "before" ? q.moments.before : q.moments.after}.`);
      return {
        id,
        heading,
        caption: baseCaption(bases),
        notes,
        lowBase: items.some((i) => i.distribution.lowBase),
        chart: divergingChart(items),
        table: likertTable(q.scale, items),
      };
    }
    case "single":
    case "multiple": {
      const r = q.result;
      return {
        id,
        heading,
        caption: baseCaption([r.base]),
        notes: q.kind === "multiple" ? [q.result.note] : [],
        lowBase: r.lowBase,
        chart: {
          kind: "bars",
          labels: r.options.map((o) => o.label),
          unit: "percent",
          series: [{ label: "Respondents", tone: "pos-1", values: r.options.map((o) => scaled(o.share)) }],
        },
        table: {
          head: [
            { text: "Answer" },
            { text: "Respondents", format: "numeric" },
            { text: "Percentage", format: "numeric" },
          ],
          rows: r.options.map((o) => [{ text: o.label }, num(o.count), pct(o.share)]),
        },
      };
    }
    case "text":
      return {
        id,
        heading,
        caption: `${q.total.toLocaleString("en-GB")} comments`,
        notes: [],
        lowBase: false,
        chart: null,
        table: {
          head: [{ text: "Reference" }, { text: "Latest comments" }],
          // The retention job empties the words of comments once the retention period has passed.
          rows: q.latest.map((t) => [
            { text: t.reference },
            { text: t.text.trim() === "" ? "Removed under the retention policy" : t.text },
          ]),
        },
      };
    case "number":
      return {
        id,
        heading,
        caption: `${q.count.toLocaleString("en-GB")} answers`,
        notes: [],
        lowBase: q.count < 30,
        chart: null,
        table: {
          head: [
            { text: "Answers", format: "numeric" },
            { text: "Mean", format: "numeric" },
          ],
          rows: [[num(q.count), { text: decimal(q.mean), format: "numeric" }]],
        },
      };
  }
}

function shiftRow(s: PairedShiftResult) {
  // Without complete pairs there is nothing to compare: no shift, interval or test is shown.
  const tested = s.pairs > 0;
  const cell = (text: string) => ({ text: tested ? text : NO_VALUE, format: "numeric" });
  return [
    { text: s.statement.text },
    num(s.pairs),
    pct(tested ? s.agreeBefore.share : null),
    pct(tested ? s.agreeAfter.share : null),
    cell(shownShift(s.agreeBefore.share, s.agreeAfter.share)),
    cell(formatInterval(s.shiftInterval, 0, "points")),
    cell(pValue(s.wilcoxon.p)),
    cell(pValue(s.mcnemar.p)),
  ];
}

/** "Before the workshop and after the workshop": the two moments, as the set's heading. */
export function pairedHeading(set: PairedSetResult): string {
  const { before, after } = set.moments;
  return `${before.charAt(0).toUpperCase()}${before.slice(1)} and ${after}`;
}

const positiveOptions = (scale: Scale) =>
  scale.options
    .filter((o) => o.group === "positive")
    .map((o) => `\u201c${o.label}\u201d`)
    .join(" or ");

export function pairedBlock(set: PairedSetResult): Block {
  const positive = scaleWording(set.scale).positive;
  return {
    id: `paired-${set.set.id}`,
    heading: pairedHeading(set),
    caption: `Respondents who rated the statement on the scale both times (complete pairs); statements ranked by shift`,
    notes: [
      `Shift: the change in the percentage choosing ${positiveOptions(set.scale)}, in points: the difference of the two percentages shown. Its 95% interval is for paired proportions (Newcombe's method 10).`,
      `Wilcoxon p: whether ratings moved along the whole scale (signed-rank test on the scores; unchanged ratings ranked, as Pratt proposed). McNemar p: whether the share choosing ${positiveOptions(set.scale)} changed (exact test). Either can be below 0.05 while the other is not.`,
    ],
    lowBase: set.shifts.some((s) => s.lowBase),
    chart: {
      kind: "paired",
      labels: set.ranked.map((s) => s.statement.text),
      unit: "percent",
      series: [
        {
          label: `${positive} ${set.moments.before}`,
          tone: "neutral",
          values: set.ranked.map((s) => scaled(s.agreeBefore.share)),
        },
        {
          label: `${positive} ${set.moments.after}`,
          tone: "pos-2",
          values: set.ranked.map((s) => scaled(s.agreeAfter.share)),
        },
      ],
    },
    table: {
      head: [
        { text: "Statement" },
        { text: "Pairs", format: "numeric" },
        { text: `${positive}: ${set.moments.before}`, format: "numeric" },
        { text: `${positive}: ${set.moments.after}`, format: "numeric" },
        { text: "Shift", format: "numeric" },
        { text: "95% interval", format: "numeric" },
        { text: "Wilcoxon p", format: "numeric" },
        { text: "McNemar p", format: "numeric" },
      ],
      rows: set.ranked.map(shiftRow),
    },
  };
}

/** Monday of the week holding an ISO day (YYYY-MM-DD), as YYYY-MM-DD. */
function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

const longDate = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });

export function timelineBlock(results: ConsultationResults): Block {
  const allDays = [...new Set(results.byDay.map((d) => d.day))].sort();
  const first = allDays[0];
  const last = allDays[allDays.length - 1];
  // More than a month of days makes an unreadable chart and a long table: count by week instead.
  const weekly =
    first !== undefined && last !== undefined && Date.parse(last) - Date.parse(first) > 31 * 86_400_000;
  const bucket = (day: string) => (weekly ? weekOf(day) : day);
  const counts = new Map<string, Map<string, number>>();
  for (const d of results.byDay) {
    const key = bucket(d.day);
    const row = counts.get(key) ?? new Map<string, number>();
    row.set(d.channel, (row.get(d.channel) ?? 0) + d.n);
    counts.set(key, row);
  }
  const periods = [...counts.keys()].sort();
  const channels = [...new Set(results.byDay.map((d) => d.channel))];
  const value = (period: string, channel: string) => counts.get(period)?.get(channel) ?? 0;
  const label = (period: string) => (weekly ? `Week of ${longDate(period)}` : longDate(period));
  return {
    id: "responses-over-time",
    heading: "Responses over time",
    caption: `Responses received each ${weekly ? "week" : "day"}, by channel (${results.filter ? "this group" : "all respondents"})`,
    notes: [],
    lowBase: false,
    chart: {
      kind: "timeline",
      labels: periods.map(label),
      unit: "count",
      series: channels.map((c, i) => ({
        label: c,
        tone: ["pos-2", "neutral", "neg-1", "pos-1"][i % 4] ?? "neutral",
        values: periods.map((p) => value(p, c)),
      })),
    },
    table: {
      head: [
        { text: weekly ? "Week" : "Day" },
        ...channels.map((c) => ({ text: c, format: "numeric" })),
        { text: "Total", format: "numeric" },
      ],
      rows: periods.map((p) => [
        { text: label(p) },
        ...channels.map((c) => num(value(p, c))),
        num(channels.reduce((a, c) => a + value(p, c), 0)),
      ]),
    },
  };
}
