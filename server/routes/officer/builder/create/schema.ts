import { z } from "zod";
import { withoutTrailing } from "../../../../../analysis/without-trailing.js";
import { dateTimeFields } from "../date-fields.js";
import { hyphenated } from "../hyphenated.js";

const text = (max: number) => z.string().max(max).default("");

/** "Create a consultation": from nothing, or as a copy of one that exists. */
export const createSchema = z.strictObject({
  start: text(10),
  copyFrom: text(100),
  title: text(1000),
  slug: text(200),
  summary: text(20_000),
  audience: text(2000),
  ...dateTimeFields("opens"),
  ...dateTimeFields("closes"),
  _csrf: z.string().optional(),
});
export type CreateForm = z.infer<typeof createSchema>;

/** A web address made from a title: "Library opening hours 2027" -> "library-opening-hours-2027". */
export function slugFrom(title: string): string {
  const slug = hyphenated(title, 60);
  return /^[a-z]/.test(slug) ? slug : withoutTrailing(`consultation-${slug}`.slice(0, 60), "-");
}

/** Paragraphs typed into a box, split at blank lines. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter((p) => p !== "");
}
