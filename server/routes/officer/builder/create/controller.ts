import type { Request, Response } from "express";
import type { DefinitionInput } from "../../../../../analysis/definition.js";
import { DEFINITION_SCHEMA_VERSION } from "../../../../../analysis/definition.js";
import type { Services } from "../../../../services/index.js";
import { readDateTime } from "../date-fields.js";
import { backToBuilder, badForm, type FieldError, fieldsFrom, saveDefinition } from "../save.js";
import { type CreateForm, createSchema, paragraphs, slugFrom } from "./schema.js";

function render(res: Response, services: Services, values: Partial<CreateForm>, errors: FieldError[]) {
  const { open, upcoming, closed } = services.consultations.hub();
  res.status(errors.length > 0 ? 400 : 200).render("officer/builder/create", {
    title: "Create a consultation",
    values,
    errors,
    existing: [...open, ...upcoming, ...closed].map((c) => ({ slug: c.slug, title: c.title })),
  });
}

export function showCreate(services: Services) {
  return (req: Request, res: Response) => {
    const copyFrom = typeof req.query.copy === "string" ? req.query.copy : "";
    render(res, services, { start: copyFrom ? "copy" : "", copyFrom }, []);
  };
}

const FIELDS = fieldsFrom({
  "$.title": "title",
  "$.slug": "slug",
  "$.summary": "summary",
  "$.audience": "audience",
  "$.opens": "opens-day",
  "$.closes": "closes-day",
});

/** Create the consultation and go on to build it. */
export function create(services: Services) {
  return (req: Request, res: Response) => {
    const parsed = createSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badForm();
    const form = parsed.data;
    const errors: FieldError[] = [];
    const source = form.start === "copy" ? services.consultations.find(form.copyFrom) : undefined;
    if (form.start !== "blank" && form.start !== "copy")
      errors.push({ field: "start", text: "Select whether to start from nothing or from a copy" });
    else if (form.start === "copy" && !source)
      errors.push({ field: "copyFrom", text: "Select the consultation to copy" });
    if (!form.title.trim()) errors.push({ field: "title", text: "Enter a title" });
    const slug = form.slug.trim() || slugFrom(form.title);
    if (form.title.trim() && services.consultations.find(slug))
      errors.push({
        field: "slug",
        text: "A consultation already has this web address: enter a different one",
      });
    if (!source && !form.summary.trim()) errors.push({ field: "summary", text: "Enter a summary" });
    if (!source && !form.audience.trim())
      errors.push({ field: "audience", text: "Enter who the consultation is for" });
    const opens = readDateTime(form, "opens", "opening");
    const closes = readDateTime(form, "closes", "closing");
    if ("error" in opens) errors.push(opens.error);
    if ("error" in closes) errors.push(closes.error);
    if (errors.length > 0 || "error" in opens || "error" in closes)
      return render(res, services, form, errors);

    const summary = paragraphs(form.summary);
    const definition: DefinitionInput = source
      ? {
          ...structuredClone(source.definition),
          slug,
          title: form.title.trim(),
          ...(summary.length > 0 ? { summary } : {}),
          ...(form.audience.trim() ? { audience: form.audience.trim() } : {}),
          opens: opens.iso,
          closes: closes.iso,
        }
      : {
          schemaVersion: DEFINITION_SCHEMA_VERSION,
          slug,
          title: form.title.trim(),
          council: String(req.app.locals.council),
          summary,
          audience: form.audience.trim(),
          opens: opens.iso,
          closes: closes.iso,
          pages: [{ id: "your-views", title: "Your views", questions: [] }],
        };
    const saved = saveDefinition(services, res, definition, FIELDS, "title", "draft");
    if (!saved.ok) return render(res, services, form, saved.errors);
    backToBuilder(res, slug, "created");
  };
}
