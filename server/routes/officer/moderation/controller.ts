import type { Request, Response } from "express";
import { fromStored, occurrences } from "../../../../analysis/redaction-edit.js";
import { HttpError } from "../../../middleware/errors.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { type Decision, QUEUE_PAGE } from "../../../services/moderation.js";
import { consultationOr404 } from "../../respond/context.js";
import { actor, pageNumber } from "../comments/controller.js";
import { asList, editFormSchema, queueFormSchema } from "./schema.js";

const base = (slug: string) => `/officer/consultations/${slug}/moderation`;
const SHOWS: Record<Decision, string> = {
  pending: "Waiting for a decision",
  approved: "Approved",
  withheld: "Withheld",
};
const NOTICES: Record<string, string> = {
  approved: "Approved for publishing.",
  withheld: "Withheld: it will not be published.",
  pending: "Sent back to wait for a decision.",
  saved: "Redaction saved.",
  none: "No comment was ticked: tick the comments to approve, or approve all those shown.",
};

function questionOr404(services: Services, consultation: ConsultationSummary, questionId: string) {
  const item = services.moderation.itemOf(consultation, questionId);
  const question = services.moderation.questions(consultation).find((q) => q.id === questionId);
  if (item === undefined || !question) throw new HttpError(404, "No such question with comments");
  return { item, question };
}

/** The queue's buttons ("approve:12") and the decisions they record. */
const VERBS = { approve: "approved", withhold: "withheld", pending: "pending" } as const satisfies Record<
  string,
  Decision
>;

const showOf = (raw: unknown): Decision => (raw === "approved" || raw === "withheld" ? raw : "pending");

/** Every question with comments, with how many wait for a decision. */
export function showModeration(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    res.render("officer/moderation", {
      title: `Moderate comments: ${consultation.title}`,
      consultation,
      questions: services.moderation.questions(consultation),
      base: base(consultation.slug),
      backHref: `/officer/consultations/${consultation.slug}`,
    });
  };
}

/**
 * One question's queue: its comments newest first, 50 a page, each original beside its redacted
 * form. The page's comments are redacted (in a worker) the first time they are shown.
 */
export function showQueue(services: Services) {
  return async (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const { item, question } = questionOr404(services, consultation, String(req.params.question));
    const show = showOf(req.query.show);
    const page = pageNumber(req.query.page);
    if (show === "pending") await services.moderation.prepare(consultation, item, page * QUEUE_PAGE);
    const rows = services.moderation.page(consultation, item, show, (page - 1) * QUEUE_PAGE);
    const counts = services.moderation.counts(consultation, item);
    const notice = Object.keys(NOTICES).find((k) => req.query[k] !== undefined);
    res.render("officer/moderation-queue", {
      title: `${SHOWS[show]}: ${question.text}`,
      consultation,
      question,
      counts,
      rows,
      show,
      shows: SHOWS,
      page,
      pages: Math.max(1, Math.ceil(counts[show] / QUEUE_PAGE)),
      notice: notice ? NOTICES[notice] : undefined,
      action: `${base(consultation.slug)}/${question.id}`,
      backHref: base(consultation.slug),
    });
  };
}

/** Approve, withhold or send back comments, then back to the queue (post, redirect, get). */
export function decideQueue(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const { question } = questionOr404(services, consultation, String(req.params.question));
    const form = queueFormSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held unexpected fields");
    const { action, show } = form.data;
    const officer = actor(res);
    let ids: number[];
    let decision: Decision;
    if (action === "approve-selected") [ids, decision] = [asList(form.data.ids).map(Number), "approved"];
    else if (action === "approve-shown") [ids, decision] = [asList(form.data.shown).map(Number), "approved"];
    else {
      const [verb, id] = action.split(":") as [keyof typeof VERBS, string];
      [ids, decision] = [[Number(id)], VERBS[verb]];
    }
    const back = `${base(consultation.slug)}/${question.id}?show=${show}`;
    if (ids.length === 0) return res.redirect(303, `${back}&none=1`);
    services.moderation.decide(consultation, ids, decision, officer.id);
    res.redirect(303, `${back}&${decision}=${ids.length}`);
  };
}

function renderEdit(
  services: Services,
  req: Request,
  res: Response,
  status: number,
  typed: { keep: Set<number>; add: string } | null,
  errors: { field: string; text: string }[],
) {
  const consultation = consultationOr404(services, req);
  const { question } = questionOr404(services, consultation, String(req.params.question));
  const comment = services.moderation.find(consultation, Number(req.params.comment));
  if (!comment?.redactions) throw new HttpError(404, "No such comment, or it has not been redacted yet");
  const spans = fromStored(comment.redactions, comment.original).map((r, i) => ({
    index: i,
    text: comment.original.slice(r.start, r.end),
    kind: r.kind,
  }));
  res.status(status).render("officer/moderation-edit", {
    title: `${errors.length > 0 ? "Error: " : ""}Check the redaction of ${comment.reference}`,
    consultation,
    question,
    comment,
    spans,
    keep: typed?.keep ?? new Set(spans.map((s) => s.index)),
    add: typed?.add ?? "",
    errors,
    saved: req.query.saved !== undefined,
    action: `${base(consultation.slug)}/${question.id}/${comment.commentId}`,
    backHref: `${base(consultation.slug)}/${question.id}`,
  });
}

/** One comment: its original, its redacted form and each span removed, to keep or put back. */
export function showEdit(services: Services) {
  return (req: Request, res: Response) => renderEdit(services, req, res, 200, null, []);
}

/** Store the officer's redaction, and approve or withhold the comment, or keep it waiting. */
export function saveEdit(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const { question } = questionOr404(services, consultation, String(req.params.question));
    const commentId = Number(req.params.comment);
    const comment = services.moderation.find(consultation, commentId);
    if (!comment?.redactions) throw new HttpError(404, "No such comment, or it has not been redacted yet");
    const form = editFormSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held unexpected fields");
    const keep = new Set(asList(form.data.keep).map(Number));
    const add = form.data.add.trim();
    if (add !== "" && occurrences(comment.original, add).length === 0)
      return renderEdit(services, req, res, 400, { keep, add: form.data.add }, [
        { field: "add", text: "Enter words that appear in the comment, as they are written there" },
      ]);
    const decision: Decision =
      form.data.action === "approve" ? "approved" : form.data.action === "withhold" ? "withheld" : "pending";
    services.moderation.edit(consultation, commentId, keep, add, decision, actor(res).id);
    const back = `${base(consultation.slug)}/${question.id}`;
    res.redirect(
      303,
      decision === "pending" ? `${back}/${commentId}?saved=1` : `${back}?${decision}=1#queue`,
    );
  };
}
