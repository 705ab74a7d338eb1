import request from "supertest";
import { describe, expect, it } from "vitest";
import { parseDefinition } from "../../analysis/definition.js";
import { ConsultationRepository } from "../../db/consultations.js";
import communities from "../../db/seed/definitions/communities-approach-2022.json" with { type: "json" };
import { buildTestApp } from "../support/app.js";
import { signedInAs } from "../support/officer.js";

const tags = (html: string) => (html.match(/app-demo-tag/g) ?? []).length;

describe("demo consultations say so", () => {
  it("tags each demo consultation on the hub, its own page, the officer home and its dashboard; not a real one", async () => {
    const t = buildTestApp();
    const parsed = parseDefinition({ ...communities, slug: "our-own", title: "Our own consultation" });
    if (!parsed.ok) throw new Error("definition should parse");
    new ConsultationRepository(t.db).save(parsed.definition, t.clock.now);

    const hub = await request(t.app).get("/").expect(200);
    expect(hub.text).toContain("Our own consultation");
    expect(tags(hub.text)).toBe(4);
    expect(
      tags((await request(t.app).get("/consultations/communities-approach-2022").expect(200)).text),
    ).toBe(1);
    expect(tags((await request(t.app).get("/consultations/our-own").expect(200)).text)).toBe(0);

    const agent = await signedInAs(t);
    expect(tags((await agent.get("/officer").expect(200)).text)).toBe(4);
    expect(tags((await agent.get("/officer/consultations/communities-approach-2022").expect(200)).text)).toBe(
      1,
    );
    expect(tags((await agent.get("/officer/consultations/our-own").expect(200)).text)).toBe(0);
  });
});
