import { z } from "zod";
import { notReserved, reservedMessage } from "./reserved-names.js";

/**
 * Scales are data: every option carries the score used for means and tests, and the group used for
 * "agree / neither / disagree" summaries. "excluded" options (don't know, prefer not to say) are
 * answers, but they stay out of the base of every percentage.
 */
export const scaleGroups = ["positive", "neutral", "negative", "excluded"] as const;
export type ScaleGroup = (typeof scaleGroups)[number];

const code = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Use 1 to 40 lower-case letters, digits, '-' or '_' for a code")
  .refine(notReserved, reservedMessage("a code"));

export const scaleOptionSchema = z.strictObject({
  code,
  label: z.string().min(1).max(200),
  score: z.number().nullable(),
  group: z.enum(scaleGroups),
});

const phrase = z.string().trim().min(1).max(100);

/**
 * What a scale's results are called in the dashboard, the CSVs and the report. Which options make
 * each total, and whether there is a neutral middle, come from the options' groups; these are only
 * the words. Every field is optional: a scale without them reads in its option labels
 * ("chose ‘Good’ or ‘Very good’"), which is always true if less fluent.
 */
export const scaleWordsSchema = z.strictObject({
  /** Heads the positive total: "Agree", "Important", "Satisfied" (shown as "Agree (total)"). */
  positive: phrase.optional(),
  /** Heads the negative total: "Disagree", "Not important", "Dissatisfied". */
  negative: phrase.optional(),
  /** "agreed" in "79% agreed"; "said it was important"; "were satisfied". */
  positiveVerb: phrase.optional(),
  negativeVerb: phrase.optional(),
  /** "neither agreed nor disagreed"; ignored when no option is neutral. */
  neutralVerb: phrase.optional(),
  /** Follows the strongest option's share: "strongly" in "(39% strongly)", "very important". */
  strongPositive: phrase.optional(),
  strongNegative: phrase.optional(),
  /** "Agreement" in "Agreement was highest for ...". */
  measure: phrase.optional(),
  /** The lowest-ranked statement, "{noun}" standing for "principle", "aim"...: "least popular {noun}". */
  lowest: phrase.regex(/\{noun\}/, 'Put "{noun}" where the statements\' noun goes').optional(),
  /**
   * Completes "Select ..." when a rating is missing, "{subject}" standing for the statement or "this":
   * "how much you agree with {subject}", "how important {subject} is".
   */
  prompt: phrase.regex(/\{subject\}/, 'Put "{subject}" where the statement goes').optional(),
});
export type ScaleWordsInput = z.infer<typeof scaleWordsSchema>;

export const scaleSchema = z
  .strictObject({
    id: code,
    name: z.string().min(1).max(200),
    options: z.array(scaleOptionSchema).min(2).max(11),
    words: scaleWordsSchema.default({}),
  })
  .superRefine((scale, ctx) => {
    const seen = new Set<string>();
    scale.options.forEach((option, index) => {
      if (seen.has(option.code)) {
        ctx.addIssue({
          code: "custom",
          path: ["options", index, "code"],
          message: `Duplicate code "${option.code}"`,
        });
      }
      seen.add(option.code);
      if (option.group === "excluded" && option.score !== null) {
        ctx.addIssue({
          code: "custom",
          path: ["options", index, "score"],
          message: "An excluded option has no score (use null)",
        });
      }
      if (option.group !== "excluded" && option.score === null) {
        ctx.addIssue({
          code: "custom",
          path: ["options", index, "score"],
          message: "A scored option needs a score",
        });
      }
    });
  });

export type ScaleOption = z.infer<typeof scaleOptionSchema>;
export type Scale = z.infer<typeof scaleSchema>;

const AGREEMENT_WORDS: ScaleWordsInput = {
  positive: "Agree",
  negative: "Disagree",
  positiveVerb: "agreed",
  negativeVerb: "disagreed",
  neutralVerb: "neither agreed nor disagreed",
  strongPositive: "strongly",
  strongNegative: "strongly",
  measure: "Agreement",
  lowest: "least popular {noun}",
  prompt: "how much you agree with {subject}",
};

/** The scales councils use most, available to every definition by id. */
export const builtInScales: readonly Scale[] = [
  {
    id: "agreement-5",
    name: "Agreement (5 points, with don't know)",
    options: [
      { code: "strongly-agree", label: "Strongly agree", score: 5, group: "positive" },
      { code: "agree", label: "Tend to agree", score: 4, group: "positive" },
      { code: "neither", label: "Neither agree nor disagree", score: 3, group: "neutral" },
      { code: "disagree", label: "Tend to disagree", score: 2, group: "negative" },
      { code: "strongly-disagree", label: "Strongly disagree", score: 1, group: "negative" },
      { code: "dont-know", label: "Don't know", score: null, group: "excluded" },
    ],
    words: AGREEMENT_WORDS,
  },
  {
    id: "importance-4",
    name: "Importance (4 points)",
    options: [
      { code: "very", label: "Very important", score: 4, group: "positive" },
      { code: "fairly", label: "Fairly important", score: 3, group: "positive" },
      { code: "not-very", label: "Not very important", score: 2, group: "negative" },
      { code: "not-at-all", label: "Not at all important", score: 1, group: "negative" },
      { code: "dont-know", label: "Don't know", score: null, group: "excluded" },
    ],
    words: {
      positive: "Important",
      negative: "Not important",
      positiveVerb: "said it was important",
      negativeVerb: "said it was not important",
      strongPositive: "very important",
      strongNegative: "not at all important",
      measure: "Importance",
      lowest: "{noun} rated least important",
      prompt: "how important {subject} is",
    },
  },
  {
    id: "agree-undecided-disagree",
    name: "Agree, undecided or disagree",
    options: [
      { code: "agree", label: "Agree", score: 3, group: "positive" },
      { code: "undecided", label: "Undecided", score: 2, group: "neutral" },
      { code: "disagree", label: "Disagree", score: 1, group: "negative" },
    ],
    words: { ...AGREEMENT_WORDS, neutralVerb: "were undecided" },
  },
  {
    id: "strong-neither-weak",
    name: "Strong, neither strong nor weak, or weak",
    options: [
      { code: "strong", label: "Strong", score: 3, group: "positive" },
      { code: "neither", label: "Neither strong nor weak", score: 2, group: "neutral" },
      { code: "weak", label: "Weak", score: 1, group: "negative" },
    ],
    words: {
      positive: "Strong",
      negative: "Weak",
      positiveVerb: "rated them strong",
      negativeVerb: "weak",
      neutralVerb: "neither strong nor weak",
      strongPositive: "strong",
      strongNegative: "weak",
      measure: "The share rating them strong",
      lowest: "{noun} rated weakest",
      prompt: "how strong you think {subject} is",
    },
  },
];

export function scoreOf(scale: Scale, optionCode: string): number | null {
  return scale.options.find((option) => option.code === optionCode)?.score ?? null;
}

export function groupOf(scale: Scale, optionCode: string): ScaleGroup | undefined {
  return scale.options.find((option) => option.code === optionCode)?.group;
}

/** A scale's words with every default filled in, and what its groups hold. */
export interface ScaleWording {
  /** "Agree": heads the positive total. */
  positive: string;
  negative: string;
  /** Whether any option is in the neutral group; "Neither agree nor disagree" (its labels) if so. */
  neutral: string | null;
  positiveVerb: string;
  negativeVerb: string;
  /** null when the scale has no neutral middle. */
  neutralVerb: string | null;
  strongPositive: string;
  strongNegative: string;
  measure: string;
  lowest: (noun: string) => string;
  /** "Select how much you agree with ‘…’", or with "this" when there is no statement. */
  select: (subject?: string) => string;
  /** Whether the totals add anything to the option columns (some group has two or more options). */
  hasTotals: boolean;
}

const quoted = (text: string) => `\u2018${text}\u2019`;
const orList = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;

export function scaleWording(scale: Scale): ScaleWording {
  const w = scale.words ?? {};
  const inGroup = (group: ScaleGroup) => scale.options.filter((o) => o.group === group);
  const labels = (group: ScaleGroup) => inGroup(group).map((o) => quoted(o.label));
  const neutral = inGroup("neutral");
  const negatives = inGroup("negative");
  return {
    positive: w.positive ?? "Positive",
    negative: w.negative ?? "Negative",
    neutral: neutral.length > 0 ? neutral.map((o) => o.label).join(" or ") : null,
    positiveVerb: w.positiveVerb ?? `chose ${orList(labels("positive"))}`,
    negativeVerb: w.negativeVerb ?? `chose ${orList(labels("negative"))}`,
    neutralVerb: neutral.length === 0 ? null : (w.neutralVerb ?? `chose ${orList(labels("neutral"))}`),
    strongPositive: w.strongPositive ?? quoted(inGroup("positive")[0]?.label ?? ""),
    strongNegative: w.strongNegative ?? quoted(negatives[negatives.length - 1]?.label ?? ""),
    measure: w.measure ?? `The share choosing ${orList(labels("positive"))}`,
    lowest: (noun) => (w.lowest ?? "lowest-rated {noun}").replaceAll("{noun}", noun),
    select: (subject) => {
      if (w.prompt) return `Select ${w.prompt.replaceAll("{subject}", subject ? `"${subject}"` : "this")}`;
      return subject ? `Select an answer for "${subject}"` : "Select an answer";
    },
    hasTotals: inGroup("positive").length > 1 || negatives.length > 1,
  };
}
