import type { Question } from "./definition.js";

/**
 * One check per kind of typed-in answer, used by the online answer pages and by the CSV import, so
 * that their limits and messages cannot drift apart. Each returns the value to store, nothing (a
 * blank answer), or a message in the GOV.UK style that names the question. Whether a blank answer
 * is allowed is the caller's business: online, a required question must be answered; an imported
 * paper form may be partial.
 */

/** The longest text an "Other, please specify" box takes. */
export const OTHER_MAX_LENGTH = 200;

export type Checked<T> = { value: T } | { blank: true } | { error: string };

/**
 * Text as it is stored and counted: line breaks as "\n" whatever the browser or spreadsheet sent
 * (CRLF counted as two characters let 297 characters past a 200 limit), no control characters but
 * newline and tab (NUL and the like have no place in an answer and upset exports), trimmed.
 */
export function cleanText(raw: string): string {
  return (
    raw
      .replace(/\r\n?/g, "\n")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, "")
      .trim()
  );
}

/** Characters as a person counts them (an emoji is one). */
export const textLength = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

const quoted = (text: string) => `"${text.trim()}"`;

/** A free-text answer. */
export function checkText(q: Question & { kind: "text" }, raw: string): Checked<string> {
  const value = cleanText(raw);
  if (value === "") return { blank: true };
  if (textLength(value) > q.maxLength)
    return {
      error: `Your answer to ${quoted(q.text)} must be ${q.maxLength.toLocaleString("en-GB")} characters or fewer`,
    };
  return { value };
}

/** A number answer: digits with an optional sign, decimals and thousands commas, within the limits. */
export function checkNumber(q: Question & { kind: "number" }, raw: string): Checked<number> {
  const text = raw.trim().replace(/,/g, "");
  if (text === "") return { blank: true };
  const n = Number(text);
  const subject = `Your answer to ${quoted(q.text)}`;
  if (!/^-?\d+(\.\d+)?$/.test(text) || !Number.isFinite(n))
    return { error: `${subject} must be ${q.integer ? "a whole number" : "a number"}` };
  if (q.integer && !Number.isInteger(n)) return { error: `${subject} must be a whole number` };
  const { min, max } = q;
  if (min !== undefined && max !== undefined && (n < min || n > max))
    return { error: `${subject} must be between ${format(min)} and ${format(max)}` };
  if (min !== undefined && n < min) return { error: `${subject} must be ${format(min)} or more` };
  if (max !== undefined && n > max) return { error: `${subject} must be ${format(max)} or less` };
  return { value: n };
}

const format = (n: number) => n.toLocaleString("en-GB", { maximumFractionDigits: 10 });

/** The message when a required question of this kind is left blank. */
export function blankMessage(q: Question): string {
  switch (q.kind) {
    case "text":
      return `Enter your answer to ${quoted(q.text)}`;
    case "number":
      return `Enter a number for ${quoted(q.text)}`;
    case "multiple":
      return `Select at least one answer to ${quoted(q.text)}`;
    default:
      return `Select an answer to ${quoted(q.text)}`;
  }
}

/**
 * The "Other, please specify" text of a multiple-choice answer, given whether "Other" is ticked.
 * Text without the tick is refused rather than dropped: the respondent meant something by it.
 */
export function checkOtherText(
  q: Question & { kind: "multiple" },
  raw: string,
  otherTicked: boolean,
): Checked<string> {
  const value = cleanText(raw);
  const label = quoted(q.other?.label ?? "Other");
  if (value === "") return { blank: true };
  if (!otherTicked) return { error: `Select ${label} if you want to tell us about it, or delete the text` };
  if (textLength(value) > OTHER_MAX_LENGTH)
    return { error: `What you mean by ${label} must be ${OTHER_MAX_LENGTH} characters or fewer` };
  return { value };
}

/** Online, ticking "Other" asks for the text (an imported paper form may leave it out). */
export const otherBlankMessage = (q: Question & { kind: "multiple" }) =>
  `Enter what you mean by ${quoted(q.other?.label ?? "Other")}`;

/** The message for an option code that is not one of the question's (a tampered or stale form). */
export const unknownOptionMessage = (q: Question) => `Select one of the options shown for ${quoted(q.text)}`;
