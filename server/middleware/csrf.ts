import { doubleCsrf } from "csrf-csrf";
import type { NextFunction, Request, Response } from "express";

/** The CSRF cookie, `__Host-` prefixed over HTTPS as the session cookie is. */
export const csrfCookieName = (secure: boolean) => (secure ? "__Host-sounding.csrf" : "sounding.csrf");

/** Token pairs already checked, kept so that a browser posting page after page costs no HMAC. */
const VERIFIED_HELD = 10_000;
/** Methods that change nothing, as csrf-csrf's default: they are never checked. */
const IGNORED = new Set(["GET", "HEAD", "OPTIONS"]);

const sessionOf = (req: Request) => String(req.res?.locals.clientId ?? "");
const tokenIn = (req: Request) =>
  (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined;

/**
 * CSRF protection on every POST (double-submit cookie, HMAC-bound to the browser's client id):
 * the token travels in a hidden `_csrf` field, so forms work without JavaScript.
 *
 * csrf-csrf checks a token by computing an HMAC-SHA256 of the client id and the cookie's random
 * value, on every post: about 3% of the server's CPU per answer post in the answer-posting
 * benchmark's profile. The result depends only on the client id, the cookie and the secret, so a
 * pair that passed once is remembered, and the same browser posting its next page with the same
 * token costs a map look-up. The posted token must still equal the cookie, every time; only pairs
 * that passed csrf-csrf's own check are held, at most VERIFIED_HELD of them.
 */
export function csrf(secret: string, secure: boolean) {
  const cookieName = csrfCookieName(secure);
  const verified = new Set<string>();
  /** The pair this request is checked on, when it posts a non-empty copy of its cookie's token. */
  const pairOf = (req: Request): string | undefined => {
    if (IGNORED.has(req.method)) return undefined;
    const cookie: unknown = (req.cookies as Record<string, unknown> | undefined)?.[cookieName];
    if (typeof cookie !== "string" || cookie === "" || tokenIn(req) !== cookie) return undefined;
    return `${sessionOf(req)}\n${cookie}`;
  };
  const lib = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: sessionOf,
    cookieName,
    cookieOptions: { sameSite: "lax", path: "/", secure, httpOnly: true },
    getCsrfTokenFromRequest: tokenIn,
    // csrf-csrf's own hook: a pair that has passed its check before is not checked again.
    skipCsrfProtection: (req: Request) => {
      const pair = pairOf(req);
      return pair !== undefined && verified.has(pair);
    },
  });

  const doubleCsrfProtection = (req: Request, res: Response, next: NextFunction): void => {
    lib.doubleCsrfProtection(req, res, (err?: unknown) => {
      const pair = err === undefined ? pairOf(req) : undefined;
      if (pair !== undefined && !verified.has(pair)) {
        if (verified.size >= VERIFIED_HELD) verified.clear();
        verified.add(pair);
      }
      next(err);
    });
  };
  return { ...lib, doubleCsrfProtection };
}
