import type { Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import { resultsArePublic } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { PUBLISHED_PAGE } from "../../../services/moderation.js";
import { pageNumber } from "../../officer/comments/controller.js";
import { basePath, consultationOr404 } from "../context.js";

/**
 * The published responses (issue 11): the whole responses of respondents who consented, redacted
 * and approved, once the consultation's results are published (with its public report: the council
 * considers the responses first). Only a consultation that asks for consent has it.
 */
export function showPublishedResponses(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const page = pageNumber(req.query.page);
    const found = services.moderation.publishedResponses(consultation, page);
    if (!found) throw new HttpError(404, "This consultation does not publish responses");
    if (!resultsArePublic(consultation)) {
      res.status(403).render("respond/published-responses", {
        title: `Published responses: ${consultation.title}`,
        consultation,
        notYet: true,
        backHref: basePath(consultation.slug),
      });
      return;
    }
    res.render("respond/published-responses", {
      title: `Published responses: ${consultation.title}`,
      consultation,
      notYet: false,
      ...found,
      page,
      pages: Math.max(1, Math.ceil(found.ready / PUBLISHED_PAGE)),
      first: (page - 1) * PUBLISHED_PAGE,
      path: `${basePath(consultation.slug)}/published-responses`,
      backHref: basePath(consultation.slug),
    });
  };
}
