import type { Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { consultationOr404 } from "../../respond/context.js";
import { about, actorOf } from "../actor.js";
import { checkEntry, type FieldError, weDidFormSchema } from "./schema.js";

interface Values {
  id: string;
  weAsked: string;
  youSaid: string;
  weDid: string;
}

const EMPTY: Values = { id: "", weAsked: "", youSaid: "", weDid: "" };
const NOTICES: Record<string, string> = {
  saved: "Entry saved.",
  deleted: "Entry deleted.",
  moved: "Entry moved.",
  published: "Entry published.",
  unpublished: "Entry taken back to a draft: it is no longer public.",
};
const pagePath = (slug: string) => `/officer/consultations/${slug}/we-did`;

function render(
  res: Response,
  services: Services,
  consultation: ConsultationSummary,
  status: number,
  values: Values,
  errors: FieldError[],
  notice?: string,
) {
  res.status(status).render("officer/we-did", {
    title: `We asked, you said, we did: ${consultation.title}`,
    consultation,
    entries: services.report.entries(consultation),
    values,
    errors,
    notice,
    backHref: `/officer/consultations/${consultation.slug}/report`,
  });
}

function entryId(raw: unknown): number | null {
  return typeof raw === "string" && /^\d{1,12}$/.test(raw) ? Number(raw) : null;
}

/** The entries, and the form to add one (or, with ?edit=<id>, to change one, or ?delete=<id> to confirm a deletion). */
export function showWeDid(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    if (req.query.delete !== undefined) {
      const id = entryId(req.query.delete);
      const entry = id === null ? undefined : services.report.entry(consultation, id);
      if (!entry) throw new HttpError(404, "No such entry");
      res.render("officer/we-did-delete", {
        title: `Delete this entry? ${consultation.title}`,
        consultation,
        entry,
        backHref: `${pagePath(consultation.slug)}#entry-${entry.id}`,
      });
      return;
    }
    let values = EMPTY;
    if (req.query.edit !== undefined) {
      const id = entryId(req.query.edit);
      const entry = id === null ? undefined : services.report.entry(consultation, id);
      if (!entry) throw new HttpError(404, "No such entry");
      values = { id: String(entry.id), weAsked: entry.weAsked, youSaid: entry.youSaid, weDid: entry.weDid };
    }
    const notice = Object.keys(NOTICES).find((k) => req.query[k] !== undefined);
    render(res, services, consultation, 200, values, [], notice ? NOTICES[notice] : undefined);
  };
}

/** Save, delete or move an entry, then back to the list (post, redirect, get). */
export function saveWeDid(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const form = weDidFormSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held unexpected fields");
    const { action } = form.data;
    const id = form.data.id === "" ? null : Number(form.data.id);
    const back = pagePath(consultation.slug);
    // Which entry changed and how, never its words (the page itself shows those).
    const audit = (entry: number, how: string) =>
      services.audit.record(actorOf(res), "we-did-saved", {
        ...about(consultation),
        subject: `Entry ${entry}`,
        detail: how,
      });

    if (action === "delete") {
      if (id === null) throw new HttpError(400, "No entry given");
      if (!services.report.entry(consultation, id)) throw new HttpError(404, "No such entry");
      // Deleting cannot be undone: only the confirmation page's "Yes, delete it" deletes.
      if (form.data.confirm !== "yes") {
        res.redirect(303, form.data.confirm === "no" ? `${back}#entry-${id}` : `${back}?delete=${id}`);
        return;
      }
      services.report.removeEntry(consultation, id);
      audit(id, "Deleted");
      res.redirect(303, `${back}?deleted=1`);
      return;
    }
    if (action === "publish" || action === "unpublish") {
      if (id === null) throw new HttpError(400, "No entry given");
      if (!services.report.publishEntry(consultation, id, action === "publish"))
        throw new HttpError(404, "No such entry");
      audit(id, action === "publish" ? "Published" : "Taken back to a draft");
      res.redirect(303, `${back}?${action}ed=1#entry-${id}`);
      return;
    }
    if (action === "up" || action === "down") {
      if (id === null) throw new HttpError(400, "No entry given");
      if (!services.report.moveEntry(consultation, id, action) && !services.report.entry(consultation, id))
        throw new HttpError(404, "No such entry");
      audit(id, action === "up" ? "Moved up" : "Moved down");
      res.redirect(303, `${back}?moved=1#entry-${id}`);
      return;
    }

    const values = {
      id: form.data.id,
      weAsked: form.data.weAsked,
      youSaid: form.data.youSaid,
      weDid: form.data.weDid,
    };
    const { fields, errors } = checkEntry(form.data);
    if (!fields) return render(res, services, consultation, 400, values, errors);
    if (id !== null) {
      if (!services.report.updateEntry(consultation, id, fields)) throw new HttpError(404, "No such entry");
      audit(id, "Changed");
      res.redirect(303, `${back}?saved=1#entry-${id}`);
      return;
    }
    const entry = services.report.addEntry(consultation, fields);
    audit(entry.id, "Added");
    res.redirect(303, `${back}?saved=1#entry-${entry.id}`);
  };
}
