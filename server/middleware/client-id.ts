import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

export const CLIENT_COOKIE = "sounding.client";

/**
 * A random, signed, http-only identifier for each browser. CSRF tokens are bound to it, so a token
 * taken from one browser is no use in another. It identifies nobody and holds no answers.
 */
export function clientId(secure: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const signed: unknown = req.signedCookies?.[CLIENT_COOKIE];
    let id = typeof signed === "string" && /^[A-Za-z0-9_-]{22}$/.test(signed) ? signed : undefined;
    if (!id) {
      id = randomBytes(16).toString("base64url");
      res.cookie(CLIENT_COOKIE, id, { httpOnly: true, sameSite: "lax", secure, signed: true, path: "/" });
    }
    res.locals.clientId = id;
    next();
  };
}
