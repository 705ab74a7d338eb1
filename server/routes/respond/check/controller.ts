import type { Request, Response } from "express";
import { type AnswerSet, pruneHiddenAnswers, visiblePages } from "../../../../analysis/answers.js";
import { firstIncompletePage } from "../../../../analysis/completeness.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { basePath, publicConsultationOr404, draftInProgress, draftOf, renderNotOpen } from "../context.js";
import { summarySections } from "./view-model.js";

/**
 * The check-answers page for the answers given so far (a draft's, or a preview's), or a redirect to
 * the first page still to answer.
 */
export function showCheckAnswers(
  res: Response,
  consultation: ConsultationSummary,
  answersSoFar: AnswerSet,
  base: string,
) {
  const def = consultation.definition;
  const answers = pruneHiddenAnswers(def, answersSoFar);
  const incomplete = firstIncompletePage(def, answers);
  if (incomplete) return res.redirect(303, `${base}/respond/${incomplete}`);
  const pages = visiblePages(def, answers);
  const last = pages[pages.length - 1];
  res.render("respond/check", {
    title: "Check your answers before sending your response",
    consultation,
    sections: summarySections(def, answers, base),
    backHref: last ? `${base}/respond/${last.id}` : base,
    action: `${base}/submit`,
  });
}

export function showCheck(services: Services) {
  return (req: Request, res: Response) => {
    const open = draftInProgress(services, req, res);
    if (!open) return;
    showCheckAnswers(res, open.consultation, open.draft.answers, open.base);
  };
}

export function submit(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = publicConsultationOr404(services, req);
    if (consultation.status !== "open") return renderNotOpen(res, consultation);
    const draft = draftOf(services, req, consultation);
    const base = basePath(consultation.slug);
    if (!draft) return res.redirect(303, base);
    const outcome = services.responses.submit(consultation, draft);
    if (outcome.kind === "incomplete") return res.redirect(303, `${base}/respond/${outcome.pageId}`);
    res.redirect(303, `${base}/confirmation`);
  };
}
