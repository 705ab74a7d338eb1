import { z } from "zod";
import { parseTimeOfDay, timeOfDayText, ukLocalToIso, ukWallClock } from "../../../../analysis/dates.js";
import type { FieldError } from "./save.js";

const field = z.string().max(50).default("");

/** The four fields of a UK date and time: day, month, year and a time such as "9am" or "11:59pm". */
export const dateTimeFields = (prefix: string) => ({
  [`${prefix}-day`]: field,
  [`${prefix}-month`]: field,
  [`${prefix}-year`]: field,
  [`${prefix}-time`]: field,
});

/** A stored moment as the fields show it, in UK time. */
export function dateTimeValues(prefix: string, iso: string): Record<string, string> {
  const w = ukWallClock(iso);
  return {
    [`${prefix}-day`]: String(w.day),
    [`${prefix}-month`]: String(w.month),
    [`${prefix}-year`]: String(w.year),
    [`${prefix}-time`]: timeOfDayText(w.hour, w.minute),
  };
}

const sameMinute = (a: string, b: string) =>
  Math.floor(Date.parse(a) / 60_000) === Math.floor(Date.parse(b) / 60_000);

/**
 * Read a date and time in UK time from the form, as the definition stores it (ISO with offset), or
 * the GOV.UK error for the first field to correct. `what` is "opening" or "closing". The form has no
 * seconds: when it still shows the minute of `stored` (the officer left the time alone), `stored` is
 * kept as it was, so a definition closing at 23:59:59 is not moved to 23:59:00 by saving its title.
 */
export function readDateTime(
  form: Record<string, string | undefined>,
  prefix: string,
  what: string,
  stored?: string,
): { iso: string } | { error: FieldError } {
  const raw = (part: string) => (form[`${prefix}-${part}`] ?? "").trim();
  const [day, month, year] = [raw("day"), raw("month"), raw("year")];
  if (!day && !month && !year) return { error: { field: `${prefix}-day`, text: `Enter the ${what} date` } };
  for (const [part, value] of [
    ["day", day],
    ["month", month],
    ["year", year],
  ] as const)
    if (!value)
      return { error: { field: `${prefix}-${part}`, text: `The ${what} date must include a ${part}` } };
  const digits = /^\d{1,4}$/;
  if (!digits.test(day) || !digits.test(month) || !/^\d{4}$/.test(year))
    return { error: { field: `${prefix}-day`, text: `The ${what} date must be a real date, like 1 5 2027` } };
  const time = parseTimeOfDay(raw("time"));
  if (!raw("time"))
    return { error: { field: `${prefix}-time`, text: `Enter the ${what} time, like 9am or 11:59pm` } };
  if (!time)
    return {
      error: {
        field: `${prefix}-time`,
        text: `Enter the ${what} time as a time of day, like 9am, 2:30pm or 23:59`,
      },
    };
  const iso = ukLocalToIso(Number(year), Number(month), Number(day), time.hour, time.minute);
  if (!iso)
    return { error: { field: `${prefix}-day`, text: `The ${what} date must be a real date, like 1 5 2027` } };
  return stored !== undefined && sameMinute(stored, iso) ? { iso: stored } : { iso };
}
