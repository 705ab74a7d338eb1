import type { Request, Response } from "express";
import { z } from "zod";
import { type ConsultationDefinition, optionsOf, publicationOf } from "../../../../../analysis/definition.js";
import type { Services } from "../../../../services/index.js";
import { conditionFields, conditionValues, readCondition } from "../condition-fields.js";
import { lines } from "../details/schema.js";
import {
  backToBuilder,
  badForm,
  builderPath,
  buildingOr404,
  type FieldError,
  fieldsFrom,
  saveDefinition,
} from "../save.js";

const formSchema = z.strictObject({
  keepCouncillorNames: z.string().max(5).default("no"),
  keptNames: z.string().max(20_000).default(""),
  ...conditionFields([]),
  _csrf: z.string().optional(),
});

/** The single choice questions a consent question may be, with their answers. */
function consentSources(def: ConsultationDefinition) {
  return def.pages
    .flatMap((p) => p.questions)
    .filter((q) => q.kind === "single")
    .map((q) => ({ question: q, options: optionsOf(def, q) }));
}

function render(
  res: Response,
  slug: string,
  def: ConsultationDefinition,
  values: Record<string, unknown>,
  errors: FieldError[],
) {
  res.status(errors.length > 0 ? 400 : 200).render("officer/builder/publication", {
    title: "Publishing responses",
    backHref: builderPath(slug),
    action: `${builderPath(slug)}/publication`,
    choices: consentSources(def).map((s) => ({
      id: s.question.id,
      text: s.question.text,
      options: s.options.map((o) => ({ code: o.code, label: o.label })),
    })),
    values,
    errors,
  });
}

/** What may be published: the consent question and its answers, and the names redaction keeps. */
export function showPublication(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const p = publicationOf(draft);
    render(
      res,
      consultation.slug,
      draft,
      {
        keepCouncillorNames: p.keepCouncillorNames ? "yes" : "no",
        keptNames: p.keptNames.join("\n"),
        ...conditionValues(p.consent),
      },
      [],
    );
  };
}

export function savePublication(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const parsed = formSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badForm();
    const form = parsed.data;
    const { condition, error } = readCondition(form, consentSources(draft));
    if (error)
      return render(res, consultation.slug, draft, form, [
        { field: "showIf", text: "Tick the answers to one question only" },
      ]);
    draft.publication = {
      keepCouncillorNames: form.keepCouncillorNames === "yes",
      keptNames: lines(form.keptNames),
      ...(condition ? { consent: condition } : {}),
    };
    const saved = saveDefinition(
      services,
      res,
      draft,
      fieldsFrom({ "$.publication.keptNames": "keptNames", "$.publication.consent": "showIf" }),
      "showIf",
    );
    if (!saved.ok) return render(res, consultation.slug, draft, form, saved.errors);
    backToBuilder(res, consultation.slug, "details");
  };
}
