import type { CookieOptions, NextFunction, Request, Response } from "express";
import type { Officer, OfficerRole, OfficerService } from "../services/officers.js";

export const SESSION_COOKIE = "sounding.session";

/**
 * Over HTTPS (NODE_ENV=production) the session cookie is named `__Host-sounding.session`: browsers
 * then keep it only if it is Secure, for path / and without a Domain, so a page on a sibling
 * subdomain cannot set or overwrite it. Browsers refuse `__Host-` cookies that are not Secure, and
 * development serves plain HTTP, so there it keeps the plain name.
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Set-Cookie#cookie_prefixes
 */
export const sessionCookieName = (secure: boolean) => (secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE);
export const SIGN_IN_PATH = "/officer/sign-in";

/**
 * The session cookie carries a random token only (the officer and their role live server-side).
 * No Expires: it ends with the browser, and the server ends it sooner on idle or absolute timeout.
 */
export const sessionCookieOptions = (secure: boolean): CookieOptions => ({
  httpOnly: true,
  sameSite: "lax",
  secure,
  path: "/",
});

/**
 * A sign-in half done (password right, two-factor code to come): its own cookie, so nothing that
 * reads the session cookie can mistake it for a signed-in officer. Prefixed as the session is.
 */
export const TWO_FACTOR_COOKIE = "sounding.2fa";
export const twoFactorCookieName = (secure: boolean) =>
  secure ? `__Host-${TWO_FACTOR_COOKIE}` : TWO_FACTOR_COOKIE;

const officers = new WeakMap<Response, Officer>();

/** The officer signed in on this request, if any. */
export function currentOfficer(res: Response): Officer | undefined {
  return officers.get(res);
}

export function sessionToken(req: Request, secure: boolean): string | undefined {
  const token: unknown = req.cookies?.[sessionCookieName(secure)];
  return typeof token === "string" && token !== "" ? token : undefined;
}

/**
 * Load the officer of the session cookie, if it is still live, into res.locals.officer (for the
 * header) and currentOfficer(res). A cookie for an ended session is cleared.
 */
export function officerSession(service: OfficerService, secure: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = sessionToken(req, secure);
    if (token) {
      const officer = service.resume(token);
      if (officer) {
        officers.set(res, officer);
        res.locals.officer = officer;
      } else res.clearCookie(sessionCookieName(secure), sessionCookieOptions(secure));
    }
    next();
  };
}

/** Only same-site officer paths may be returned to after sign-in, never another site. */
export function safeNext(raw: unknown): string {
  return typeof raw === "string" &&
    /^\/officer(?:[/?]|$)/.test(raw) &&
    !/[\\\s]/.test(raw) &&
    raw.length < 500
    ? raw
    : "/officer";
}

/**
 * Refuse anyone not signed in: a page request goes to sign-in (and back afterwards); anything else
 * gets 401. A signed-in officer without one of `roles` gets 403. Officer pages are never cached,
 * so the back button after signing out shows nothing.
 */
export function requireOfficer(roles?: readonly OfficerRole[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.set("Cache-Control", "no-store");
    const officer = currentOfficer(res);
    if (!officer) {
      if (req.method === "GET" || req.method === "HEAD") {
        res.redirect(303, `${SIGN_IN_PATH}?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
        return;
      }
      res.status(401).render("officer/not-signed-in", { title: "You need to sign in" });
      return;
    }
    if (roles && !roles.includes(officer.role)) {
      res.status(403).render("officer/no-access", { title: "You cannot open this page" });
      return;
    }
    next();
  };
}
