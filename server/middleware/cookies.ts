import cookieParser from "cookie-parser";
import type { NextFunction, Request, Response } from "express";

/** Signed cookie values already checked, kept so that a returning browser costs no HMAC. */
const VERIFIED_HELD = 10_000;

/**
 * Reads the request's cookies: plain ones into req.cookies, signed ones (checked against the
 * secret) into req.signedCookies, as cookie-parser does, with two differences.
 *
 * - Every cookie Sounding sets is a plain string. cookie-parser turns a value starting "j:" into
 *   whatever JSON it holds, so a browser sending `sounding.csrf=j:{}` handed csrf-csrf an object
 *   and made every form page fail with a 500 (issue 8). Anything that is not a string is dropped,
 *   as if it had never been sent: the page then issues a fresh cookie as for a first visit.
 * - Checking a signature is an HMAC-SHA256 on every request of every browser. A value that has been
 *   checked once is remembered (the answer depends only on the value and the secret), so a browser
 *   that comes back with the same signed cookie costs a map look-up. Only values that passed are
 *   held, at most VERIFIED_HELD of them.
 */
export function readCookies(secret: string) {
  const parse = cookieParser();
  const verified = new Map<string, string>();
  const unsign = (value: string): string | false => {
    const held = verified.get(value);
    if (held !== undefined) return held;
    const plain = cookieParser.signedCookie(value, secret);
    if (typeof plain === "string") {
      if (verified.size >= VERIFIED_HELD) verified.clear();
      verified.set(value, plain);
    }
    return plain;
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    parse(req, res, () => {
      // res.cookie(..., { signed: true }) signs with req.secret.
      req.secret = secret;
      const cookies = req.cookies as Record<string, unknown>;
      const signed: Record<string, string> = Object.create(null);
      for (const name of Object.keys(cookies)) {
        const value = cookies[name];
        if (typeof value !== "string") {
          delete cookies[name];
          continue;
        }
        if (!value.startsWith("s:")) continue;
        delete cookies[name];
        const plain = unsign(value);
        if (plain !== false) signed[name] = plain;
      }
      req.signedCookies = signed;
      next();
    });
  };
}
