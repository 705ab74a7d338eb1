import type { Request, Response } from "express";
import { rotateClientId } from "../../../middleware/client-id.js";
import { HttpError } from "../../../middleware/errors.js";
import {
  currentOfficer,
  SIGN_IN_PATH,
  safeNext,
  sessionCookieName,
  sessionCookieOptions,
  sessionToken,
  twoFactorCookieName,
} from "../../../middleware/officer-session.js";
import { GateBusyError } from "../../../services/concurrency-gate.js";
import type { Services } from "../../../services/index.js";
import type { Officer } from "../../../services/officers.js";
import { PENDING_MINUTES } from "../../../services/two-factor.js";
import { signInSchema } from "./schema.js";

interface FieldError {
  field: string;
  text: string;
}

/** The form keeps the email typed, never the password. */
function render(
  res: Response,
  status: number,
  email: string,
  errors: FieldError[],
  next: string,
  signedOut = false,
) {
  res.status(status).render("officer/sign-in", {
    title: "Sign in",
    email,
    errors,
    signedOut,
    action: next === "/officer" ? SIGN_IN_PATH : `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}`,
  });
}

export function showSignIn() {
  return (req: Request, res: Response) => {
    const next = safeNext(req.query.next);
    if (currentOfficer(res)) return res.redirect(303, next);
    render(res, 200, "", [], next, req.query["signed-out"] === "1");
  };
}

export function signIn(services: Services, secureCookies: boolean) {
  return async (req: Request, res: Response) => {
    const next = safeNext(req.query.next);
    const form = signInSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The sign-in form held unexpected fields");
    const email = form.data.email.trim();
    const { password } = form.data;

    const errors: FieldError[] = [];
    if (email === "") errors.push({ field: "email", text: "Enter your email address" });
    if (password === "") errors.push({ field: "password", text: "Enter your password" });
    if (errors.length > 0) return render(res, 400, email, errors, next);

    let officer: Awaited<ReturnType<typeof services.officers.verifyCredentials>>;
    try {
      officer = await services.officers.verifyCredentials(email, password);
    } catch (err) {
      if (!(err instanceof GateBusyError)) throw err;
      // Every core has been checking passwords for seconds: say so, rather than keep them waiting.
      res.set("Retry-After", "30");
      return res.status(503).render("officer/sign-in-busy", { title: "Sign-in is busy" });
    }
    if (!officer) {
      services.audit.record(null, "sign-in-failed", { email: email.slice(0, 320) });
      return render(
        res,
        401,
        email,
        [{ field: "email", text: "Enter a correct email address and password" }],
        next,
      );
    }

    if (services.twoFactor.isOn(officer.id)) {
      // Half signed in: no session until the code passes (two-factor/sign-in-code.ts).
      const pending = services.twoFactor.startSignIn(officer.id);
      res.cookie(twoFactorCookieName(secureCookies), pending, {
        ...sessionCookieOptions(secureCookies),
        maxAge: PENDING_MINUTES * 60_000,
      });
      return res.redirect(303, codePath(next));
    }
    startSession(services, req, res, officer, secureCookies);
    services.audit.record({ id: officer.id, email: officer.email }, "sign-in");
    res.redirect(303, next);
  };
}

/** Where the second step of a two-factor sign-in is, keeping where to go afterwards. */
export const codePath = (next: string) =>
  next === "/officer" ? CODE_PATH : `${CODE_PATH}?next=${encodeURIComponent(next)}`;
export const CODE_PATH = "/officer/sign-in/code";

/** The officer has proved who they are: a new session, and new CSRF tokens. */
export function startSession(
  services: Services,
  req: Request,
  res: Response,
  officer: Officer,
  secureCookies: boolean,
): void {
  const token = services.officers.signIn(officer, {
    previousToken: sessionToken(req, secureCookies),
    userAgent: req.get("user-agent"),
  });
  res.cookie(sessionCookieName(secureCookies), token, sessionCookieOptions(secureCookies));
  // New CSRF tokens from here on: a token seen before sign-in (in a shared browser, or fixed by
  // an attacker) is worth nothing after it. Tokens are bound to the client id, so a new id and a
  // new token cookie retire every older token.
  rotateClientId(res, secureCookies);
  (res.locals.rotateCsrfToken as () => string)();
}
