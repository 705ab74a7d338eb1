import type { Request, Response } from "express";
import type { Services } from "../../../../services/index.js";
import { paragraphs } from "../create/schema.js";
import { dateTimeValues, readDateTime } from "../date-fields.js";
import {
  backToBuilder,
  badForm,
  builderPath,
  buildingOr404,
  type FieldError,
  fieldsFrom,
  saveDefinition,
} from "../save.js";
import { type DetailsForm, detailsSchema, lines } from "./schema.js";

function render(res: Response, slug: string, values: Partial<DetailsForm>, errors: FieldError[]) {
  res.status(errors.length > 0 ? 400 : 200).render("officer/builder/details", {
    title: "Consultation details",
    backHref: builderPath(slug),
    action: `${builderPath(slug)}/details`,
    values,
    errors,
  });
}

export function showDetails(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    render(
      res,
      consultation.slug,
      {
        title: draft.title,
        summary: draft.summary.join("\n\n"),
        proposals: draft.proposals ?? "",
        audience: draft.audience,
        promotion: draft.promotion.join("\n"),
        ...dateTimeValues("opens", draft.opens),
        ...dateTimeValues("closes", draft.closes),
      },
      [],
    );
  };
}

const FIELDS = fieldsFrom({
  "$.title": "title",
  "$.summary": "summary",
  "$.proposals": "proposals",
  "$.audience": "audience",
  "$.promotion": "promotion",
  "$.opens": "opens-day",
  "$.closes": "closes-day",
});

export function saveDetails(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const parsed = detailsSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badForm();
    const form = parsed.data;
    const errors: FieldError[] = [];
    if (!form.title.trim()) errors.push({ field: "title", text: "Enter a title" });
    if (!form.summary.trim()) errors.push({ field: "summary", text: "Enter a summary" });
    if (!form.audience.trim()) errors.push({ field: "audience", text: "Enter who the consultation is for" });
    const opens = readDateTime(form, "opens", "opening", draft.opens);
    const closes = readDateTime(form, "closes", "closing", draft.closes);
    if ("error" in opens) errors.push(opens.error);
    if ("error" in closes) errors.push(closes.error);
    if (errors.length > 0 || "error" in opens || "error" in closes)
      return render(res, consultation.slug, form, errors);
    const { proposals: _old, ...rest } = draft;
    const proposals = form.proposals.trim();
    const saved = saveDefinition(
      services,
      res,
      {
        ...rest,
        title: form.title.trim(),
        summary: paragraphs(form.summary),
        ...(proposals ? { proposals } : {}),
        audience: form.audience.trim(),
        promotion: lines(form.promotion),
        opens: opens.iso,
        closes: closes.iso,
      },
      FIELDS,
      "title",
    );
    if (!saved.ok) return render(res, consultation.slug, form, saved.errors);
    backToBuilder(res, consultation.slug, "details");
  };
}
