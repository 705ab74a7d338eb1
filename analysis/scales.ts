import { z } from "zod";

/**
 * Scales are data: every option carries the score used for means and tests, and the group used for
 * "agree / neither / disagree" summaries. "excluded" options (don't know, prefer not to say) are
 * answers, but they stay out of the base of every percentage.
 */
export const scaleGroups = ["positive", "neutral", "negative", "excluded"] as const;
export type ScaleGroup = (typeof scaleGroups)[number];

const code = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Use 1 to 40 lower-case letters, digits, '-' or '_' for a code");

export const scaleOptionSchema = z.strictObject({
  code,
  label: z.string().min(1).max(200),
  score: z.number().nullable(),
  group: z.enum(scaleGroups),
});

export const scaleSchema = z
  .strictObject({
    id: code,
    name: z.string().min(1).max(200),
    options: z.array(scaleOptionSchema).min(2).max(11),
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
  },
  {
    id: "agree-undecided-disagree",
    name: "Agree, undecided or disagree",
    options: [
      { code: "agree", label: "Agree", score: 3, group: "positive" },
      { code: "undecided", label: "Undecided", score: 2, group: "neutral" },
      { code: "disagree", label: "Disagree", score: 1, group: "negative" },
    ],
  },
  {
    id: "strong-neither-weak",
    name: "Strong, neither strong nor weak, or weak",
    options: [
      { code: "strong", label: "Strong", score: 3, group: "positive" },
      { code: "neither", label: "Neither strong nor weak", score: 2, group: "neutral" },
      { code: "weak", label: "Weak", score: 1, group: "negative" },
    ],
  },
];

export function scoreOf(scale: Scale, optionCode: string): number | null {
  return scale.options.find((option) => option.code === optionCode)?.score ?? null;
}

export function groupOf(scale: Scale, optionCode: string): ScaleGroup | undefined {
  return scale.options.find((option) => option.code === optionCode)?.group;
}
