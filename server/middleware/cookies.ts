import type { NextFunction, Request, Response } from "express";

/**
 * Every cookie Sounding sets is a plain string. cookie-parser turns a value starting "j:" into
 * whatever JSON it holds, so a browser sending `sounding.csrf=j:{}` handed csrf-csrf an object and
 * made every form page fail with a 500 (issue 8). Anything that is not a string is dropped here, as
 * if it had never been sent: the page then issues a fresh cookie as for a first visit.
 */
export function stringCookiesOnly(req: Request, _res: Response, next: NextFunction): void {
  for (const jar of [req.cookies as Record<string, unknown>, req.signedCookies as Record<string, unknown>]) {
    if (!jar) continue;
    for (const name of Object.keys(jar)) if (typeof jar[name] !== "string") delete jar[name];
  }
  next();
}
