import type { Request, Response } from "express";
import { proposalsHtml } from "../../../markdown.js";
import { resultsArePublic } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { basePath, draftOf, publicConsultationOr404, renderNotOpen, setDraftCookie } from "../context.js";

export function showConsultation(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = publicConsultationOr404(services, req);
    const draft = draftOf(services, req, consultation);
    res.render("respond/consultation", {
      title: consultation.title,
      consultation,
      definition: consultation.definition,
      proposals: proposalsHtml(consultation.definition),
      inProgress: draft?.status === "draft" && Object.keys(draft.answers).length > 0,
      submittedReference: draft?.status === "submitted" ? draft.reference : undefined,
      weDid: services.report.published(consultation),
      // What people said, counted: the confirmed comment themes, published with "we did".
      themes: resultsArePublic(consultation) ? services.themes.reportThemes(consultation) : [],
      resultsPublic: resultsArePublic(consultation),
    });
  };
}

/** "Respond online": start a new draft response and go to its first page. */
export function startResponse(services: Services, secureCookies: boolean) {
  return (req: Request, res: Response) => {
    const consultation = publicConsultationOr404(services, req);
    if (consultation.status !== "open") return renderNotOpen(res, consultation);
    const existing = draftOf(services, req, consultation);
    const resume = req.body?.resume === "yes" && existing?.status === "draft";
    if (!resume) {
      const token = services.responses.start(consultation);
      setDraftCookie(res, consultation.slug, token, secureCookies);
    }
    const first = consultation.definition.pages[0]?.id;
    res.redirect(303, `${basePath(consultation.slug)}/respond/${first}`);
  };
}
