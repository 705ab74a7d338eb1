import type { Request, Response } from "express";
import type { ConsultationDefinition } from "../../../../../analysis/definition.js";
import { scaleLibrary } from "../../../../../analysis/scale-library.js";
import { withoutTrailing } from "../../../../../analysis/without-trailing.js";
import type { Services } from "../../../../services/index.js";
import { freshId } from "../edits.js";
import {
  backToBuilder,
  badForm,
  builderPath,
  buildingOr404,
  type FieldError,
  fieldsFrom,
  saveDefinition,
} from "../save.js";
import { readScaleOptions, type ScaleForm, scaleFormSchema } from "./schema.js";

function render(
  res: Response,
  slug: string,
  def: ConsultationDefinition,
  values: Partial<ScaleForm>,
  errors: FieldError[],
) {
  res.status(errors.length > 0 ? 400 : 200).render("officer/builder/scales", {
    title: "Scales",
    backHref: builderPath(slug),
    action: `${builderPath(slug)}/scales`,
    library: scaleLibrary.map((s) => ({ name: s.name, labels: s.options.map((o) => o.label) })),
    own: def.scales
      .filter((s) => !scaleLibrary.some((l) => l.id === s.id))
      .map((s) => ({ name: s.name, id: s.id, labels: s.options.map((o) => o.label) })),
    values,
    errors,
  });
}

/** The scale library, the consultation's own scales, and a form to make another. */
export function showScales(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    render(res, consultation.slug, draft, {}, []);
  };
}

export function addScale(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const parsed = scaleFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badForm();
    const form = parsed.data;
    const errors: FieldError[] = [];
    const name = form.name.trim();
    if (!name) errors.push({ field: "name", text: "Enter the scale's name" });
    const options = readScaleOptions(form.options, errors);
    const taken = [...scaleLibrary.map((s) => s.id), ...draft.scales.map((s) => s.id)];
    const id = form.id.trim() || withoutTrailing(freshId(name, taken, "scale").slice(0, 40), "-");
    if (taken.includes(id))
      errors.push({ field: "id", text: "Another scale has this short name: enter a different one" });
    if (errors.length > 0) return render(res, consultation.slug, draft, form, errors);
    const original = structuredClone(draft);
    draft.scales.push({ id, name, options, words: {} });
    const at = `$.scales[${draft.scales.length - 1}]`;
    const saved = saveDefinition(
      services,
      res,
      draft,
      fieldsFrom({
        [`${at}.id`]: "id",
        [`${at}.name`]: "name",
        [`${at}.options`]: "options",
        [at]: "options",
      }),
      "name",
    );
    if (!saved.ok) return render(res, consultation.slug, original, form, saved.errors);
    backToBuilder(res, consultation.slug, "scale");
  };
}
