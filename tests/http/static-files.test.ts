import request from "supertest";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "../support/app.js";

describe("static files", () => {
  it("are served under /js and /favicon.svg, and nothing else of public/ is", async () => {
    const t = buildTestApp();
    const script = await request(t.app).get("/js/charts.js").expect(200);
    expect(script.headers["content-type"]).toMatch(/javascript/);
    expect(script.headers["cache-control"]).toBe("public, max-age=3600");
    const icon = await request(t.app).get("/favicon.svg").expect(200);
    expect(icon.headers["content-type"]).toMatch(/svg/);
    // The stylesheet's source and the scripts at the root are not published.
    await request(t.app).get("/scss/app.scss").expect(404);
    await request(t.app).get("/charts.js").expect(404);
  });

  it("shows the dates of each consultation on the hub in UK style", async () => {
    const t = buildTestApp();
    const hub = await request(t.app).get("/").expect(200);
    expect(hub.text).toMatch(/(Opened|Opens|Ran from) \d{1,2} [A-Z][a-z]+ \d{4}/);
  });
});
