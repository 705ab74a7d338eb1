import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { REQUEST_PROPERTIES } from "../../server/middleware/request-shape.js";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import { Respondent } from "../support/respondent.js";

/**
 * server/middleware/request-shape.ts gives each request, first thing, every property the app's
 * middleware adds later, so that its hidden class stays the same on the way through. A property
 * added by any later step shows up after that block in the request's own keys (they keep the order
 * they were added in): this fails when a middleware adds one the list does not hold.
 */
function watched(t: TestApp): { app: TestApp; added: () => Set<string> } {
  const added = new Set<string>();
  const outer = express();
  outer.use((req, res, next) => {
    res.on("finish", () => {
      const keys = Object.keys(req);
      const start = keys.indexOf(REQUEST_PROPERTIES[0]);
      if (start < 0) added.add("(the shape middleware did not run)");
      // Node's own count of the stream's listeners, added when the body is read: setting it
      // early would make Node's count wrong, so it stays Node's.
      for (const key of keys.slice(start + REQUEST_PROPERTIES.length))
        if (key !== "_eventsCount") added.add(key);
      // And the block is whole, in order.
      if (keys.slice(start, start + REQUEST_PROPERTIES.length).join() !== REQUEST_PROPERTIES.join())
        added.add(`(block out of order: ${keys.slice(start).join(", ")})`);
    });
    next();
  });
  outer.use(t.app);
  return { app: { ...t, app: outer as unknown as TestApp["app"] }, added: () => added };
}

describe("a request's shape is set once, by the first middleware", () => {
  it("a respondent's journey adds no property to the request after it", async () => {
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
