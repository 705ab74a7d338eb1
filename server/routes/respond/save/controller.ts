import type { Request, Response } from "express";
import { visiblePages } from "../../../../analysis/answers.js";
import { firstUnansweredPage } from "../../../../analysis/completeness.js";
import { HttpError } from "../../../middleware/errors.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import {
  basePath,
  draftInProgress,
  publicConsultationOr404,
  renderNotOpen,
  setDraftCookie,
} from "../context.js";
import { resumeFormSchema, saveFormSchema } from "./schema.js";

interface SaveOptions {
  secureCookies: boolean;
  publicUrl: string;
}

/** The page they were on, if it is one of theirs; else the first. */
function fromPage(
  consultation: ConsultationSummary,
  answers: Parameters<typeof visiblePages>[1],
  from: unknown,
) {
  const pages = visiblePages(consultation.definition, answers);
  return pages.find((p) => p.id === from) ?? pages[0];
}

/** GET /consultations/:slug/save: offer a link (and, with e-mail, to send it). */
export function showSave(services: Services) {
  return (req: Request, res: Response) => {
    const open = draftInProgress(services, req, res);
    if (!open) return;
    const page = fromPage(open.consultation, open.draft.answers, req.query.from);
    res.render("respond/save", {
      title: "Save your answers and come back later",
      consultation: open.consultation,
      backHref: `${open.base}/respond/${page?.id}`,
      from: page?.id,
      mailOffered: services.mail.enabled,
      values: { email: "" },
      errors: [],
    });
  };
}

/** POST /consultations/:slug/save: make the one-time link, show it once, and send it if asked. */
export function saveForLater(services: Services, opts: SaveOptions) {
  return (req: Request, res: Response) => {
    const open = draftInProgress(services, req, res);
    if (!open) return;
    const { consultation, draft, base } = open;
    const form = saveFormSchema.safeParse(req.body ?? {});
    const page = fromPage(
      consultation,
      draft.answers,
      (req.body as Record<string, unknown> | undefined)?.from,
    );
    const typed = typeof req.body?.email === "string" ? String(req.body.email) : "";
    if (!form.success) {
      const bad = form.error.issues.find((i) => i.path[0] === "email");
      if (!bad) throw new HttpError(400, "The form held fields this page does not ask for");
      return res.status(400).render("respond/save", {
        title: "Save your answers and come back later",
        consultation,
        backHref: `${base}/respond/${page?.id}`,
        from: page?.id,
        mailOffered: services.mail.enabled,
        values: { email: typed },
        errors: [{ field: "email", text: bad.message }],
      });
    }
    const email = services.mail.enabled && form.data.email ? form.data.email : null;
    const code = services.saveReturn.newCode(draft, email);
    const link = `${opts.publicUrl}${base}/resume?code=${code}`;
    if (email)
      services.mail.send({
        kind: "resume",
        responseId: draft.id,
        recipient: email,
        subject: `Your saved response: ${consultation.title}`,
        body: [
          `You saved your answers to "${consultation.title}" (${consultation.definition.council}).`,
          "",
          "To carry on where you left off, open this link:",
          link,
          "",
          `It works once, until the consultation closes at ${res.app.locals.ukDateTime(consultation.closesAt)}.`,
          "We will use this email address only to send you this link, and delete it with your unfinished response.",
          "If you did not ask for this, you can ignore this email.",
        ].join("\n"),
      });
    // Shown once, never stored: the response is not a redirect, so the link is on this page only.
    res.setHeader("Cache-Control", "no-store");
    res.render("respond/saved", {
      title: "Your answers have been saved",
      consultation,
      link,
      email,
      continueHref: `${base}/respond/${page?.id}`,
    });
  };
}

/** GET /consultations/:slug/resume?code=...: a button to carry on (a link scanner's GET uses nothing). */
export function showResume(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = publicConsultationOr404(services, req);
    if (consultation.status !== "open") return renderNotOpen(res, consultation);
    const code = typeof req.query.code === "string" ? req.query.code : "";
    if (!services.saveReturn.isCurrent(consultation, code))
      return res
        .status(404)
        .render("respond/resume-expired", { title: "This link has expired", consultation });
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.render("respond/resume", { title: "Continue your response", consultation, code });
  };
}

/** POST /consultations/:slug/resume: use the code, move the draft to this browser, go to the first unanswered page. */
export function resume(services: Services, opts: SaveOptions) {
  return (req: Request, res: Response) => {
    const consultation = publicConsultationOr404(services, req);
    if (consultation.status !== "open") return renderNotOpen(res, consultation);
    const form = resumeFormSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held fields this page does not ask for");
    const token = services.saveReturn.use(consultation, form.data.code);
    if (!token)
      return res
        .status(404)
        .render("respond/resume-expired", { title: "This link has expired", consultation });
    setDraftCookie(res, consultation.slug, token, opts.secureCookies);
    const draft = services.responses.find(consultation, token);
    const base = basePath(consultation.slug);
    const next = draft ? firstUnansweredPage(consultation.definition, draft.answers) : undefined;
    res.redirect(303, next ? `${base}/respond/${next}` : `${base}/check`);
  };
}
