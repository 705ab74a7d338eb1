import { z } from "zod";
import type { ChoiceOption, Question, Statement } from "../../../../../analysis/definition.js";
import { type ConditionSource, conditionFields } from "../condition-fields.js";
import { freshId } from "../edits.js";
import { hyphenated } from "../hyphenated.js";
import type { FieldError } from "../save.js";

const text = (max: number) => z.string().max(max).default("");

/** One form for every kind of question; the fields a kind does not use are left blank. */
export const questionFormSchema = (sources: ConditionSource[]) =>
  z.strictObject({
    kind: text(20),
    text: text(5000),
    id: text(200),
    hint: text(5000),
    required: text(5),
    options: text(100_000),
    other: text(1000),
    scale: text(100),
    statements: text(100_000),
    maxLength: text(20),
    rows: text(20),
    min: text(40),
    max: text(40),
    integer: text(5),
    suffix: text(200),
    ...conditionFields(sources),
    _csrf: z.string().optional(),
  });
export type QuestionForm = z.infer<ReturnType<typeof questionFormSchema>>;

export const KINDS = ["single", "multiple", "likert", "grid", "paired", "text", "number"] as const;
export const isKind = (k: string): k is Question["kind"] => (KINDS as readonly string[]).includes(k);

/**
 * "code | label" lines, or just labels, whose codes are then made from them. Codes are what exports
 * and conditions use; showing them lets an officer keep them stable while changing the words.
 */
export function readCodedLines(
  raw: string,
  fallback: string,
  makeCode: (label: string, taken: string[]) => string = optionCode,
): { code: string; label: string }[] {
  const taken: string[] = [];
  return raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => {
      const bar = line.indexOf("|");
      const given = bar === -1 ? "" : line.slice(0, bar).trim();
      const label = (bar === -1 ? line : line.slice(bar + 1)).trim();
      const code = given || makeCode(label, taken) || fallback;
      taken.push(code);
      return { code, label };
    });
}

/** An option code made from its label: "0 to 9 employees" -> "0-to-9-employees", unique among `taken`. */
export function optionCode(label: string, taken: string[]): string {
  const base = hyphenated(label, 36);
  if (!base || !taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

export const codedLines = (items: { code: string; label: string }[]) =>
  items.map((i) => `${i.code} | ${i.label}`).join("\n");
export const optionLines = (options: ChoiceOption[]) => codedLines(options);
export const statementLines = (statements: Statement[]) =>
  codedLines(statements.map((s) => ({ code: s.id, label: s.text })));
export const toStatements = (raw: string): Statement[] =>
  readCodedLines(raw, "statement", (label, taken) => freshId(label, taken, "statement")).map((l) => ({
    id: l.code,
    text: l.label,
  }));

/** A number typed in a box, blank for none; an error when it is not a number. */
export function readNumber(
  raw: string,
  field: string,
  what: string,
  errors: FieldError[],
): number | undefined {
  const t = raw.trim().replace(/,/g, "");
  if (t === "") return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) {
    errors.push({ field, text: `Enter ${what} as a number, like 10` });
    return undefined;
  }
  return n;
}
