import type { Request, Response } from "express";
import type { ConsultationDefinition, PairedSet, Question } from "../../../../../analysis/definition.js";
import { HttpError } from "../../../../middleware/errors.js";
import type { Services } from "../../../../services/index.js";
import { allQuestionIds, freshId } from "../edits.js";
import { adoptScale, scaleChoices } from "../questions/build.js";
import { statementLines, toStatements } from "../questions/schema.js";
import {
  backToBuilder,
  badForm,
  builderPath,
  buildingOr404,
  type FieldError,
  fieldsFrom,
  saveDefinition,
} from "../save.js";
import { type PairedForm, pairedFormSchema } from "./schema.js";

function render(
  res: Response,
  slug: string,
  def: ConsultationDefinition,
  editing: string | undefined,
  values: Partial<PairedForm>,
  errors: FieldError[],
) {
  const base = builderPath(slug);
  res.status(errors.length > 0 ? 400 : 200).render("officer/builder/paired", {
    title: editing ? "Edit before and after statements" : "Add before and after questions",
    backHref: `${base}#pages`,
    action: editing ? `${base}/paired/${editing}` : `${base}/paired`,
    editing,
    base,
    scales: scaleChoices(def),
    pages: def.pages.map((p, i) => ({ id: p.id, text: `Page ${i + 1}: ${p.title}` })),
    values,
    errors,
  });
}

export function showNewPaired(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const page = typeof req.query.page === "string" ? req.query.page : "";
    render(
      res,
      consultation.slug,
      draft,
      undefined,
      { scale: "agreement-5", required: "yes", beforePage: page },
      [],
    );
  };
}

function setOr404(def: ConsultationDefinition, id: string): PairedSet {
  const set = def.pairedSets.find((s) => s.id === id);
  if (!set) throw new HttpError(404, "No such set of statements");
  return set;
}

export function showPaired(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const set = setOr404(draft, String(req.params.set));
    render(
      res,
      consultation.slug,
      draft,
      set.id,
      {
        set: set.id,
        scale: set.scale,
        statements: statementLines(set.statements),
        before: set.moments?.before ?? "",
        after: set.moments?.after ?? "",
      },
      [],
    );
  };
}

/** The set's own fields from the form, with any errors the form itself can see. */
function readSet(form: PairedForm, id: string, errors: FieldError[]): PairedSet {
  if (!form.scale) errors.push({ field: "scale", text: "Select the scale respondents answer on" });
  const statements = toStatements(form.statements);
  if (statements.length === 0) errors.push({ field: "statements", text: "Enter at least one statement" });
  const before = form.before.trim();
  const after = form.after.trim();
  if (Boolean(before) !== Boolean(after))
    errors.push({ field: before ? "after" : "before", text: "Describe both moments, or neither" });
  return { id, scale: form.scale, statements, ...(before && after ? { moments: { before, after } } : {}) };
}

function setFields(s: number): Record<string, string> {
  return {
    [`$.pairedSets[${s}].id`]: "set",
    [`$.pairedSets[${s}].scale`]: "scale",
    [`$.pairedSets[${s}].statements`]: "statements",
    [`$.pairedSets[${s}].moments`]: "before",
    [`$.pairedSets[${s}]`]: "afterPage",
    "$.scales": "scale",
  };
}

export function addPaired(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const parsed = pairedFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badForm();
    const form = parsed.data;
    const original = structuredClone(draft);
    const errors: FieldError[] = [];
    const id =
      form.set.trim() ||
      freshId(
        "before-and-after",
        draft.pairedSets.map((s) => s.id),
        "statements",
      );
    const set = readSet(form, id, errors);
    const beforeAt = draft.pages.findIndex((p) => p.id === form.beforePage);
    const afterAt = draft.pages.findIndex((p) => p.id === form.afterPage);
    if (beforeAt < 0) errors.push({ field: "beforePage", text: "Select the page that asks before" });
    if (afterAt < 0) errors.push({ field: "afterPage", text: "Select the page that asks after" });
    else if (beforeAt >= 0 && afterAt <= beforeAt)
      errors.push({ field: "afterPage", text: "Select a page after the \u2018before\u2019 page" });
    if (!form.beforeText.trim())
      errors.push({ field: "beforeText", text: "Enter the question asked before" });
    if (!form.afterText.trim()) errors.push({ field: "afterText", text: "Enter the question asked after" });
    if (errors.length > 0) return render(res, consultation.slug, original, undefined, form, errors);
    const ids = allQuestionIds(draft);
    const half = (phase: "before" | "after", text: string): Question => {
      const qid = freshId(`${id}-${phase}`, ids, phase);
      ids.push(qid);
      return { id: qid, kind: "paired", set: id, phase, text: text.trim(), required: form.required !== "no" };
    };
    draft.pairedSets.push(set);
    adoptScale(draft, set.scale);
    const beforePage = draft.pages[beforeAt];
    const afterPage = draft.pages[afterAt];
    beforePage?.questions.push(half("before", form.beforeText));
    afterPage?.questions.push(half("after", form.afterText));
    const map = setFields(draft.pairedSets.length - 1);
    map[`$.pages[${beforeAt}]`] = "beforePage";
    map[`$.pages[${afterAt}]`] = "afterPage";
    const saved = saveDefinition(services, res, draft, fieldsFrom(map), "statements");
    if (!saved.ok) return render(res, consultation.slug, original, undefined, form, saved.errors);
    backToBuilder(res, consultation.slug, "paired", "pages");
  };
}

export function savePaired(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const set = setOr404(draft, String(req.params.set));
    const parsed = pairedFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badForm();
    const form = parsed.data;
    const errors: FieldError[] = [];
    const next = readSet(form, set.id, errors);
    if (errors.length > 0)
      return render(res, consultation.slug, draft, set.id, { ...form, set: set.id }, errors);
    const index = draft.pairedSets.indexOf(set);
    draft.pairedSets[index] = next;
    adoptScale(draft, next.scale);
    const saved = saveDefinition(services, res, draft, fieldsFrom(setFields(index)), "statements");
    if (!saved.ok)
      return render(res, consultation.slug, draft, set.id, { ...form, set: set.id }, saved.errors);
    backToBuilder(res, consultation.slug, "paired", "pages");
  };
}
