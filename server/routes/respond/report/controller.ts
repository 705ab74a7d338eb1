import type { Request, Response } from "express";
import { resultsArePublic } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { reportPageLocals } from "../../report/page.js";
import { basePath, publicConsultationOr404 } from "../context.js";

/** The published summary report: public once the results are published, refused before. */
export function showPublicReport(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = publicConsultationOr404(services, req);
    if (!resultsArePublic(consultation)) {
      res.status(403).render("report/not-published", {
        title: `Summary report: ${consultation.title}`,
        consultation,
      });
      return;
    }
    res.render(
      "report/report",
      reportPageLocals(services.report.current(consultation, "public"), "public", {
        backHref: basePath(consultation.slug),
      }),
    );
  };
}
