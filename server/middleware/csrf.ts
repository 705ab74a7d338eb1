import { doubleCsrf } from "csrf-csrf";
import type { Request } from "express";

/** The CSRF cookie, `__Host-` prefixed over HTTPS as the session cookie is. */
export const csrfCookieName = (secure: boolean) => (secure ? "__Host-sounding.csrf" : "sounding.csrf");

/**
 * CSRF protection on every POST (double-submit cookie, HMAC-bound to the browser's client id):
 * the token travels in a hidden `_csrf` field, so forms work without JavaScript.
 */
export function csrf(secret: string, secure: boolean) {
  return doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req: Request) => String(req.res?.locals.clientId ?? ""),
    cookieName: csrfCookieName(secure),
    cookieOptions: { sameSite: "lax", path: "/", secure, httpOnly: true },
    getCsrfTokenFromRequest: (req: Request) =>
      (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
  });
}
