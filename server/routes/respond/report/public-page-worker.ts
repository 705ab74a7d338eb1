import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import ejs from "ejs";
import { ukDate, ukDateTime } from "../../../../analysis/dates.js";
import { openDatabase } from "../../../../db/connection.js";
import { DEFAULT_SESSION_POLICY } from "../../../services/officers.js";
import { createServices } from "../../../services/create.js";
import { reportPageLocals } from "../../report/page.js";
import { runAtLowPriority } from "../../../workers.js";
import { basePath } from "../context.js";

/**
 * Worker thread: builds one consultation's public summary report and renders its page, through a
 * read-only connection of its own to the database file (public-page.ts says why). The same service
 * graph and the same template as the request loop's, so the page is the one it would render.
 */
export interface PublicPageJob {
  /** The database file. */
  path: string;
  slug: string;
  /** The app's clock when the page was asked for (the report says when it was generated). */
  now: string;
  /** The app's views folder and the plain values of its app.locals (the council's name...). */
  views: string;
  locals: Record<string, string | number | boolean | null>;
}
export type PublicPageReply = { ok: true; html: string } | { ok: false; message: string };

const job = workerData as PublicPageJob;
// A page can wait; the request loop cannot (see runAtLowPriority).
runAtLowPriority();
const reply = (r: PublicPageReply) => parentPort?.postMessage(r);

const db = openDatabase(job.path);
// Reading only: a statement that would write fails here instead of racing the server's writes.
db.pragma("query_only = ON");
try {
  const now = new Date(job.now);
  // The graph wants a secret for the two-factor keys; nothing here signs or verifies anything.
  const services = createServices(db, () => now, {
    sessionIdleMinutes: DEFAULT_SESSION_POLICY.idleMinutes,
    secret: "unused: the report worker signs nothing",
  });
  const row = services.consultations.find(job.slug);
  if (!row) throw new Error(`No consultation "${job.slug}"`);
  const built = services.report.current(row, "public");
  const html = await ejs.renderFile(
    join(job.views, "report", "report.ejs"),
    {
      // The functions of app.locals (server/app.ts) cannot be posted: the same ones are imported here.
      ...job.locals,
      ukDate,
      ukDateTime,
      ...reportPageLocals(built, "public", { backHref: basePath(row.slug) }),
    },
    { root: job.views },
  );
  reply({ ok: true, html });
} catch (err) {
  reply({ ok: false, message: String(err) });
} finally {
  db.close();
}
