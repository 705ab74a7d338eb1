import { createRequire } from "node:module";
import type { Express, Request, Response } from "express";

/**
 * The router's own key for the route a request matched (router/lib/symbols.js, the copy express
 * uses), if it can be found; without it the request is shaped all the same, less one property.
 */
function routerMatchedRoute(): symbol | undefined {
  try {
    const symbols = createRequire(import.meta.url)("router/lib/symbols.js") as { matchedRoute?: unknown };
    return typeof symbols.matchedRoute === "symbol" ? symbols.matchedRoute : undefined;
  } catch {
    return undefined;
  }
}
const MATCHED_ROUTE = routerMatchedRoute();

/**
 * Every property express, the router and the app's middleware add to a request, in the order they
 * add them: res (express), next, baseUrl, originalUrl, _parsedUrl, the matched route and params
 * (the router), body (body-parser), secret, cookies and signedCookies (readCookies), csrfToken
 * (csrf-csrf), route (the router, on a matched route) and rateLimit (express-rate-limit).
 */
export const REQUEST_PROPERTIES: readonly (string | symbol)[] = [
  "res",
  "next",
  "baseUrl",
  "originalUrl",
  "_parsedUrl",
  ...(MATCHED_ROUTE ? [MATCHED_ROUTE] : []),
  "params",
  "body",
  "secret",
  "cookies",
  "signedCookies",
  "csrfToken",
  "route",
  "rateLimit",
];
/**
 * And to a response: locals (express), statusCode and statusMessage (express's res.status, Node's
 * writeHead). Node's ServerResponse keeps their defaults on its prototype (200, undefined); they
 * are set to those same values here.
 */
export const RESPONSE_PROPERTIES: readonly string[] = ["locals", "statusCode", "statusMessage"];

/**
 * Give every request and response, before express sees them, each property that express, the
 * router and the middleware add to them later, empty, so that their shape no longer changes on the
 * way through.
 *
 * Why: V8 gives an object a new hidden class (map) whenever a property is added. Once express has
 * changed a request's prototype, each property the router then added (a symbol among them, stored
 * by key) gave the request a map of its own, made afresh for every request: every piece of code
 * that touches requests (the router's next(), express's response methods, our middleware) saw a new
 * map each time, missed V8's property caches and fell back to its slow lookups. That was a quarter
 * of the server's CPU per answer post in perf's profile (LoadIC_Miss, StoreIC_Miss, new maps). With
 * the properties added first, in one fixed order, every request has the same map from start to end
 * and later steps only assign them. Each is left undefined, which is what every reader (express,
 * the router, body-parser, cookie-parser) takes as "not set yet".
 * tests/http/request-shape.test.ts fails when a step adds a property not listed here.
 */
type Handle = (req: Request, res: Response, next?: unknown) => void;

export function shapeRequests(app: Express): void {
  // express calls app.handle(req, res) for every request (app.listen and supertest alike); it is
  // not in express's type declarations.
  const target = app as unknown as { handle: Handle };
  const handle = target.handle.bind(app);
  target.handle = (req, res, next) => {
    // One named store each, in REQUEST_PROPERTIES' order, rather than a loop over the list: stores
    // by a varying computed key take V8's generic path, where each request's map was being made.
    const r = req as unknown as Record<string | symbol, unknown>;
    r.res = undefined;
    r.next = undefined;
    r.baseUrl = undefined;
    r.originalUrl = undefined;
    r._parsedUrl = undefined;
    if (MATCHED_ROUTE) r[MATCHED_ROUTE] = undefined;
    r.params = undefined;
    r.body = undefined;
    r.secret = undefined;
    r.cookies = undefined;
    r.signedCookies = undefined;
    r.csrfToken = undefined;
    r.route = undefined;
    r.rateLimit = undefined;
    const s = res as unknown as Record<string, unknown>;
    s.locals = undefined;
    s.statusCode = 200;
    s.statusMessage = undefined;
    handle(req, res, next);
  };
}
