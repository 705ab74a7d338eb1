import { OTHER_MAX_LENGTH } from "../../analysis/answer-checks.js";
import {
  type ConsultationDefinition,
  optionsOf,
  pageOfQuestion,
  type Question,
} from "../../analysis/definition.js";
import { toCsv } from "./csv.js";
import { type ColumnSpec, responseColumns } from "./response-columns.js";

/**
 * The blank import file for a consultation: every column the import accepts, and a second row
 * saying what each column may hold, so an analyst can fill it in without reading the source. The
 * import skips that second row when it is left in unchanged.
 */

const listOptions = (def: ConsultationDefinition, q: Question) =>
  optionsOf(def, q)
    .map((o) => (o.label === o.code ? o.code : `${o.code} (${o.label})`))
    .join("; ");

const numberRange = (q: Question & { kind: "number" }) => {
  const what = q.integer ? "A whole number" : "A number";
  if (q.min !== undefined && q.max !== undefined) return `${what} from ${q.min} to ${q.max}`;
  if (q.min !== undefined) return `${what}, ${q.min} or more`;
  if (q.max !== undefined) return `${what}, ${q.max} or less`;
  return what;
};

/** When the question is only asked after some answers, say so (its cells must be blank otherwise). */
function askedWhen(def: ConsultationDefinition, q: Question): string {
  const c = q.showIf ?? pageOfQuestion(def, q.id)?.showIf;
  return c ? ` Only when "${c.question}" is ${c.anyOf.join(" or ")}, else blank.` : "";
}

/** What one column may hold, in a sentence or two. */
export function columnNote(def: ConsultationDefinition, c: ColumnSpec): string {
  switch (c.kind) {
    case "reference":
      return "Blank for a new response (it gets a reference), or a reference like SND-7F3K-9Q2M: a row with a reference already stored is skipped.";
    case "channel":
      return "paper, email, event or online; blank: the channel chosen for the import (paper unless you say).";
    case "submitted_at":
      return "When it was received, as 2025-03-14 or 14/03/2025 10:30 (UK) or 2025-03-14T10:30:00Z; blank: the time of the import.";
    case "choice":
      return `One of: ${listOptions(def, c.question)}. Code or wording; blank if not answered.${askedWhen(def, c.question)}`;
    case "tick":
      return `1 if "${c.textName.slice(c.question.text.length + 2)}" is ticked; 0 or blank if not.${askedWhen(def, c.question)}`;
    case "other":
      return `What "Other" means, up to ${OTHER_MAX_LENGTH} characters; only with "Other" ticked.`;
    case "ticked":
      return `The ticked options, separated by ";": ${listOptions(def, c.question)}. Or use the 0/1 columns instead (if both, they must agree).${askedWhen(def, c.question)}`;
    case "text":
      return c.question.kind === "text"
        ? `Text, up to ${c.question.maxLength.toLocaleString("en-GB")} characters; blank if not answered.${askedWhen(def, c.question)}`
        : "";
    case "number":
      return c.question.kind === "number"
        ? `${numberRange(c.question)}; blank if not answered.${askedWhen(def, c.question)}`
        : "";
  }
}

/** The notes row, by column name. */
export function templateNotes(def: ConsultationDefinition): Map<string, string> {
  return new Map(responseColumns(def).map((c) => [c.name, columnNote(def, c)]));
}

/** The template as CSV text (UTF-8 with a byte order mark, as every export). */
export function importTemplateCsv(def: ConsultationDefinition): string {
  const columns = responseColumns(def);
  return toCsv(
    columns.map((c) => c.name),
    [columns.map((c) => columnNote(def, c))],
  );
}
