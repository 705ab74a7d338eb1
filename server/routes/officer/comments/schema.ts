import { z } from "zod";
import { MAX_SEARCH } from "./query.js";

/** The workbench filters carried as hidden fields, so a post returns to the same comments. */
const carried = {
  filter: z.union([z.string().max(120), z.array(z.string().max(120)).max(4)]).optional(),
  theme: z.string().max(12).optional(),
  coding: z.string().max(20).optional(),
  reviewed: z.string().max(3).optional(),
  flagged: z.string().max(3).optional(),
  search: z.string().max(MAX_SEARCH).optional(),
  page: z.string().max(7).optional(),
  order: z.string().max(10).optional(),
};

export const FLAG_NOTE_MAX = 1000;

/** One action on one comment: a theme applied, confirmed or removed, a quote picked, review and flag. */
export const commentActionSchema = z.strictObject({
  _csrf: z.string(),
  action: z.enum([
    "apply",
    "confirm",
    "remove",
    "quote",
    "unquote",
    "reviewed",
    "unreviewed",
    "flag",
    "unflag",
  ]),
  themeId: z.string().max(12).optional(),
  note: z.string().max(5000).optional(),
  ...carried,
});
export type CommentAction = z.infer<typeof commentActionSchema>;

/** A theme applied to everything the filters and search select (after the count was confirmed). */
export const bulkSchema = z.strictObject({
  _csrf: z.string(),
  themeId: z.string().regex(/^\d{1,12}$/),
  expected: z.string().regex(/^\d{1,9}$/),
  ...carried,
});

export const undoSchema = z.strictObject({ _csrf: z.string(), ...carried });

/** Learn from the coding now. */
export const trainSchema = z.strictObject({ _csrf: z.string(), ...carried });

/** Accept every suggestion of a theme scored at least minScore (checked by the route: 0 to 1). */
export const acceptSchema = z.strictObject({
  _csrf: z.string(),
  themeId: z.string().regex(/^\d{1,12}$/),
  minScore: z.string().max(20),
  ...carried,
});

/** A score as typed: a number from 0 to 1 ("0.8", ".8", "80%" read as 0.8), or null. */
export function readScore(typed: string): number | null {
  const t = typed.trim();
  const percent = /^(\d{1,3}(?:\.\d{1,4})?)\s?%$/.exec(t);
  const n = percent
    ? Number(percent[1]) / 100
    : /^(?:0|1)?(?:\.\d{1,6})?$/.test(t) && t !== "" && t !== "."
      ? Number(t)
      : Number.NaN;
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}

/** A theme applied to every comment of a campaign shown once in the list (checked by the route). */
export const campaignSchema = z.strictObject({
  _csrf: z.string(),
  themeId: z.string().max(12).optional(),
  ...carried,
});
