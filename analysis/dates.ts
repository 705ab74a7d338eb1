/**
 * Dates and times as every page, CSV note and report says them: in UK time (Europe/London, so
 * British Summer Time is applied), in GOV.UK style (https://www.gov.uk/guidance/style-guide/a-to-z-of-gov-uk-style):
 * "1 May 2027", "11:59pm", "10am", "midday", "midnight".
 */

const DATE = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "Europe/London",
});

const TIME = new Intl.DateTimeFormat("en-GB", {
  hour: "numeric",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "Europe/London",
});

const asDate = (when: string | Date) => (typeof when === "string" ? new Date(when) : when);

/** "1 May 2027", the day in UK time. */
export function ukDate(when: string | Date): string {
  return DATE.format(asDate(when));
}

/** "11:59pm", "10am", "midday", "midnight", in UK time. */
export function ukTime(when: string | Date): string {
  const parts = TIME.formatToParts(asDate(when));
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  if (minute === 0 && hour === 0) return "midnight";
  if (minute === 0 && hour === 12) return "midday";
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? "am" : "pm";
  return minute === 0 ? `${h12}${suffix}` : `${h12}:${String(minute).padStart(2, "0")}${suffix}`;
}

/**
 * "11:59pm on 1 May 2027". A moment at midnight is the start of its day, which readers take for
 * the day before's end; it is said as "midnight at the start of 2 May 2027" to leave no doubt.
 */
export function ukDateTime(when: string | Date): string {
  const time = ukTime(when);
  if (time === "midnight") return `midnight at the start of ${ukDate(when)}`;
  return `${time} on ${ukDate(when)}`;
}
