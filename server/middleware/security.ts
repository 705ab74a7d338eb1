import type { NextFunction, Request, RequestHandler, Response } from "express";
import helmet from "helmet";

/**
 * helmet with a strict Content Security Policy: scripts and styles only from our own origin, no
 * inline script or style, no framing, forms post only to ourselves.
 */
export function helmetMiddleware(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * The headers helmet sets, asked of helmet once, at start-up, against a stand-in response.
 *
 * Why: helmet runs a chain of a dozen middlewares on every request, each setting one header, and
 * every header it sets is the same on every response (the policy above has no per-request part,
 * such as a nonce). Setting the list helmet produced costs the request only the setHeader calls.
 * Should helmet ever want the request (a nonce, a per-request value), this throws at start-up
 * rather than send a wrong header.
 */
export function helmetHeaders(middleware: RequestHandler = helmetMiddleware()): {
  set: [string, string][];
  removed: string[];
} {
  const headers: [string, string][] = [];
  const removed: string[] = [];
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers.push([name, String(value)]);
      return res;
    },
    removeHeader: (name: string) => removed.push(name),
  };
  const req = new Proxy(
    {},
    {
      get: (_t, key) => {
        throw new Error(`helmet read the request (${String(key)}): its headers cannot be computed once`);
      },
    },
  );
  let nextCalled = false;
  middleware(req as Request, res as unknown as Response, (err?: unknown) => {
    if (err !== undefined) throw err;
    nextCalled = true;
  });
  if (!nextCalled) throw new Error("helmet did not finish at once: its headers cannot be computed once");
  return { set: headers, removed };
}

/** Security headers on every response: those helmet computes for the policy above, set as a list. */
export function securityHeaders(): RequestHandler {
  const { set, removed } = helmetHeaders();
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
