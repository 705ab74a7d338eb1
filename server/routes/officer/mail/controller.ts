import type { Request, Response } from "express";
import { z } from "zod";
import { HttpError } from "../../../middleware/errors.js";
import { currentOfficer } from "../../../middleware/officer-session.js";
import type { Services } from "../../../services/index.js";
import { ABANDONED_KEPT_DAYS, MAX_ATTEMPTS } from "../../../services/mail.js";

const emptySchema = z.strictObject({ _csrf: z.string().optional() });

const DONE: Record<string, string> = {
  retried: "The message is back in the queue and is being sent now.",
  discarded: "The message has been deleted, with its address.",
};

/**
 * E-mail the queue gave up on (a resident's save-and-return link or receipt that failed
 * MAX_ATTEMPTS times): listed for admins with the address masked, to retry or delete.
 */
export function showFailedMail(services: Services) {
  return (req: Request, res: Response) => {
    const done = typeof req.query.done === "string" ? DONE[req.query.done] : undefined;
    res.render("officer/mail", {
      title: "E-mail that could not be sent",
      messages: services.mail.abandoned(),
      enabled: services.mail.enabled,
      maxAttempts: MAX_ATTEMPTS,
      keptDays: ABANDONED_KEPT_DAYS,
      done,
    });
  };
}

function act(services: Services, what: "retry" | "discard") {
  return (req: Request, res: Response) => {
    if (!emptySchema.safeParse(req.body ?? {}).success)
      throw new HttpError(400, "The form held unexpected fields");
    const officer = currentOfficer(res);
    if (!officer) throw new HttpError(401, "Sign in first");
    const id = Number(req.params.id);
    const actor = { id: officer.id, email: officer.email };
    const ok =
      Number.isSafeInteger(id) &&
      (what === "retry" ? services.mail.retry(id, actor) : services.mail.discard(id, actor));
    // Already retried or deleted (two officers, or a second click): say so rather than fail.
    if (!ok) throw new HttpError(404, "That message is no longer waiting: it was retried or deleted");
    res.redirect(303, `/officer/mail?done=${what === "retry" ? "retried" : "discarded"}`);
  };
}

export const retryFailedMail = (services: Services) => act(services, "retry");
export const discardFailedMail = (services: Services) => act(services, "discard");
