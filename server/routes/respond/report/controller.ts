import type { Application, Request, Response } from "express";
import { resultsArePublic } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { reportPageLocals } from "../../report/page.js";
import { basePath, publicConsultationOr404 } from "../context.js";
import { type OffLoop, PublicReportPages } from "./public-page.js";

/** The app's locals a worker can be given (the functions among them it imports itself). */
function plainLocals(app: Application): OffLoop["locals"] {
  const locals: OffLoop["locals"] = {};
  for (const [name, value] of Object.entries(app.locals as Record<string, unknown>))
    if (value === null || ["string", "number", "boolean"].includes(typeof value))
      locals[name] = value as string | number | boolean | null;
  return locals;
}

/**
 * The published summary report: public once the results are published, refused before.
 *
 * The page a resident gets is kept as HTML until the report changes, and built off the request
 * loop when the database is a file (public-page.ts): building it for 500,000 responses held every
 * other page for most of a second (issue 8's responsiveness benchmark). It depends on nothing else
 * of the request; an officer's page carries their menu and a form token, so it is rendered for
 * them each time, from the report the report service keeps.
 */
export function showPublicReport(
  services: Services,
  opts: { databaseFile?: string; clock?: () => Date } = {},
) {
  let pages: PublicReportPages | undefined;
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
    const path = opts.databaseFile;
    pages ??= new PublicReportPages(
      services,
      path === undefined
        ? undefined
        : { path, views: String(req.app.get("views")), locals: plainLocals(req.app) },
      opts.clock ?? (() => new Date()),
    );
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
