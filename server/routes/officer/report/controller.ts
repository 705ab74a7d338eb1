import type { Request, Response } from "express";
import { resultsArePublic } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { reportPageLocals } from "../../report/page.js";
import { consultationOr404 } from "../../respond/context.js";

/** The summary report as it stands (open consultations included), printable to PDF. */
export function showReport(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const base = `/officer/consultations/${consultation.slug}`;
    res.render(
      "report/report",
      reportPageLocals(services.report.current(consultation), "officer", {
        backHref: base,
        links: {
          weDid: `${base}/we-did`,
          dashboard: base,
          published: resultsArePublic(consultation) ? `/consultations/${consultation.slug}/report` : null,
        },
      }),
    );
  };
}
