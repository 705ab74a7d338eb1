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
  type Saved,
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
    saveOrRefuse(services, res, consultation.slug, draft, {
      fallback: "new-page-title",
      refused: "The page was not added",
      notice: "page",
      anchor: `page-${id}`,
    });
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
    saveOrRefuse(services, res, consultation.slug, draft, {
      fallback: `page-${pageId}`,
      refused: "The page was not moved",
      notice: "order",
      anchor: `page-${pageId}`,
    });
  };
}

export function deletePageAction(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    if (!deleteSchema.safeParse(req.body ?? {}).success) throw badForm();
    deletePage(draft, String(req.params.page));
    saveOrRefuse(services, res, consultation.slug, draft, {
      fallback: "pages",
      refused: "The page was not deleted",
      notice: "deleted",
      anchor: "pages",
    });
  };
}

/** The page shown when a move or delete on the overview would leave the definition invalid. */
/**
 * Saves a whole-definition change (add, move or delete) and goes back to the builder, or shows why the
 * save was refused (a change a live consultation cannot take) with a link back.
 */
export function saveOrRefuse(
  services: Services,
  res: Response,
  slug: string,
  draft: unknown,
  then: { fallback: string; refused: string; notice: Saved; anchor: string },
): void {
  const saved = saveDefinition(services, res, draft, () => undefined, then.fallback);
  if (!saved.ok) {
    res.status(400).render("officer/builder/refused", refusal(slug, then.refused, saved.errors));
    return;
  }
  backToBuilder(res, slug, then.notice, then.anchor);
}

export function refusal(slug: string, heading: string, errors: FieldError[]) {
  return {
    title: heading,
    heading,
    backHref: builderPath(slug),
    reasons: errors.map((e) => e.text),
  };
}
