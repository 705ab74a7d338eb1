import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

export const CLIENT_COOKIE = "sounding.client";

/** `__Host-` prefixed over HTTPS, as the session cookie is (see sessionCookieName). */
export const clientCookieName = (secure: boolean) => (secure ? `__Host-${CLIENT_COOKIE}` : CLIENT_COOKIE);

const newClientId = (res: Response, secure: boolean): string => {
  const id = randomBytes(16).toString("base64url");
  res.cookie(clientCookieName(secure), id, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    signed: true,
    path: "/",
  });
  res.locals.clientId = id;
  return id;
};

/** Give the browser a new client id (at sign-in): every CSRF token bound to the old one is void. */
export function rotateClientId(res: Response, secure: boolean): void {
  newClientId(res, secure);
}

/**
 * A random, signed, http-only identifier for each browser. CSRF tokens are bound to it, so a token
 * taken from one browser is no use in another. It identifies nobody and holds no answers.
 */
export function clientId(secure: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const signed: unknown = req.signedCookies?.[clientCookieName(secure)];
    if (typeof signed === "string" && /^[A-Za-z0-9_-]{22}$/.test(signed)) res.locals.clientId = signed;
    else newClientId(res, secure);
    next();
  };
}
