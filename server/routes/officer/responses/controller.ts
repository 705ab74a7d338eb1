import type { Request, Response } from "express";
import { z } from "zod";
import { MARK_KINDS, type MarkKind } from "../../../../db/response-records.js";
import { HttpError } from "../../../middleware/errors.js";
import { currentOfficer } from "../../../middleware/officer-session.js";
import type { Services } from "../../../services/index.js";
import { summarySections } from "../../respond/check/view-model.js";
import { consultationOr404 } from "../../respond/context.js";

const findSchema = z.object({ reference: z.string().max(100).optional().catch(undefined) });
const withdrawSchema = z.strictObject({
  reason: z.string().max(5000).default(""),
  _csrf: z.string().optional(),
});

const base = (slug: string) => `/officer/consultations/${slug}/responses`;

/** Find a response by the reference its respondent quotes. */
export function findResponse(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const reference = findSchema.parse(req.query).reference?.trim() ?? "";
    const withdrawn = typeof req.query.withdrawn === "string" ? req.query.withdrawn.slice(0, 40) : undefined;
    if (reference !== "") {
      const found = services.records.find(consultation, reference);
      if (found)
        return res.redirect(303, `${base(consultation.slug)}/${encodeURIComponent(found.reference)}`);
    }
    res.status(reference === "" ? 200 : 404).render("officer/response-find", {
      title: reference === "" ? "Find a response" : "Error: Find a response",
      consultation,
      reference,
      withdrawn,
      errors:
        reference === ""
          ? []
          : [{ field: "reference", text: `No response to this consultation has the reference ${reference}` }],
    });
  };
}

function foundOr404(services: Services, req: Request) {
  const consultation = consultationOr404(services, req);
  const found = services.records.find(consultation, String(req.params.reference ?? ""));
  if (!found) throw new HttpError(404, "No response has that reference");
  return { consultation, found };
}

interface MarkForm {
  kind: string;
  reason: string;
  errors: { field: string; text: string }[];
}

function renderResponse(
  services: Services,
  req: Request,
  res: Response,
  status: number,
  form: MarkForm = { kind: "", reason: "", errors: [] },
) {
  const { consultation, found } = foundOr404(services, req);
  const sections = summarySections(consultation.definition, found.answers, "", {
    removedText: "Removed under the retention policy (the words only: its themes still count)",
  }).map((s) => ({
    ...s,
    groups: s.groups.map((g) => ({ ...g, rows: g.rows.map(({ key, value }) => ({ key, value })) })),
  }));
  const role = currentOfficer(res)?.role;
  const notice =
    req.query.marked !== undefined ? "marked" : req.query.restored !== undefined ? "restored" : "";
  res.status(status).render("officer/response", {
    // The layout puts "Error: " in front of the title when there are errors.
    title: `Response ${found.reference}`,
    consultation,
    response: found,
    sections,
    canWithdraw: role === "admin" || role === "editor",
    form,
    errors: form.errors,
    notice,
  });
}

/** The response as the respondent gave it, page by page, as their check-answers page showed it. */
export function showResponse(services: Services) {
  return (req: Request, res: Response) => renderResponse(services, req, res, 200);
}

const markSchema = z.strictObject({
  kind: z.string().max(20).default(""),
  reason: z.string().max(5000).default(""),
  _csrf: z.string().optional(),
});

function actor(res: Response) {
  const officer = currentOfficer(res);
  if (!officer) throw new HttpError(401, "Sign in first");
  return { id: officer.id, email: officer.email };
}

/** Set a response aside as spam or a duplicate, with a reason (post, redirect, get). */
export function markResponse(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, found } = foundOr404(services, req);
    const form = markSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held unexpected fields");
    const { kind } = form.data;
    const reason = form.data.reason.trim();
    const errors: MarkForm["errors"] = [];
    if (!(MARK_KINDS as readonly string[]).includes(kind))
      errors.push({ field: "kind", text: "Select whether the response is spam or a duplicate" });
    if (reason === "")
      errors.push({
        field: "reason",
        text: "Enter why it is being set aside, for example: the same as RSP-1234",
      });
    else if (reason.length > 1000)
      errors.push({ field: "reason", text: "Reason must be 1000 characters or fewer" });
    if (errors.length > 0)
      return renderResponse(services, req, res, 400, { kind, reason: form.data.reason, errors });
    services.records.mark(consultation, found.reference, kind as MarkKind, reason, actor(res));
    res.redirect(303, `${base(consultation.slug)}/${encodeURIComponent(found.reference)}?marked=1`);
  };
}

const restoreSchema = z.strictObject({ _csrf: z.string().optional() });

/** Count a set-aside response again; from the list of them, back to the list. */
export function restoreResponse(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, found } = foundOr404(services, req);
    if (!restoreSchema.safeParse(req.body ?? {}).success)
      throw new HttpError(400, "The form held unexpected fields");
    services.records.restore(consultation, found.reference, actor(res));
    const reference = encodeURIComponent(found.reference);
    res.redirect(
      303,
      req.query.from === "set-aside"
        ? `${base(consultation.slug)}/set-aside?restored=${reference}`
        : `${base(consultation.slug)}/${reference}?restored=1`,
    );
  };
}

const pageSchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

/** Every response set aside as spam or a duplicate, with why, who and when, and Restore. */
export function showSetAside(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const { page } = pageSchema.parse({ page: req.query.page ?? 1 });
    const list = services.records.setAside(consultation, page);
    const role = currentOfficer(res)?.role;
    const restored = typeof req.query.restored === "string" ? req.query.restored.slice(0, 40) : undefined;
    res.render("officer/response-set-aside", {
      title: "Responses set aside",
      consultation,
      ...list,
      page,
      canRestore: role === "admin" || role === "editor",
      restored,
    });
  };
}

export function showWithdraw(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, found } = foundOr404(services, req);
    res.render("officer/response-withdraw", {
      title: `Withdraw ${found.reference}`,
      consultation,
      response: found,
      errors: [],
      reason: "",
    });
  };
}

/** Withdraw at the respondent's request: the response and its answers are deleted; why is kept. */
export function withdrawResponse(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, found } = foundOr404(services, req);
    const form = withdrawSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The form held unexpected fields");
    const reason = form.data.reason.trim();
    const error =
      reason === ""
        ? "Enter why the response is being withdrawn, for example: the respondent asked by email on 3 May"
        : reason.length > 1000
          ? "Reason must be 1000 characters or fewer"
          : undefined;
    if (error)
      return res.status(400).render("officer/response-withdraw", {
        title: `Error: Withdraw ${found.reference}`,
        consultation,
        response: found,
        errors: [{ field: "reason", text: error }],
        reason: form.data.reason,
      });
    const officer = currentOfficer(res);
    if (!officer) throw new HttpError(401, "Sign in first");
    services.records.withdraw(consultation, found.reference, reason, {
      id: officer.id,
      email: officer.email,
    });
    res.redirect(303, `${base(consultation.slug)}?withdrawn=${encodeURIComponent(found.reference)}`);
  };
}
