import type { NextFunction, Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import {
  currentOfficer,
  safeNext,
  sessionCookieOptions,
  twoFactorCookieName,
} from "../../../middleware/officer-session.js";
import type { Services } from "../../../services/index.js";
import { codePath, startSession } from "../sign-in/controller.js";
import { codeSchema, type FieldError } from "./schema.js";

const pendingToken = (req: Request, secure: boolean): string | undefined => {
  const token: unknown = req.cookies?.[twoFactorCookieName(secure)];
  return typeof token === "string" && token !== "" ? token : undefined;
};

/** The code form. Nothing typed is shown again: a code is worth nothing once tried. */
function render(res: Response, status: number, next: string, errors: FieldError[]) {
  res.status(status).render("officer/sign-in-code", {
    title: "Enter your sign-in code",
    errors,
    action: codePath(next),
  });
}

/** Back to the password, saying why (a sign-in timed out, or too many wrong codes). */
function startAgain(res: Response, secure: boolean, next: string, text: string) {
  res.clearCookie(twoFactorCookieName(secure), sessionCookieOptions(secure));
  res.status(401).render("officer/sign-in", {
    title: "Sign in",
    email: "",
    errors: [{ field: "email", text }],
    signedOut: false,
    action: next === "/officer" ? "/officer/sign-in" : `/officer/sign-in?next=${encodeURIComponent(next)}`,
  });
}

/**
 * Before the sign-in limits: name the account the half-done sign-in is for, so that wrong codes
 * count against that account as wrong passwords do (sign-in/rate-limit.ts reads it).
 */
export function accountOfPendingSignIn(services: Services, secure: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = pendingToken(req, secure);
    const officerId = token ? services.twoFactor.pendingOfficer(token) : undefined;
    const officer = officerId === undefined ? undefined : services.officers.find(officerId);
    if (officer) res.locals.signInAccount = officer.email.toLowerCase();
    next();
  };
}

export function showCode(services: Services, secure: boolean) {
  return (req: Request, res: Response) => {
    const next = safeNext(req.query.next);
    if (currentOfficer(res)) return res.redirect(303, next);
    const token = pendingToken(req, secure);
    if (!token || services.twoFactor.pendingOfficer(token) === undefined)
      return res.redirect(
        303,
        next === "/officer" ? "/officer/sign-in" : `/officer/sign-in?next=${encodeURIComponent(next)}`,
      );
    render(res, 200, next, []);
  };
}

export function enterCode(services: Services, secure: boolean) {
  return (req: Request, res: Response) => {
    const next = safeNext(req.query.next);
    const form = codeSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The sign-in form held unexpected fields");
    const token = pendingToken(req, secure);
    const expired = "Your sign-in timed out: enter your email address and password again";
    if (!token) return startAgain(res, secure, next, expired);
    if (form.data.code.trim() === "")
      return render(res, 400, next, [
        { field: "code", text: "Enter the 6-digit code from your authenticator app" },
      ]);
    const outcome = services.twoFactor.finishSignIn(token, form.data.code);
    if (outcome === "gone") return startAgain(res, secure, next, expired);
    if (outcome === "too-many")
      return startAgain(
        res,
        secure,
        next,
        "Too many wrong codes: enter your email address and password again",
      );
    if (outcome === "wrong")
      return render(res, 401, next, [
        {
          field: "code",
          text: "Enter the code your authenticator app shows now, or one of your recovery codes",
        },
      ]);
    const officer = services.officers.find(outcome.officerId);
    if (!officer || officer.disabled) return startAgain(res, secure, next, expired);
    res.clearCookie(twoFactorCookieName(secure), sessionCookieOptions(secure));
    startSession(services, req, res, officer, secure);
    services.audit.record({ id: officer.id, email: officer.email }, "sign-in", {
      detail: `With two-factor (a ${outcome.how})`,
    });
    res.redirect(303, next);
  };
}
