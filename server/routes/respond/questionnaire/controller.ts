import type { Request, Response } from "express";
import { type AnswerSet, visiblePages } from "../../../../analysis/answers.js";
import { firstIncompletePage } from "../../../../analysis/completeness.js";
import type { ConsultationDefinition, Page } from "../../../../analysis/definition.js";
import { HttpError } from "../../../middleware/errors.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { basePath, draftInProgress } from "../context.js";
import {
  answersToFormValues,
  type FieldError,
  type FormValues,
  HONEYPOT_FIELD,
  pageFormSchema,
  parsePageForm,
} from "./schema.js";
import { questionViews } from "./view-model.js";

function pageOr404(
  def: ConsultationDefinition,
  answers: AnswerSet,
  pageId: string,
): { page: Page; visible: Page[] } {
  const visible = visiblePages(def, answers);
  const page = visible.find((p) => p.id === pageId);
  if (!page) throw new HttpError(404, "No such page");
  return { page, visible };
}

function render(
  res: Response,
  consultation: ConsultationSummary,
  answers: AnswerSet,
  page: Page,
  visible: Page[],
  values: FormValues,
  errors: FieldError[],
  change: boolean,
) {
  const index = visible.indexOf(page);
  const base = basePath(consultation.slug);
  const previous = visible[index - 1];
  res.status(errors.length > 0 ? 400 : 200).render("respond/page", {
    title: page.title,
    consultation,
    page,
    pageNumber: index + 1,
    pageCount: visible.length,
    backHref: change ? `${base}/check` : previous ? `${base}/respond/${previous.id}` : base,
    action: `${base}/respond/${page.id}${change ? "?change=1" : ""}`,
    questions: questionViews(consultation.definition, page, answers, values, errors),
    errors,
  });
}

export function showPage(services: Services) {
  return (req: Request, res: Response) => {
    const open = draftInProgress(services, req, res);
    if (!open) return;
    const { consultation, draft } = open;
    const { page, visible } = pageOr404(consultation.definition, draft.answers, String(req.params.pageId));
    const values = answersToFormValues(consultation.definition, page, draft.answers);
    render(res, consultation, draft.answers, page, visible, values, [], req.query.change === "1");
  };
}

export function savePage(services: Services) {
  return (req: Request, res: Response) => {
    const open = draftInProgress(services, req, res);
    if (!open) return;
    const { consultation, draft, base } = open;
    const def = consultation.definition;
    const { page, visible } = pageOr404(def, draft.answers, String(req.params.pageId));
    const change = req.query.change === "1";

    const form = pageFormSchema(def, page).safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held fields this page does not ask for");
    const values = form.data as FormValues;
    // A filled honeypot means an automated submission: accept nothing, say nothing different.
    if (values[HONEYPOT_FIELD]) return res.redirect(303, `${base}/respond/${page.id}`);

    const { answers, errors } = parsePageForm(def, page, values, draft.answers);
    if (errors.length > 0)
      return render(res, consultation, draft.answers, page, visible, values, errors, change);

    const saved = services.responses.savePage(
      consultation,
      draft,
      page.questions.map((q) => q.id),
      answers,
    );
    const nowVisible = visiblePages(def, saved);
    const incomplete = firstIncompletePage(def, saved);
    const next = change
      ? // After a change, answers may reveal a page (ticking "supplier"): ask it before going back.
        incomplete && nowVisible.findIndex((p) => p.id === incomplete) > nowVisible.indexOf(page)
        ? `${base}/respond/${incomplete}?change=1`
        : `${base}/check`
      : nowVisible[nowVisible.indexOf(page) + 1]
        ? `${base}/respond/${nowVisible[nowVisible.indexOf(page) + 1]?.id}`
        : `${base}/check`;
    res.redirect(303, next);
  };
}
