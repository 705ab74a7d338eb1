import { z } from "zod";

/** Ask for a double-coded sample: how many comments (checked by the service, so the page can say why). */
export const drawSchema = z.strictObject({ _csrf: z.string(), size: z.string().max(20) });

/** A second officer's themes for one comment: theme ids, or "none" for "no theme applies". */
export const blindCodeSchema = z.strictObject({
  _csrf: z.string(),
  themes: z
    .union([z.string(), z.array(z.string()).max(500)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

export const NONE = "none";

/** The ticked themes as ids, or a message for the officer. */
export function readBlindCodes(ticked: readonly string[]): { themeIds: number[] } | { error: string } {
  if (ticked.length === 0)
    return { error: "Select the themes that apply to the comment, or select “No theme applies”" };
  if (ticked.includes(NONE))
    return ticked.length === 1
      ? { themeIds: [] }
      : { error: "Select themes that apply, or “No theme applies”, not both" };
  if (!ticked.every((t) => /^\d{1,12}$/.test(t))) return { error: "Select themes from the list" };
  return { themeIds: [...new Set(ticked.map(Number))] };
}
