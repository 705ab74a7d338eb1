import { z } from "zod";
import { THEME_LIMITS } from "../../../../analysis/themes/codebook.js";
import { RULE_LIMITS } from "../../../../analysis/themes/rules.js";

const idOrBlank = z.string().regex(/^(\d{1,12})?$/, "Choose a theme from the list");

/** A theme's form: create and change. */
export const themeFormSchema = z.strictObject({
  _csrf: z.string(),
  name: z
    .string()
    .trim()
    .min(1, "Enter a name for the theme")
    .max(THEME_LIMITS.name, `Theme names must be ${THEME_LIMITS.name} characters or fewer`),
  description: z
    .string()
    .trim()
    .max(THEME_LIMITS.description, `Descriptions must be ${THEME_LIMITS.description} characters or fewer`)
    .default(""),
  parentId: idOrBlank.default(""),
  questions: z.union([z.string().max(60), z.array(z.string().max(60)).max(100)]).optional(),
  rules: z
    .string()
    .max(RULE_LIMITS.length, `Rules must be ${RULE_LIMITS.length} characters or fewer`)
    .default(""),
});
export type ThemeForm = z.infer<typeof themeFormSchema>;

export const mergeSchema = z.strictObject({ _csrf: z.string(), into: idOrBlank });
export const deleteSchema = z.strictObject({ _csrf: z.string(), confirm: z.literal("yes").optional() });
export const plainSchema = z.strictObject({ _csrf: z.string() });
/** The codebook upload's fields besides the file. */
export const importSchema = z.strictObject({ _csrf: z.string() });
