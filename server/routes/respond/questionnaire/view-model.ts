import { OTHER_MAX_LENGTH } from "../../../../analysis/answer-checks.js";
import { type AnswerSet, questionApplies } from "../../../../analysis/answers.js";
import {
  type ConsultationDefinition,
  type Page,
  type Question,
  scaleOf,
  statementsOf,
} from "../../../../analysis/definition.js";
import type { ScaleOption } from "../../../../analysis/scales.js";
import { type FieldError, type FormValues, otherField, statementField } from "./schema.js";

/**
 * Build the govuk-frontend component parameters for each question on a page. Views only include
 * the named partial with these parameters; all decisions about what to show are made here.
 */
export type QuestionView =
  | { partial: "radios"; params: Params }
  /** other: the "Other, please specify" box, revealed under the option coded otherCode. */
  | { partial: "checkboxes"; params: Params; other?: Params; otherCode?: string }
  | { partial: "grid"; id: string; legend: string; hint?: string; statements: Params[] }
  | { partial: "character-count"; params: Params }
  | { partial: "input"; params: Params }
  | { partial: "select"; params: Params };

/**
 * A single choice with more options than this is a select, as GOV.UK advises for long lists (a
 * ward or occupation list): radios past about 20 are hard to scan and push the page far down.
 */
export const SELECT_ABOVE = 20;

type Params = Record<string, unknown>;

const errorFor = (errors: FieldError[], field: string) => {
  const e = errors.find((x) => x.field === field);
  return e ? { text: e.text } : undefined;
};
const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

function scaleItems(options: ScaleOption[], selected: string) {
  const items: Params[] = [];
  options.forEach((o, i) => {
    // "Don't know" and other excluded answers stand apart from the scale, after "or".
    if (o.group === "excluded" && i > 0 && options[i - 1]?.group !== "excluded")
      items.push({ divider: "or" });
    items.push({ value: o.code, text: o.label, checked: o.code === selected });
  });
  return items;
}

const optional = (q: Question) => (q.required ? "" : " (optional)");

export function questionViews(
  def: ConsultationDefinition,
  page: Page,
  answers: AnswerSet,
  values: FormValues,
  errors: FieldError[],
): QuestionView[] {
  return page.questions
    .filter((q) => questionApplies(page, q, answers))
    .map((q) => questionView(def, q, values, errors));
}

function questionView(
  def: ConsultationDefinition,
  q: Question,
  values: FormValues,
  errors: FieldError[],
): QuestionView {
  const legend = { text: q.text + optional(q), classes: "govuk-fieldset__legend--m" };
  const hint = q.hint ? { text: q.hint } : undefined;
  switch (q.kind) {
    case "single":
    case "likert": {
      const chosen = str(values[q.id]);
      if (q.kind === "single" && q.options.length > SELECT_ABOVE)
        return {
          partial: "select",
          params: {
            id: q.id,
            name: q.id,
            label: { text: q.text + optional(q), classes: "govuk-label--m" },
            hint,
            errorMessage: errorFor(errors, q.id),
            items: [
              { value: "", text: "Choose an answer", selected: chosen === "" },
              ...q.options.map((o) => ({ value: o.code, text: o.label, selected: chosen === o.code })),
            ],
          },
        };
      const items =
        q.kind === "single"
          ? q.options.map((o) => ({ value: o.code, text: o.label, checked: chosen === o.code }))
          : scaleItems(scaleOf(def, q)?.options ?? [], chosen);
      return {
        partial: "radios",
        params: {
          name: q.id,
          idPrefix: q.id,
          fieldset: { legend },
          hint,
          errorMessage: errorFor(errors, q.id),
          items,
        },
      };
    }
    case "multiple": {
      const ticked = list(values[q.id]);
      const items: Params[] = q.options.map((o) => ({
        value: o.code,
        text: o.label,
        checked: ticked.includes(o.code),
      }));
      if (q.other)
        items.push({ value: q.other.code, text: q.other.label, checked: ticked.includes(q.other.code) });
      return {
        partial: "checkboxes",
        params: {
          name: q.id,
          idPrefix: q.id,
          fieldset: { legend },
          hint: { text: q.hint ?? "Select all that apply." },
          errorMessage: errorFor(errors, q.id),
          items,
        },
        other: q.other
          ? {
              id: otherField(q),
              name: otherField(q),
              label: { text: `If you selected "${q.other.label}", please tell us what you mean` },
              value: str(values[otherField(q)]),
              errorMessage: errorFor(errors, otherField(q)),
              spellcheck: true,
              attributes: { maxlength: String(OTHER_MAX_LENGTH) },
            }
          : undefined,
        otherCode: q.other?.code,
      };
    }
    case "grid":
    case "paired": {
      const options = scaleOf(def, q)?.options ?? [];
      return {
        partial: "grid",
        id: q.id,
        legend: q.text + optional(q),
        hint: q.hint,
        statements: statementsOf(def, q).map((s) => {
          const field = statementField(q, s);
          return {
            name: field,
            idPrefix: field,
            classes: "govuk-radios--small",
            fieldset: { legend: { text: s.text, classes: "govuk-fieldset__legend--s" } },
            errorMessage: errorFor(errors, field),
            items: scaleItems(options, str(values[field])),
          };
        }),
      };
    }
    case "text":
      return {
        partial: "character-count",
        params: {
          name: q.id,
          id: q.id,
          maxlength: q.maxLength,
          rows: q.rows,
          label: { text: q.text + optional(q), classes: "govuk-label--m", isPageHeading: false },
          hint,
          value: str(values[q.id]),
          errorMessage: errorFor(errors, q.id),
        },
      };
    case "number":
      return {
        partial: "input",
        params: {
          name: q.id,
          id: q.id,
          inputmode: "numeric",
          classes: "govuk-input--width-10",
          label: { text: q.text + optional(q), classes: "govuk-label--m" },
          hint,
          suffix: q.suffix ? { text: q.suffix } : undefined,
          value: str(values[q.id]),
          errorMessage: errorFor(errors, q.id),
        },
      };
  }
}
