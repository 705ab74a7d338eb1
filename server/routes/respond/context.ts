import type { Request, Response } from "express";
import type { DraftRow } from "../../../db/responses.js";
import { HttpError } from "../../middleware/errors.js";
import type { ConsultationSummary } from "../../services/consultations.js";
import type { Services } from "../../services/index.js";

export const draftCookie = (slug: string) => `sounding.draft.${slug}`;
export const basePath = (slug: string) => `/consultations/${slug}`;

/** Give this browser the draft's cookie (starting a response, or coming back to a saved one). */
export function setDraftCookie(res: Response, slug: string, token: string, secure: boolean): void {
  res.cookie(draftCookie(slug), token, { httpOnly: true, sameSite: "lax", secure, path: basePath(slug) });
}

export function consultationOr404(services: Services, req: Request): ConsultationSummary {
  const slug = String(req.params.slug ?? "");
  const consultation = /^[a-z][a-z0-9-]{0,59}$/.test(slug) ? services.consultations.find(slug) : undefined;
  if (!consultation) throw new HttpError(404, "No such consultation");
  return consultation;
}

/**
 * The consultation a public page is about. A draft is not public yet (officers preview it in the
 * builder); an archived one stays at its address, though no list shows it.
 */
export function publicConsultationOr404(services: Services, req: Request): ConsultationSummary {
  const consultation = consultationOr404(services, req);
  if (consultation.stage === "draft") throw new HttpError(404, "No such consultation");
  return consultation;
}

/** The respondent's draft for this consultation, from their cookie, if they have one. */
export function draftOf(
  services: Services,
  req: Request,
  consultation: ConsultationSummary,
): DraftRow | undefined {
  const token: unknown = req.cookies?.[draftCookie(consultation.slug)];
  return services.responses.find(consultation, typeof token === "string" ? token : undefined);
}

/** A consultation that is not open shows why and accepts nothing. */
export function renderNotOpen(res: Response, consultation: ConsultationSummary): void {
  res.status(403).render("respond/not-open", { title: consultation.title, consultation });
}

/**
 * The start of every questionnaire page: the consultation must be open and the respondent must have
 * a draft still in progress. Otherwise the right page is sent (closed, start again, or the
 * confirmation of a response already sent) and undefined returned.
 */
export function draftInProgress(
  services: Services,
  req: Request,
  res: Response,
): { consultation: ConsultationSummary; draft: DraftRow; base: string } | undefined {
  const consultation = publicConsultationOr404(services, req);
  if (consultation.status !== "open") {
    renderNotOpen(res, consultation);
    return undefined;
  }
  const base = basePath(consultation.slug);
  const draft = draftOf(services, req, consultation);
  if (!draft) res.redirect(303, base);
  else if (draft.status === "submitted") res.redirect(303, `${base}/confirmation`);
  else {
    // Shown once, on the page that carried the draft to the consultation's current version.
    if (draft.changedSince) res.locals.draftChanges = draft.changedSince;
    return { consultation, draft, base };
  }
  return undefined;
}
