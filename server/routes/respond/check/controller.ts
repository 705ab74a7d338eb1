import type { Request, Response } from "express";
import { type AnswerSet, pruneHiddenAnswers, visiblePages } from "../../../../analysis/answers.js";
import { firstIncompletePage } from "../../../../analysis/completeness.js";
import { HttpError } from "../../../middleware/errors.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { basePath, draftInProgress, draftOf, publicConsultationOr404, renderNotOpen } from "../context.js";
import { receiptText } from "./receipt.js";
import { submitFormSchema } from "./schema.js";
import { summarySections } from "./view-model.js";

/** The receipt offer on the check page: whether e-mail can be sent, what was typed, its error. */
export interface ReceiptOffer {
  mailOffered: boolean;
  email: string;
  error?: string;
  /** In an officer's preview: says the question is inert there. */
  previewNote?: string;
}

/**
 * The check-answers page for the answers given so far (a draft's, or a preview's), or a redirect to
 * the first page still to answer.
 */
export function showCheckAnswers(
  res: Response,
  consultation: ConsultationSummary,
  answersSoFar: AnswerSet,
  base: string,
  receipt?: ReceiptOffer,
) {
  const def = consultation.definition;
  const answers = pruneHiddenAnswers(def, answersSoFar);
  const incomplete = firstIncompletePage(def, answers);
  if (incomplete) return res.redirect(303, `${base}/respond/${incomplete}`);
  const pages = visiblePages(def, answers);
  const last = pages[pages.length - 1];
  const errors = receipt?.error ? [{ field: "email", text: receipt.error }] : [];
  res.status(errors.length > 0 ? 400 : 200).render("respond/check", {
    title: "Check your answers before sending your response",
    consultation,
    sections: summarySections(def, answers, base),
    backHref: last ? `${base}/respond/${last.id}` : base,
    action: `${base}/submit`,
    receipt,
    errors,
  });
}

export function showCheck(services: Services) {
  return (req: Request, res: Response) => {
    const open = draftInProgress(services, req, res);
    if (!open) return;
    showCheckAnswers(res, open.consultation, open.draft.answers, open.base, {
      mailOffered: services.mail.enabled,
      email: "",
    });
  };
}

export function submit(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = publicConsultationOr404(services, req);
    if (consultation.status !== "open") return renderNotOpen(res, consultation);
    const draft = draftOf(services, req, consultation);
    const base = basePath(consultation.slug);
    if (!draft) return res.redirect(303, base);
    const form = submitFormSchema.safeParse(req.body ?? {});
    if (!form.success) {
      const bad = form.error.issues.find((i) => i.path[0] === "email");
      if (!bad) throw new HttpError(400, "The form held fields this page does not ask for");
      if (draft.status !== "draft") return res.redirect(303, `${base}/confirmation`);
      const typed = typeof req.body?.email === "string" ? String(req.body.email) : "";
      return showCheckAnswers(res, consultation, draft.answers, base, {
        mailOffered: services.mail.enabled,
        email: typed,
        error: bad.message,
      });
    }
    const wasDraft = draft.status === "draft";
    const outcome = services.responses.submit(consultation, draft);
    if (outcome.kind === "incomplete") return res.redirect(303, `${base}/respond/${outcome.pageId}`);
    // The response is stored whatever happens next: the receipt is queued, and sent (or retried)
    // outside this request.
    const email = services.mail.enabled && wasDraft ? form.data.email : undefined;
    if (email) {
      const answers = pruneHiddenAnswers(consultation.definition, draft.answers);
      services.mail.send({
        kind: "receipt",
        responseId: draft.id,
        recipient: email,
        subject: `Your response to ${consultation.title}: ${outcome.reference}`,
        body: receiptText(
          consultation,
          answers,
          outcome.reference,
          res.app.locals.ukDateTime(draftOf(services, req, consultation)?.submittedAt ?? new Date()),
        ),
      });
    }
    res.redirect(303, `${base}/confirmation${email ? "?receipt=1" : ""}`);
  };
}
