import request from "supertest";
import { describe, expect, it } from "vitest";
import { buildTestApp, csrfFrom } from "../support/app.js";
import { addOfficer, PASSWORD, postSignIn, setCookie } from "../support/officer.js";

const OPEN = "commercial-strategy-2018";

/** The Set-Cookie lines of a response. */
function setCookies(res: { headers: Record<string, unknown> }): string[] {
  const raw = res.headers["set-cookie"];
  return Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? [raw] : [];
}

/** name=value pairs a browser would send back from these Set-Cookie lines (the last of each name). */
function cookieHeader(...responses: { headers: Record<string, unknown> }[]): string {
  const jar = new Map<string, string>();
  for (const res of responses)
    for (const line of setCookies(res)) {
      const pair = line.split(";")[0] ?? "";
      const eq = pair.indexOf("=");
      if (eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

describe("a JSON cookie where a string belongs", () => {
  it.each([
    ["sounding.csrf=j:{}"],
    ["sounding.csrf=j%3A%7B%7D"],
    ["sounding.csrf=j:[1,2]"],
    ["sounding.client=j:{}; sounding.session=j:{}"],
  ])("%s: form pages still work, and a post with it is refused as expired, not a 500", async (cookie) => {
    const t = buildTestApp();
    for (const path of ["/officer/sign-in", `/consultations/${OPEN}`]) {
      const res = await request(t.app).get(path).set("Cookie", cookie);
      expect(res.status).toBe(200);
      expect(res.text).toContain('name="_csrf"');
    }
    const post = await request(t.app)
      .post("/officer/sign-in")
      .set("Cookie", cookie)
      .type("form")
      .send({ _csrf: "anything", email: "a@example.gov.uk", password: "x" });
    expect(post.status).toBe(403);
    expect(t.errors).toEqual([]);
  });
});

describe("the session cookie over HTTPS", () => {
  it("is __Host- prefixed, Secure, for path / and without a Domain, and only that name is read", async () => {
    const t = buildTestApp({ config: { env: "production" } });
    await addOfficer(t, "officer", "pat@example.gov.uk");
    // Secure cookies are not sent back over supertest's plain HTTP by an agent, so carry them by hand.
    const page = await request(t.app).get("/officer/sign-in").expect(200);
    const signedIn = await request(t.app)
      .post("/officer/sign-in")
      .set("Cookie", cookieHeader(page))
      .type("form")
      .send({ _csrf: csrfFrom(page.text), email: "pat@example.gov.uk", password: PASSWORD });
    expect(signedIn.status).toBe(303);
    const line = setCookies(signedIn).find((c) => c.startsWith("__Host-sounding.session="));
    expect(line).toBeDefined();
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; Path=\/(;|$)/);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).not.toMatch(/Domain=/i);
    expect(setCookies(signedIn).some((c) => c.startsWith("sounding.session="))).toBe(false);
    for (const c of setCookies(page)) expect(c).toMatch(/^__Host-/);

    const token = setCookie(signedIn, "__Host-sounding.session") ?? "";
    await request(t.app).get("/officer").set("Cookie", `__Host-sounding.session=${token}`).expect(200);
    // The unprefixed name, which a sibling subdomain could set, is not a session.
    const plain = await request(t.app).get("/officer").set("Cookie", `sounding.session=${token}`);
    expect(plain.status).toBe(303);
  });

  it("keeps the plain name in development, where cookies are not Secure", async () => {
    const t = buildTestApp();
    await addOfficer(t, "officer", "pat@example.gov.uk");
    const res = await postSignIn(request.agent(t.app), "pat@example.gov.uk", PASSWORD);
    expect(setCookie(res, "sounding.session")).toBeTruthy();
    expect(setCookies(res).some((c) => c.startsWith("__Host-"))).toBe(false);
  });
});

describe("CSRF tokens at sign-in", () => {
  it("are replaced: a token from before sign-in no longer works after it", async () => {
    const t = buildTestApp();
    await addOfficer(t, "officer", "pat@example.gov.uk");
    const agent = request.agent(t.app);
    const before = csrfFrom((await agent.get("/officer/sign-in")).text);
    const res = await agent
      .post("/officer/sign-in")
      .type("form")
      .send({ _csrf: before, email: "pat@example.gov.uk", password: PASSWORD });
    expect(res.status).toBe(303);
    const after = csrfFrom((await agent.get("/officer").expect(200)).text);
    expect(after).not.toBe(before);
    // The old token is refused (and the officer stays signed in); the new one works.
    expect((await agent.post("/officer/sign-out").type("form").send({ _csrf: before })).status).toBe(403);
    await agent.get("/officer").expect(200);
    const out = await agent.post("/officer/sign-out").type("form").send({ _csrf: after });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe("/officer/sign-in?signed-out=1");
  });
});

describe("signed cookies", () => {
  it("keep a browser's client id while its signature holds, and replace a tampered one every time", async () => {
    const t = buildTestApp();
    const first = await request(t.app).get("/officer/sign-in").expect(200);
    const signed = setCookie(first, "sounding.client") ?? "";
    expect(signed).toMatch(/^s:/);
    for (let i = 0; i < 2; i++) {
      // The same signed value, read twice (the second time from what was checked before).
      const again = await request(t.app)
        .get("/officer/sign-in")
        .set("Cookie", `sounding.client=${encodeURIComponent(signed)}`);
      expect(setCookie(again, "sounding.client")).toBeUndefined();
    }
    const tampered = `${signed.slice(0, 5)}${signed[5] === "A" ? "B" : "A"}${signed.slice(6)}`;
    for (let i = 0; i < 2; i++) {
      const res = await request(t.app)
        .get("/officer/sign-in")
        .set("Cookie", `sounding.client=${encodeURIComponent(tampered)}`);
      const issued = setCookie(res, "sounding.client");
      expect(issued).toMatch(/^s:/);
      expect(issued).not.toBe(tampered);
    }
  });
});

describe("CSRF checks remembered between posts", () => {
  const start = `/consultations/${OPEN}/start`;

  it("accepts a browser's token on every post, and never another browser's or a changed one", async () => {
    const t = buildTestApp();
    const a = await request(t.app).get(`/consultations/${OPEN}`).expect(200);
    const aCookies = cookieHeader(a);
    const aToken = csrfFrom(a.text);
    // The first post is checked by csrf-csrf's HMAC; the second finds the pair already checked.
    for (let i = 0; i < 2; i++) {
      const res = await request(t.app)
        .post(start)
        .set("Cookie", aCookies)
        .type("form")
        .send({ _csrf: aToken });
      expect(res.status).toBe(303);
    }

    // The same cookie and token from another browser (its own client id) are refused: the pair
    // remembered is bound to the browser it was checked for.
    const b = await request(t.app).get(`/consultations/${OPEN}`).expect(200);
    const bClient = cookieHeader(b)
      .split("; ")
      .filter((c) => c.startsWith("sounding.client="));
    const aCsrf = aCookies.split("; ").filter((c) => c.startsWith("sounding.csrf="));
    expect(bClient).toHaveLength(1);
    expect(aCsrf).toHaveLength(1);
    const stolen = await request(t.app)
      .post(start)
      .set("Cookie", [...bClient, ...aCsrf].join("; "))
      .type("form")
      .send({ _csrf: aToken });
    expect(stolen.status).toBe(403);

    // The posted token must still be the cookie's, whatever was checked before.
    for (const token of [`${aToken}x`, "", aToken.slice(0, -1)]) {
      const res = await request(t.app)
        .post(start)
        .set("Cookie", aCookies)
        .type("form")
        .send({ _csrf: token });
      expect(res.status).toBe(403);
    }
    expect(t.errors).toEqual([]);
  });
});
