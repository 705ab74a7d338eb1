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

const LONDON_PARTS = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  hourCycle: "h23",
  timeZone: "Europe/London",
});

/** The wall-clock date and time in the UK at a moment. */
export function ukWallClock(when: string | Date): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
} {
  const parts = LONDON_PARTS.formatToParts(asDate(when));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
  };
}

/** Minutes the UK is ahead of UTC at a moment: 0 in winter, 60 in British Summer Time. */
function ukOffsetMinutes(utcMs: number): number {
  const w = ukWallClock(new Date(utcMs));
  return Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - utcMs) / 60_000);
}

/**
 * A UK wall-clock date and time as an ISO 8601 string with its offset ("2027-05-01T23:59:00+01:00"),
 * or undefined when there is no such day. In the hour the clocks skip, the time an hour later is used.
 */
export function ukLocalToIso(year: number, month: number, day: number, hour: number, minute: number) {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  const d = new Date(naive);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return undefined;
  let utc = naive - ukOffsetMinutes(naive) * 60_000;
  utc = naive - ukOffsetMinutes(utc) * 60_000;
  const offset = ukOffsetMinutes(utc);
  const wall = new Date(utc + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? "-" : "+";
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const mm = String(Math.abs(offset) % 60).padStart(2, "0");
  return `${wall}${sign}${hh}:${mm}`;
}

/**
 * A time of day as people type it: "9am", "9:30pm", "21:30", "midday", "midnight". Undefined when it
 * is not one. The pattern has no nested repetition, so it runs in linear time.
 */
export function parseTimeOfDay(raw: string): { hour: number; minute: number } | undefined {
  const text = raw.trim().toLowerCase().replace(/\s+/g, "").replace(".", ":");
  if (text === "midday" || text === "noon" || text === "12noon") return { hour: 12, minute: 0 };
  if (text === "midnight" || text === "12midnight") return { hour: 0, minute: 0 };
  const m = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/.exec(text);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  if (minute > 59) return undefined;
  if (m[3]) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (m[3] === "pm" ? 12 : 0);
  } else if (hour > 23 || m[2] === undefined) return undefined;
  return { hour, minute };
}

/** "9am", "11:59pm": how the builder shows a stored time back in its time field. */
export function timeOfDayText(hour: number, minute: number): string {
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? "am" : "pm";
  return minute === 0 ? `${h12}${suffix}` : `${h12}:${String(minute).padStart(2, "0")}${suffix}`;
}
