import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { REQUEST_PROPERTIES, RESPONSE_PROPERTIES } from "../../server/middleware/request-shape.js";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import { Respondent } from "../support/respondent.js";

/**
 * server/middleware/request-shape.ts gives each request and response, before express sees them,
 * every property express, the router and the middleware add later, so that their hidden class stays
 * the same on the way through. A property added by any later step shows up after that block in the
 * object's own keys (they keep the order they were added in): this fails when a step adds one the
 * lists do not hold.
 */
function addedAfter(object: object, block: readonly (string | symbol)[], into: Set<string>) {
  // Own keys come strings first, then symbols, each in the order they were added.
  for (const [keys, own] of [
    [Object.getOwnPropertyNames(object), block.filter((k) => typeof k === "string")],
    [Object.getOwnPropertySymbols(object), block.filter((k) => typeof k === "symbol")],
  ] as const) {
    if (own.length === 0) continue;
    const start = keys.indexOf(own[0] as never);
    if (start < 0) {
      into.add(`(the shape was not set: ${String(own[0])})`);
      continue;
    }
    const seen = keys
      .slice(start, start + own.length)
      .map(String)
      .join(", ");
    if (seen !== own.map(String).join(", ")) into.add(`(block out of order: ${seen})`);
    // Node's own count of a stream's listeners, added when the body is read: setting it early
    // would make Node's count wrong, so it stays Node's.
    for (const key of keys.slice(start + own.length)) if (key !== "_eventsCount") into.add(String(key));
  }
}

function watched(t: TestApp): { app: TestApp; added: () => Set<string> } {
  const added = new Set<string>();
  const outer = express();
  outer.use((req, res, next) => {
    res.on("finish", () => {
      addedAfter(req, REQUEST_PROPERTIES, added);
      addedAfter(res, RESPONSE_PROPERTIES, added);
    });
    next();
  });
  outer.use(t.app);
  return { app: { ...t, app: outer as unknown as TestApp["app"] }, added: () => added };
}

describe("a request's shape is set once, before express sees it", () => {
  it("knows the router's key for the matched route", () => {
    expect(REQUEST_PROPERTIES.some((k) => typeof k === "symbol")).toBe(true);
  });

  it("a respondent's journey adds no property to the request or response after it", async () => {
    const t = buildTestApp();
    const { app, added } = watched(t);
    const open = t.services.consultations.hub().open[0];
    if (!open) throw new Error("no open consultation");
    const slug = open.slug;
    await request(app.app).get("/").expect(200);
    const r = new Respondent(app, slug);
    expect((await r.start()).status).toBe(303);
    const page = open.definition.pages[0]?.id ?? "";
    // A page posted with errors (400), and one the router finds nothing for (404).
    const form = await r.agent.get(`/consultations/${slug}/respond/${page}`);
    await r.agent
      .post(`/consultations/${slug}/respond/${page}`)
      .type("form")
      .send({ _csrf: csrfFrom(form.text) });
    await r.agent.get("/no-such-page").expect(404);
    expect([...added()]).toEqual([]);
  });

  it("an officer's sign-in adds none either", async () => {
    const t = buildTestApp();
    const { app, added } = watched(t);
    const agent = request.agent(app.app);
    const form = await agent.get("/officer/sign-in").expect(200);
    await agent
      .post("/officer/sign-in")
      .type("form")
      .send({ _csrf: csrfFrom(form.text), email: "nobody@example.org", password: "wrong password" });
    expect([...added()]).toEqual([]);
  });
});
