import { join } from "node:path";
import express from "express";
import { ukDate, ukDateTime } from "../analysis/dates.js";
import { FORM_LIMITS } from "../analysis/form-limits.js";
import { type Db, databaseFile } from "../db/connection.js";
import { storedSecret } from "../db/settings.js";
import type { Config } from "./config.js";
import { clientId } from "./middleware/client-id.js";
import { readCookies } from "./middleware/cookies.js";
import { csrf } from "./middleware/csrf.js";
import { errorHandler, notFound } from "./middleware/errors.js";
import { officerSession } from "./middleware/officer-session.js";
import { answerRateLimit, reportRateLimit } from "./middleware/rate-limit.js";
import { shapeRequests } from "./middleware/request-shape.js";
import { securityHeaders } from "./middleware/security.js";
import { isOfficerUpload } from "./routes/officer/responses-csv/upload.js";
import { officerRoutes } from "./routes/officer/routes.js";
import { aboutRoutes } from "./routes/respond/about/routes.js";
import { PublicReportPages, plainLocals } from "./routes/respond/report/public-page.js";
import { respondRoutes } from "./routes/respond/routes.js";
import { createServices } from "./services/create.js";
import type { Services } from "./services/index.js";
import { viewOptions } from "./view-options.js";

export interface AppDeps {
  config: Config;
  db: Db;
  services?: Services;
  clock?: () => Date;
  log?: (err: unknown) => void;
  /**
   * Build the public report of every consultation whose results are public, in workers, as the app
   * starts (the server does; tests ask for the pages they read).
   */
  prebuildPublicReports?: boolean;
}

/** Build the Express app from its dependencies. It does not listen: main.ts and tests do that. */
export function createApp({
  config,
  db,
  clock = () => new Date(),
  services = createServices(db, clock, config),
  log = console.error,
  prebuildPublicReports = false,
}: AppDeps) {
  const app = express();
  shapeRequests(app);
  const secure = config.env === "production";
  const secret = config.secret ?? storedSecret(db);

  app.set("views", join(config.root, "views"));
  app.set("view engine", "ejs");
  // Every include names its file from views/ ("/partials/..."): ejs resolves such a path by joining
  // it to this root, where a relative one costs a file-system check on every include of every render.
  app.set("view options", viewOptions(config.root));
  // Compile each template once. Express only does so when NODE_ENV=production, and without it
  // every include is re-read and recompiled per request (a third of a second for a page of grids).
  // `npm run dev` restarts the server when a view changes instead.
  app.enable("view cache");
  app.set("trust proxy", config.trustProxy);
  app.disable("x-powered-by");
  app.locals.council = config.council;
  app.locals.serviceName = "Sounding";
  // One date formatter for every view, built once: toLocaleDateString builds a new one per call
  // (ICU), which made the dates on the hub a sixth of its time. Every page says dates and times the
  // same way, in UK time (analysis/dates.ts).
  app.locals.ukDate = ukDate;
  app.locals.ukDateTime = ukDateTime;
  // Public report pages, kept as HTML; built in worker threads when the database is a file.
  const file = databaseFile(db);
  const publicReports = new PublicReportPages(
    services,
    file === undefined
      ? undefined
      : { path: file, views: String(app.get("views")), locals: plainLocals(app) },
    clock,
  );
  if (prebuildPublicReports) setImmediate(() => void publicReports.prebuild());

  app.use(securityHeaders());
  // Static files only under their own paths: mounted at / as well, express.static would look on
  // disk (an fs.stat through the thread pool) for every page a resident asks for.
  app.use(
    "/vendor",
    express.static(join(config.root, "public", "vendor"), { maxAge: "7d", fallthrough: true }),
  );
  app.use("/js", express.static(join(config.root, "public", "js"), { maxAge: "1h", index: false }));
  app.get("/favicon.svg", (_req, res) => {
    res.sendFile(join(config.root, "public", "favicon.svg"), { maxAge: "1h" });
  });
  // Definitions are checked against these same limits when loaded (analysis/form-limits.ts).
  app.use(
    express.urlencoded({ extended: false, limit: FORM_LIMITS.bytes, parameterLimit: FORM_LIMITS.fields }),
  );
  app.use(readCookies(secret));
  app.use(clientId(secure));

  const { doubleCsrfProtection, generateCsrfToken } = csrf(secret, secure);
  // A responses or codebook upload is multipart: its token is checked inside its route, once multer has read
  // the body (server/routes/officer/responses-csv/upload.ts). Every other request is checked here.
  app.use((req, res, next) => (isOfficerUpload(req) ? next() : doubleCsrfProtection(req, res, next)));
  app.use((req, res, next) => {
    // Forms ask for a token only when they render one.
    res.locals.csrfToken = () => generateCsrfToken(req, res);
    res.locals.rotateCsrfToken = () => generateCsrfToken(req, res, { overwrite: true });
    res.locals.currentPath = req.path;
    next();
  });
  app.use(officerSession(services.officers, secure));

  app.use(
    "/officer",
    officerRoutes(services, { secureCookies: secure, csrfProtection: doubleCsrfProtection }),
  );
  app.use(
    aboutRoutes({
      secureCookies: secure,
      pages: config.publicPages,
      publicUrl: config.publicUrl,
      mailOffered: config.smtpUrl !== undefined,
    }),
  );
  app.use(
    respondRoutes(services, {
      secureCookies: secure,
      publicUrl: config.publicUrl,
      answerLimit: answerRateLimit(config.answerRateLimit),
      reportLimit: reportRateLimit(config.reportRateLimit),
      publicReports,
    }),
  );
  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}
