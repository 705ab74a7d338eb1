import type { Request, Response } from "express";
import type { Services } from "../../../../services/index.js";
import { conditionChoices, conditionValues, readCondition } from "../condition-fields.js";
import { conditionSources } from "../conditions.js";
import { paragraphs } from "../create/schema.js";
import { deletePage, freshId, movePage, pageOr404 } from "../edits.js";
import {
  backToBuilder,
  badForm,
  builderPath,
  buildingOr404,
  type FieldError,
  fieldsFrom,
  saveDefinition,
} from "../save.js";
import { deleteSchema, moveSchema, newPageSchema, pageFormSchema } from "./schema.js";

/** "Add a page" on the overview: a title, then the page is there to fill. */
export function addPage(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const form = newPageSchema.safeParse(req.body ?? {});
    if (!form.success) throw badForm();
    const title = form.data.title.trim() || `Page ${draft.pages.length + 1}`;
    const id = freshId(
      title,
      draft.pages.map((p) => p.id),
      "page",
    );
    draft.pages.push({ id, title, content: [], questions: [] });
    const saved = saveDefinition(services, res, draft, () => undefined, "new-page-title");
    if (!saved.ok)
      return res
        .status(400)
        .render(
          "officer/builder/refused",
          refusal(consultation.slug, "The page was not added", saved.errors),
        );
    backToBuilder(res, consultation.slug, "page", `page-${id}`);
  };
}

function render(
  res: Response,
  slug: string,
  pageId: string,
  choices: ReturnType<typeof conditionChoices>,
  values: Record<string, unknown>,
  errors: FieldError[],
) {
  res.status(errors.length > 0 ? 400 : 200).render("officer/builder/page", {
    title: "Edit page",
    backHref: `${builderPath(slug)}#page-${pageId}`,
    action: `${builderPath(slug)}/pages/${pageId}`,
    choices,
    values,
    errors,
  });
}

export function showPageForm(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const { page, index } = pageOr404(draft, String(req.params.page));
    render(
      res,
      consultation.slug,
      page.id,
      conditionChoices(draft, index),
      {
        title: page.title,
        content: page.content.join("\n\n"),
        ...conditionValues(page.showIf),
      },
      [],
    );
  };
}

export function savePageForm(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const { page, index } = pageOr404(draft, String(req.params.page));
    const pageId = page.id;
    const sources = conditionSources(draft, index);
    const parsed = pageFormSchema(sources).safeParse(req.body ?? {});
    if (!parsed.success) throw badForm();
    const form = parsed.data;
    const errors: FieldError[] = [];
    if (!form.title.trim()) errors.push({ field: "title", text: "Enter the page title" });
    const { condition, error } = readCondition(form, sources);
    if (error) errors.push(error);
    const choices = conditionChoices(draft, index);
    if (errors.length > 0) return render(res, consultation.slug, pageId, choices, form, errors);
    page.title = form.title.trim();
    page.id = form.id.trim() || page.id;
    page.content = paragraphs(form.content);
    if (condition) page.showIf = condition;
    else delete page.showIf;
    const at = `$.pages[${index}]`;
    const saved = saveDefinition(
      services,
      res,
      draft,
      fieldsFrom({
        [`${at}.title`]: "title",
        [`${at}.id`]: "id",
        [`${at}.content`]: "content",
        [`${at}.showIf`]: "showIf",
        "$.pages": "id",
      }),
      "title",
    );
    if (!saved.ok) return render(res, consultation.slug, pageId, choices, form, saved.errors);
    backToBuilder(res, consultation.slug, "page", `page-${page.id}`);
  };
}

/**
 * Moving and deleting are buttons on the overview. When the schema refuses the result (a condition
 * would then look at a later page), the overview is shown again with the reason.
 */
export function movePageAction(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const form = moveSchema.safeParse(req.body ?? {});
    if (!form.success) throw badForm();
    const pageId = String(req.params.page);
    movePage(draft, pageId, form.data.direction);
    const saved = saveDefinition(services, res, draft, () => undefined, `page-${pageId}`);
    if (!saved.ok)
      return res
        .status(400)
        .render(
          "officer/builder/refused",
          refusal(consultation.slug, "The page was not moved", saved.errors),
        );
    backToBuilder(res, consultation.slug, "order", `page-${pageId}`);
  };
}

export function deletePageAction(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    if (!deleteSchema.safeParse(req.body ?? {}).success) throw badForm();
    deletePage(draft, String(req.params.page));
    const saved = saveDefinition(services, res, draft, () => undefined, "pages");
    if (!saved.ok)
      return res
        .status(400)
        .render(
          "officer/builder/refused",
          refusal(consultation.slug, "The page was not deleted", saved.errors),
        );
    backToBuilder(res, consultation.slug, "deleted", "pages");
  };
}

/** The page shown when a move or delete on the overview would leave the definition invalid. */
export function refusal(slug: string, heading: string, errors: FieldError[]) {
  return {
    title: heading,
    heading,
    backHref: builderPath(slug),
    reasons: errors.map((e) => e.text),
  };
}
