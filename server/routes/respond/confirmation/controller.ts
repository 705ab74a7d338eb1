import type { Request, Response } from "express";
import type { Services } from "../../../services/index.js";
import { basePath, draftOf, publicConsultationOr404 } from "../context.js";

export function showConfirmation(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = publicConsultationOr404(services, req);
    const draft = draftOf(services, req, consultation);
    if (draft?.status !== "submitted" || !draft.reference)
      return res.redirect(303, basePath(consultation.slug));
    res.render("respond/confirmation", {
      title: "Response sent",
      consultation,
      reference: draft.reference,
      submittedAt: draft.submittedAt,
      receiptSent: req.query.receipt === "1",
    });
  };
}
