import type { NextFunction, Request, Response } from "express";

/**
 * Every property the app's middleware adds to a request, in the order they are added: body
 * (body-parser), secret, cookies and signedCookies (readCookies), csrfToken (csrf-csrf), route (the
 * router, on a matched route) and rateLimit (express-rate-limit).
 */
export const REQUEST_PROPERTIES = [
  "body",
  "secret",
  "cookies",
  "signedCookies",
  "csrfToken",
  "route",
  "rateLimit",
] as const;

/**
 * The first middleware: gives the request every property later ones add, empty, so its shape no
 * longer changes on the way through.
 *
 * Why: V8 gives an object a new hidden class each time a property is added to it. Each middleware
 * that added one made the request a different class at every later step, so the code that every
 * step shares (the router's next(), express's response methods, our middleware) saw a dozen classes
 * of request, went megamorphic and missed V8's property caches on most reads and writes: a quarter
 * of the server's CPU per answer post in perf's profile was those misses. With the properties
 * added at once, at the start, later middleware only assigns them. Each is left undefined, which is
 * what every reader (body-parser, cookie-parser, the router) takes as "not there yet".
 * tests/http/request-shape.test.ts fails when a middleware adds a property not listed here.
 */
export function requestShape(req: Request, _res: Response, next: NextFunction): void {
  const r = req as unknown as Record<(typeof REQUEST_PROPERTIES)[number], unknown>;
  r.body = undefined;
  r.secret = undefined;
  r.cookies = undefined;
  r.signedCookies = undefined;
  r.csrfToken = undefined;
  r.route = undefined;
  r.rateLimit = undefined;
  next();
}
