import type { NextFunction, Request, Response } from "express";
import { resultsArePublic } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import type { BuiltReport } from "../../../services/report.js";
import { reportPageLocals } from "../../report/page.js";
import { basePath, publicConsultationOr404 } from "../context.js";

/**
 * The published summary report: public once the results are published, refused before.
 *
 * The page a resident gets is kept as HTML beside the report it was rendered from (the report
 * service keeps one built report until something it is written from changes), so each request
 * after the first only sends it: rendering the page took 50-100 ms of the request loop, and four
 * residents reading the report at once held every other page for a fraction of a second (issue 8's
 * responsiveness benchmark). It depends on nothing else of the request; an officer's page carries
 * their menu and a form token, so it is rendered for them each time.
 */
export function showPublicReport(services: Services) {
  const rendered = new WeakMap<BuiltReport, string>();
  return (req: Request, res: Response, next: NextFunction) => {
    const consultation = publicConsultationOr404(services, req);
    if (!resultsArePublic(consultation)) {
      res.status(403).render("report/not-published", {
        title: `Summary report: ${consultation.title}`,
        consultation,
      });
      return;
    }
    const built = services.report.current(consultation, "public");
    const locals = reportPageLocals(built, "public", { backHref: basePath(consultation.slug) });
    if (res.locals.officer) {
      res.render("report/report", locals);
      return;
    }
    const kept = rendered.get(built);
    if (kept !== undefined) {
      res.type("html").send(kept);
      return;
    }
    res.render("report/report", locals, (err: unknown, html: string) => {
      if (err) return next(err);
      rendered.set(built, html);
      res.type("html").send(html);
    });
  };
}
