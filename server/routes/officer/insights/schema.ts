import { z } from "zod";
import { THEME_LIMITS } from "../../../../analysis/themes/codebook.js";
import { RULE_LIMITS } from "../../../../analysis/themes/rules.js";

const id = z.string().regex(/^\d{1,12}$/, "Choose a theme from the list");

export const plainSchema = z.strictObject({ _csrf: z.string() });
export const countingSchema = z.strictObject({
  _csrf: z.string(),
  counting: z.enum(["each", "once"], { message: "Choose how a campaign counts" }),
});
export const codeCampaignSchema = z.strictObject({ _csrf: z.string(), theme: id });
/** A candidate made a theme: its name (the officer may change it) and its suggested rule. */
export const candidateSchema = z.strictObject({
  _csrf: z.string(),
  index: z
    .string()
    .regex(/^\d{1,3}$/)
    .optional(),
  name: z
    .string()
    .trim()
    .min(1, "Enter a name for the theme")
    .max(THEME_LIMITS.name, `Theme names must be ${THEME_LIMITS.name} characters or fewer`),
  rules: z.string().max(RULE_LIMITS.length, `Rules must be ${RULE_LIMITS.length} characters or fewer`),
});
