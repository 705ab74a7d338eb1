import type { Request, Response } from "express";
import { resultsArePublic } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { reportPageLocals } from "../../report/page.js";
import { basePath, publicConsultationOr404 } from "../context.js";
import { PublicReportPages } from "./public-page.js";

/**
 * The published summary report: public once the results are published, refused before.
 *
 * The page a resident gets is kept as HTML until the report changes, and built off the request
 * loop when the database is a file (public-page.ts): building it for 500,000 responses held every
 * other page for most of a second (issue 8's responsiveness benchmark). It depends on nothing else
 * of the request; an officer's page carries their menu and a form token, so it is rendered for
 * them each time, from the report the report service keeps.
 */
export function showPublicReport(services: Services, opts: { publicReports?: PublicReportPages } = {}) {
  // Without pages from the app (a test's bare router), built on this thread.
  const pages = opts.publicReports ?? new PublicReportPages(services, undefined, () => new Date());
  return async (req: Request, res: Response) => {
    const consultation = publicConsultationOr404(services, req);
    if (!resultsArePublic(consultation)) {
      res.status(403).render("report/not-published", {
        title: `Summary report: ${consultation.title}`,
        consultation,
      });
      return;
    }
    const extra = { backHref: basePath(consultation.slug) };
    if (res.locals.officer) {
      res.render(
        "report/report",
        reportPageLocals(services.report.current(consultation, "public"), "public", extra),
      );
      return;
    }
    const html = await pages.page(
      consultation,
      (built) =>
        new Promise<string>((resolve, reject) =>
          res.render(
            "report/report",
            reportPageLocals(built, "public", extra),
            (err: unknown, out: string) => (err ? reject(err) : resolve(out)),
          ),
        ),
    );
    res.type("html").send(html);
  };
}
