import { z } from "zod";
import { parseTimeOfDay, ukLocalToIso } from "../../../../analysis/dates.js";

export interface FieldError {
  field: string;
  text: string;
}

/** Extend: the new closing date and time in UK time, and why. */
export const extendSchema = z.strictObject({
  "closes-day": z.string().max(10).default(""),
  "closes-month": z.string().max(10).default(""),
  "closes-year": z.string().max(10).default(""),
  "closes-time": z.string().max(20).default(""),
  reason: z.string().max(5000).default(""),
  _csrf: z.string().optional(),
});
export type ExtendForm = z.infer<typeof extendSchema>;

/** Close early: why. */
export const closeSchema = z.strictObject({
  reason: z.string().max(5000).default(""),
  _csrf: z.string().optional(),
});

/** The buttons with no fields (publish, publish results, archive, bring back). */
export const confirmSchema = z.strictObject({ _csrf: z.string().optional() });

const whole = (s: string) => (/^\d{1,4}$/.test(s.trim()) ? Number(s.trim()) : Number.NaN);

export function checkReason(reason: string, action: string): FieldError[] {
  const text = reason.trim();
  if (text === "") return [{ field: "reason", text: `Enter why you are ${action}` }];
  if (text.length > 1000) return [{ field: "reason", text: "Reason must be 1000 characters or fewer" }];
  return [];
}

/** The new closing moment, or one message per field to correct (GOV.UK date input messages). */
export function checkExtend(form: ExtendForm): { closes?: Date; reason: string; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const day = whole(form["closes-day"]);
  const month = whole(form["closes-month"]);
  const year = whole(form["closes-year"]);
  const blank = [form["closes-day"], form["closes-month"], form["closes-year"]].every((s) => s.trim() === "");
  let closes: Date | undefined;
  const time = parseTimeOfDay(form["closes-time"]);
  if (blank) errors.push({ field: "closes-day", text: "Enter the new closing date" });
  else if (!Number.isInteger(day) || !Number.isInteger(month) || !Number.isInteger(year) || year < 2000)
    errors.push({ field: "closes-day", text: "The new closing date must be a real date, like 1 5 2027" });
  if (!time)
    errors.push({
      field: "closes-time",
      text: "Enter the closing time like 11:59pm, 23:59 or midday",
    });
  if (errors.length === 0 && time) {
    const iso = ukLocalToIso(year, month, day, time.hour, time.minute);
    closes = iso ? new Date(iso) : undefined;
    if (!closes)
      errors.push({
        field: "closes-day",
        text: "The new closing date must be a real date, like 1 5 2027",
      });
  }
  errors.push(...checkReason(form.reason, "extending it"));
  return { ...(closes && errors.length === 0 ? { closes } : {}), reason: form.reason.trim(), errors };
}
