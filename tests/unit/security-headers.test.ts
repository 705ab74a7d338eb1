import express, { type RequestHandler } from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { helmetHeaders, helmetMiddleware, securityHeaders } from "../../server/middleware/security.js";

/** The headers a tiny app with this middleware sends, without the ones every Express response has. */
async function headersWith(middleware: RequestHandler): Promise<Record<string, unknown>> {
  const app = express();
  app.use(middleware);
  app.get("/", (_req, res) => {
    res.type("text").send("ok");
  });
  const res = await request(app).get("/").expect(200);
  const {
    date: _d,
    connection: _c,
    etag: _e,
    "content-length": _l,
    "content-type": _t,
    ...rest
  } = res.headers;
  return rest;
}

describe("security headers computed once", () => {
  it("are exactly the headers helmet sets when it runs on the request", async () => {
    const once = await headersWith(securityHeaders());
    const helmetItself = await headersWith(helmetMiddleware());
    expect(once).toEqual(helmetItself);
    expect(once["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(once["x-powered-by"]).toBeUndefined();
  });

  it("refuse at start-up a helmet that needs the request (a nonce), rather than send a stale header", () => {
    const perRequest: RequestHandler = (req, res, next) => {
      res.setHeader("Content-Security-Policy", `script-src 'nonce-${String(req.headers["x-nonce"])}'`);
      next();
    };
    expect(() => helmetHeaders(perRequest)).toThrow(/read the request/);
    const unfinished: RequestHandler = () => undefined;
    expect(() => helmetHeaders(unfinished)).toThrow(/did not finish/);
  });
});
