import type { Request, Response } from "express";
import { type AnswerSet, visiblePages } from "../../../../analysis/answers.js";
import { firstIncompletePage } from "../../../../analysis/completeness.js";
import type { ConsultationDefinition, Page } from "../../../../analysis/definition.js";
import type { DraftRow } from "../../../../db/responses.js";
import { HttpError } from "../../../middleware/errors.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { draftInProgress } from "../context.js";
import {
  answersToFormValues,
  type FieldError,
  type FormValues,
  HONEYPOT_FIELD,
  pageFormSchema,
  parsePageForm,
  SAVE_LATER_FIELD,
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

/**
 * Where a questionnaire's answers live between pages: a respondent's stored draft, or an officer's
 * preview, which stores nothing (server/routes/officer/preview). Both go through the same page
 * logic and templates, so a preview shows exactly what a respondent sees.
 */
export interface AnswerStore {
  /** The path the questionnaire's pages hang off: /consultations/:slug, or the preview's. */
  base: string;
  answers: AnswerSet;
  /**
   * Merge one page's answers in; returns the answers kept (hidden ones dropped), or a promise of
   * them that settles once they are stored.
   */
  save(pageQuestionIds: string[], pageAnswers: AnswerSet): AnswerSet | Promise<AnswerSet>;
  /** A stored draft can be saved to come back to later (server/routes/respond/save); a preview cannot. */
  saveForLater?: boolean;
}

function render(
  res: Response,
  consultation: ConsultationSummary,
  store: AnswerStore,
  page: Page,
  visible: Page[],
  values: FormValues,
  errors: FieldError[],
  change: boolean,
) {
  const index = visible.indexOf(page);
  const base = store.base;
  const previous = visible[index - 1];
  res.status(errors.length > 0 ? 400 : 200).render("respond/page", {
    title: page.title,
    consultation,
    page,
    pageNumber: index + 1,
    pageCount: visible.length,
    backHref: change ? `${base}/check` : previous ? `${base}/respond/${previous.id}` : base,
    action: `${base}/respond/${page.id}${change ? "?change=1" : ""}`,
    questions: questionViews(consultation.definition, page, store.answers, values, errors),
    errors,
    saveForLater: store.saveForLater === true,
  });
}

/** Show one page of the questionnaire with the answers given so far. */
export function showQuestionPage(
  req: Request,
  res: Response,
  consultation: ConsultationSummary,
  store: AnswerStore,
) {
  const { page, visible } = pageOr404(consultation.definition, store.answers, String(req.params.pageId));
  const values = answersToFormValues(consultation.definition, page, store.answers);
  render(res, consultation, store, page, visible, values, [], req.query.change === "1");
}

/** Check one page's answers; keep them and go on, or show the page again with its errors. */
export async function answerQuestionPage(
  req: Request,
  res: Response,
  consultation: ConsultationSummary,
  store: AnswerStore,
) {
  const { base } = store;
  const def = consultation.definition;
  const { page, visible } = pageOr404(def, store.answers, String(req.params.pageId));
  const change = req.query.change === "1";

  const form = pageFormSchema(def, page).safeParse(req.body ?? {});
  if (!form.success) throw new HttpError(400, "The form held fields this page does not ask for");
  const values = form.data as FormValues;
  // A filled honeypot means an automated submission: accept nothing, say nothing different.
  if (values[HONEYPOT_FIELD]) return res.redirect(303, `${base}/respond/${page.id}`);

  const { answers, errors } = parsePageForm(def, page, values, store.answers);
  if (errors.length > 0) return render(res, consultation, store, page, visible, values, errors, change);

  const saved = await store.save(
    page.questions.map((q) => q.id),
    answers,
  );
  if (store.saveForLater && values[SAVE_LATER_FIELD] === "yes")
    return res.redirect(303, `${base}/save?from=${page.id}`);
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
}

function draftStore(
  services: Services,
  consultation: ConsultationSummary,
  draft: DraftRow,
  base: string,
): AnswerStore {
  return {
    base,
    answers: draft.answers,
    save: (ids, pageAnswers) => services.responses.savePage(consultation, draft, ids, pageAnswers),
    saveForLater: true,
  };
}

export function showPage(services: Services) {
  return (req: Request, res: Response) => {
    const open = draftInProgress(services, req, res);
    if (!open) return;
    showQuestionPage(
      req,
      res,
      open.consultation,
      draftStore(services, open.consultation, open.draft, open.base),
    );
  };
}

export function savePage(services: Services) {
  return (req: Request, res: Response) => {
    const open = draftInProgress(services, req, res);
    if (!open) return;
    return answerQuestionPage(
      req,
      res,
      open.consultation,
      draftStore(services, open.consultation, open.draft, open.base),
    );
  };
}
