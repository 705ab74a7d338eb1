import { createHash } from "node:crypto";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config.js";
import { SESSION_COOKIE } from "../../server/middleware/officer-session.js";
import { ensureFirstAdmin } from "../../server/services/officers.js";
import { buildTestApp, count, csrfFrom, type TestApp } from "../support/app.js";
import { addOfficer, PASSWORD, postSignIn, setCookie, signedInAs, signIn } from "../support/officer.js";

const SLUG = "commercial-strategy-2018";
const TITLE = "Commercial Strategy";
const MINUTE = 60_000;
const sessions = (t: TestApp) => count(t.db, "SELECT count(*) AS n FROM sessions");
const advance = (t: TestApp, ms: number) => {
  t.clock.now = new Date(t.clock.now.getTime() + ms);
};

describe("signing in and out", () => {
  it("signs an officer in, shows the consultations, and signs them out", async () => {
    const t = buildTestApp();
    await addOfficer(t, "officer", "pat@example.gov.uk");
    const agent = request.agent(t.app);
    const form = await agent.get("/officer/sign-in").expect(200);
    expect(form.text).toContain('<h1 class="govuk-heading-l">Sign in</h1>');
    expect(form.headers["cache-control"]).toBe("no-store");

    const res = await postSignIn(agent, "pat@example.gov.uk", PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/officer");
    const home = await agent.get("/officer").expect(200);
    expect(home.text).toContain(`href="/officer/consultations/${SLUG}"`);
    expect(home.text).toContain("Sign out");
    expect(home.headers["cache-control"]).toBe("no-store");
    const dashboard = await agent.get(`/officer/consultations/${SLUG}`).expect(200);
    expect(dashboard.text).toContain("Results dashboard");
    expect(dashboard.text).toContain(TITLE);
    await agent.get("/officer/consultations/no-such-thing").expect(404);

    const out = await agent
      .post("/officer/sign-out")
      .type("form")
      .send({ _csrf: csrfFrom(home.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe("/officer/sign-in?signed-out=1");
    expect(setCookie(out, SESSION_COOKIE)).toBe("");
    expect(sessions(t)).toBe(0);
    const after = await agent.get("/officer");
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe("/officer/sign-in?next=%2Fofficer");
    const signedOut = await agent.get("/officer/sign-in?signed-out=1").expect(200);
    expect(signedOut.text).toContain("You have signed out.");
  });

  it("goes back to the page asked for, but never off the officer pages", async () => {
    const t = buildTestApp();
    await addOfficer(t);
    const agent = request.agent(t.app);
    const asked = await agent.get(`/officer/consultations/${SLUG}`);
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe(
      `/officer/sign-in?next=${encodeURIComponent(`/officer/consultations/${SLUG}`)}`,
    );
    const res = await postSignIn(agent, "officer@example.gov.uk", PASSWORD, `/officer/consultations/${SLUG}`);
    expect(res.headers.location).toBe(`/officer/consultations/${SLUG}`);
    for (const next of [
      "//evil.example/officer",
      "https://evil.example",
      "/officer\\@evil",
      "/consultations",
    ]) {
      const other = await postSignIn(request.agent(t.app), "officer@example.gov.uk", PASSWORD, next);
      expect(other.headers.location).toBe("/officer");
    }
  });

  it("refuses a wrong password, keeping the email typed but not the password", async () => {
    const t = buildTestApp();
    await addOfficer(t, "officer", "pat@example.gov.uk");
    const res = await postSignIn(request.agent(t.app), "pat@example.gov.uk", "not the password at all");
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/<title>Error: Sign in/);
    expect(res.text).toContain("govuk-error-summary");
    expect(res.text).toContain("Enter a correct email address and password");
    expect(res.text).toContain('value="pat@example.gov.uk"');
    expect(res.text).not.toContain("not the password at all");
    expect(setCookie(res, SESSION_COOKIE)).toBeUndefined();
    expect(sessions(t)).toBe(0);
  });

  it("answers an unknown email exactly as a wrong password", async () => {
    const t = buildTestApp();
    await addOfficer(t, "officer", "pat@example.gov.uk");
    const unknown = await postSignIn(request.agent(t.app), "nobody@example.gov.uk", PASSWORD);
    const wrong = await postSignIn(request.agent(t.app), "pat@example.gov.uk", "wrong password here");
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain("Enter a correct email address and password");
    const strip = (html: string) =>
      html.replace(/name="_csrf" value="[^"]+"/, "").replace(/(nobody|pat)@example\.gov\.uk/g, "EMAIL");
    expect(strip(unknown.text)).toBe(strip(wrong.text));
    expect(sessions(t)).toBe(0);
  });

  it("asks for a missing email and password, and refuses unexpected fields", async () => {
    const t = buildTestApp();
    const agent = request.agent(t.app);
    const res = await postSignIn(agent, "  ", "");
    expect(res.status).toBe(400);
    expect(res.text).toContain('href="#email">Enter your email address');
    expect(res.text).toContain('href="#password">Enter your password');
    const page = await agent.get("/officer/sign-in");
    const extra = await agent
      .post("/officer/sign-in")
      .type("form")
      .send({ _csrf: csrfFrom(page.text), email: "a@b.c", password: "x", role: "admin" });
    expect(extra.status).toBe(400);
  });

  it("matches the email whatever its case, and refuses a disabled account", async () => {
    const t = buildTestApp();
    const pat = await addOfficer(t, "officer", "pat@example.gov.uk");
    const agent = await signIn(request.agent(t.app), "PAT@Example.GOV.uk");
    await agent.get("/officer").expect(200);
    t.db.prepare("UPDATE officers SET disabled = 1 WHERE id = ?").run(pat.id);
    expect((await agent.get("/officer")).status).toBe(303);
    expect(sessions(t)).toBe(0);
    expect((await postSignIn(request.agent(t.app), "pat@example.gov.uk", PASSWORD)).status).toBe(401);
  });
});

describe("sessions", () => {
  it("keeps only a hash of the cookie's token, in a cookie scripts cannot read", async () => {
    const t = buildTestApp();
    await addOfficer(t);
    const res = await postSignIn(request.agent(t.app), "officer@example.gov.uk", PASSWORD);
    const token = setCookie(res, SESSION_COOKIE) ?? "";
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const header = String(res.headers["set-cookie"]);
    expect(header).toMatch(/sounding\.session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const row = t.db.prepare("SELECT * FROM sessions").get() as Record<string, unknown>;
    expect(row.id).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
    const stored = t.db.prepare("SELECT password_hash FROM officers").get() as { password_hash: string };
    expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("gives a fresh token on every sign-in and ends the old one", async () => {
    const t = buildTestApp();
    await addOfficer(t);
    const agent = request.agent(t.app);
    const first = setCookie(await postSignIn(agent, "officer@example.gov.uk", PASSWORD), SESSION_COOKIE);
    // Signed in, the sign-in page sends the officer on; a form left open in another tab still posts.
    expect((await agent.get("/officer/sign-in")).headers.location).toBe("/officer");
    const home = await agent.get("/officer").expect(200);
    const again = await agent
      .post("/officer/sign-in")
      .type("form")
      .send({ _csrf: csrfFrom(home.text), email: "officer@example.gov.uk", password: PASSWORD });
    const second = setCookie(again, SESSION_COOKIE);
    expect(first).toBeTruthy();
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    expect(sessions(t)).toBe(1);
    const old = await request(t.app).get("/officer").set("Cookie", `${SESSION_COOKIE}=${first}`);
    expect(old.status).toBe(303);
    await request(t.app).get("/officer").set("Cookie", `${SESSION_COOKIE}=${second}`).expect(200);
  });

  it("never adopts a session token planted before sign-in", async () => {
    const t = buildTestApp();
    await addOfficer(t);
    const agent = request.agent(t.app);
    const planted = "planted-token-chosen-by-an-attacker-0123456";
    const page = await agent.get("/officer/sign-in").set("Cookie", `${SESSION_COOKIE}=${planted}`);
    const res = await agent
      .post("/officer/sign-in")
      .set("Cookie", `${SESSION_COOKIE}=${planted}`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), email: "officer@example.gov.uk", password: PASSWORD });
    expect(res.status).toBe(303);
    const issued = setCookie(res, SESSION_COOKIE);
    expect(issued).toBeTruthy();
    expect(issued).not.toBe(planted);
    expect((await request(t.app).get("/officer").set("Cookie", `${SESSION_COOKIE}=${planted}`)).status).toBe(
      303,
    );
  });

  it("ends a session after 30 minutes without a request", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t);
    advance(t, 29 * MINUTE);
    await agent.get("/officer").expect(200);
    advance(t, 31 * MINUTE);
    const res = await agent.get(`/officer/consultations/${SLUG}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/officer\/sign-in\?next=/);
    expect(res.text).not.toContain(TITLE);
    expect(sessions(t)).toBe(0);
  });

  it("takes the idle timeout from the configuration", async () => {
    const t = buildTestApp({ config: { sessionIdleMinutes: 5 } });
    const agent = await signedInAs(t);
    advance(t, 6 * MINUTE);
    expect((await agent.get("/officer")).status).toBe(303);
  });

  it("ends a busy session 12 hours after sign-in", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t);
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      advance(t, 20 * MINUTE);
      await agent.get("/officer").expect(200);
    }
    advance(t, 20 * MINUTE);
    expect((await agent.get("/officer")).status).toBe(303);
  });

  it("records activity at most once a minute", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t);
    const lastSeen = () => (t.db.prepare("SELECT last_seen_at AS v FROM sessions").get() as { v: string }).v;
    const signedInAt = lastSeen();
    advance(t, 30_000);
    await agent.get("/officer").expect(200);
    expect(lastSeen()).toBe(signedInAt);
    advance(t, 31_000);
    await agent.get("/officer").expect(200);
    expect(lastSeen()).toBe(t.clock.now.toISOString());
  });
});

describe("CSRF", () => {
  it("refuses a sign-in without a token", async () => {
    const t = buildTestApp();
    await addOfficer(t);
    const agent = request.agent(t.app);
    await agent.get("/officer/sign-in");
    const res = await agent
      .post("/officer/sign-in")
      .type("form")
      .send({ email: "officer@example.gov.uk", password: PASSWORD });
    expect(res.status).toBe(403);
    expect(setCookie(res, SESSION_COOKIE)).toBeUndefined();
    expect(sessions(t)).toBe(0);
  });

  it("refuses a sign-out without a token and stays signed in", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t);
    const res = await agent.post("/officer/sign-out").type("form").send({});
    expect(res.status).toBe(403);
    expect(res.text).toContain("Your form has expired");
    await agent.get("/officer").expect(200);
    expect(sessions(t)).toBe(1);
  });
});

describe("rate limit", () => {
  it("stops sign-in after 10 failed attempts for one email, even with the right password", async () => {
    const t = buildTestApp();
    await addOfficer(t, "officer", "pat@example.gov.uk");
    await addOfficer(t, "analyst", "sam@example.gov.uk");
    const agent = request.agent(t.app);
    for (let i = 0; i < 10; i++)
      expect((await postSignIn(agent, "pat@example.gov.uk", `guess number ${i}`)).status).toBe(401);
    const blocked = await postSignIn(agent, "Pat@example.gov.uk", PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain("Too many attempts to sign in");
    expect(setCookie(blocked, SESSION_COOKIE)).toBeUndefined();
    // Another account from the same address is not locked out.
    expect((await postSignIn(agent, "sam@example.gov.uk", PASSWORD)).status).toBe(303);
  });
});

describe("roles and accounts", () => {
  it("lets only admins open or post to the accounts page", async () => {
    for (const role of ["officer", "analyst"] as const) {
      const t = buildTestApp();
      const agent = await signedInAs(t, role);
      const page = await agent.get("/officer/accounts");
      expect(page.status).toBe(403);
      expect(page.text).toContain("You cannot open this page");
      expect(page.text).not.toContain("Add an account");
      const home = await agent.get("/officer");
      const res = await agent
        .post("/officer/accounts")
        .type("form")
        .send({
          _csrf: csrfFrom(home.text),
          email: "x@example.gov.uk",
          name: "X",
          role: "admin",
          password: PASSWORD,
        });
      expect(res.status).toBe(403);
      expect(count(t.db, "SELECT count(*) AS n FROM officers")).toBe(1);
    }
  });

  it("lets an admin add an account, checking each field", async () => {
    const t = buildTestApp();
    const admin = await signedInAs(t, "admin");
    const page = await admin.get("/officer/accounts").expect(200);
    const post = (fields: Record<string, string>) =>
      admin
        .post("/officer/accounts")
        .type("form")
        .send({ _csrf: csrfFrom(page.text), ...fields });

    const empty = await post({});
    expect(empty.status).toBe(400);
    for (const text of ["Enter an email address", "Enter a name", "Select a role", "Enter a password"])
      expect(empty.text).toContain(text);

    const bad = await post({ email: "not-an-email", name: "Jo Bloggs", role: "admin", password: "short" });
    expect(bad.text).toContain("Enter an email address in the correct format, like name@example.com");
    expect(bad.text).toContain("Password must be 12 characters or more");
    expect(bad.text).toContain('value="Jo Bloggs"');
    expect(bad.text).toMatch(/value="admin" checked/);
    expect(bad.text).not.toContain('value="short"');

    const taken = await post({
      email: "ADMIN@example.gov.uk",
      name: "Jo",
      role: "officer",
      password: PASSWORD,
    });
    expect(taken.text).toContain("An account with this email address already exists");
    expect(
      (await post({ email: "jo@example.gov.uk", role: "mayor", name: "Jo", password: PASSWORD })).status,
    ).toBe(400);

    const added = await post({
      email: "jo@example.gov.uk",
      name: "Jo Bloggs",
      role: "analyst",
      password: "a long enough password",
    });
    expect(added.status).toBe(303);
    const list = await admin.get(String(added.headers.location)).expect(200);
    expect(list.text).toContain("Account added for jo@example.gov.uk.");
    expect(list.text).toContain("Jo Bloggs");
    expect(list.text).not.toContain("a long enough password");
    await signIn(request.agent(t.app), "jo@example.gov.uk", "a long enough password");
  });
});

describe("the first admin", () => {
  it("is created with the password from the environment", async () => {
    const t = buildTestApp();
    const printed: string[] = [];
    const password = "from the environment 123";
    const outcome = await ensureFirstAdmin(
      t.services.officers,
      { email: "chief@example.gov.uk", password },
      (s) => printed.push(s),
    );
    expect(outcome).toEqual({ created: true, email: "chief@example.gov.uk", passwordGenerated: false });
    expect(printed.join("\n")).not.toContain(password);
    const agent = await signIn(request.agent(t.app), "chief@example.gov.uk", password);
    await agent.get("/officer/accounts").expect(200);
    // A later start changes nothing.
    expect(
      await ensureFirstAdmin(t.services.officers, { email: "b@example.gov.uk", password }, () => {}),
    ).toEqual({
      created: false,
    });
    expect(count(t.db, "SELECT count(*) AS n FROM officers")).toBe(1);
  });

  it("is given a generated password, printed once and stored only as a hash", async () => {
    const t = buildTestApp();
    const printed: string[] = [];
    const print = (s: string) => printed.push(s);
    const outcome = await ensureFirstAdmin(
      t.services.officers,
      { email: "admin@example.gov.uk", password: undefined },
      print,
    );
    expect(outcome).toEqual({ created: true, email: "admin@example.gov.uk", passwordGenerated: true });
    const text = printed.join("\n");
    expect(text).toContain("admin@example.gov.uk");
    const password = /Password: (\S+)/.exec(text)?.[1] ?? "";
    expect(password.length).toBeGreaterThanOrEqual(20);
    const everything = JSON.stringify(t.db.prepare("SELECT * FROM officers").all());
    expect(everything).not.toContain(password);
    await signIn(request.agent(t.app), "admin@example.gov.uk", password);
    printed.length = 0;
    await ensureFirstAdmin(
      t.services.officers,
      { email: "admin@example.gov.uk", password: undefined },
      print,
    );
    expect(printed).toEqual([]);
  });

  it("reads its settings from the environment", () => {
    const base = { NODE_ENV: "test" as const };
    const defaults = loadConfig(base);
    expect(defaults.adminEmail).toBe("admin@example.gov.uk");
    expect(defaults.adminPassword).toBeUndefined();
    expect(defaults.sessionIdleMinutes).toBe(30);
    expect(Object.isFrozen(defaults)).toBe(true);
    const set = loadConfig({
      ...base,
      SOUNDING_ADMIN_PASSWORD: "twelve chars",
      SOUNDING_SESSION_IDLE_MINUTES: "10",
    });
    expect(set.adminPassword).toBe("twelve chars");
    expect(set.sessionIdleMinutes).toBe(10);
    expect(() => loadConfig({ ...base, SOUNDING_ADMIN_PASSWORD: "too short" })).toThrow(
      /SOUNDING_ADMIN_PASSWORD/,
    );
    expect(() => loadConfig({ ...base, SOUNDING_ADMIN_EMAIL: "nobody" })).toThrow(/SOUNDING_ADMIN_EMAIL/);
  });
});

// ---------------------------------------------------------------------------------------------
// Every route under /officer, found by walking the app's own router (so a route added later cannot
// be missed), must refuse a browser that is not signed in.
// ---------------------------------------------------------------------------------------------

interface FoundRoute {
  method: string;
  path: string;
}

interface LayerLike {
  route?: { path: unknown; methods: Record<string, unknown> };
  handle?: unknown;
  rawPath?: unknown;
}

const joinPath = (prefix: string, path: string) => (path === "/" ? prefix || "/" : `${prefix}${path}`);

/** Routes of an express 5 router, recursing into routers mounted with use(). */
function routesOf(stack: unknown, prefix = ""): FoundRoute[] {
  if (!Array.isArray(stack)) throw new Error("Not a router stack");
  const found: FoundRoute[] = [];
  for (const layer of stack as LayerLike[]) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        if (typeof path !== "string") throw new Error(`A route with a non-string path under ${prefix}`);
        for (const method of Object.keys(layer.route.methods))
          found.push({ method: method === "_all" ? "all" : method, path: joinPath(prefix, path) });
      }
      continue;
    }
    const inner = (layer.handle as { stack?: unknown } | undefined)?.stack;
    if (inner === undefined) continue;
    if (typeof layer.rawPath !== "string")
      throw new Error(`A router mounted under ${prefix || "/"} on a path this walk cannot follow`);
    found.push(...routesOf(inner, joinPath(prefix, layer.rawPath === "/" ? "" : layer.rawPath)));
  }
  return found;
}

function appRoutes(t: TestApp): FoundRoute[] {
  const router = (t.app as unknown as { router?: { stack?: unknown } }).router;
  return routesOf(router?.stack);
}

/** A concrete URL for a route path: a real consultation for :slug, "1" for any other parameter. */
const concrete = (path: string) =>
  path
    .replace(/[{}]/g, "")
    .replace(/:slug\b/g, SLUG)
    .replace(/[:*]\w+/g, "1");

// A set-up link's token is its own credential (tests/http/accounts-manage.test.ts).
const PUBLIC = new Set([
  "get /officer/sign-in",
  "post /officer/sign-in",
  "post /officer/sign-out",
  "get /officer/set-up/:token",
  "post /officer/set-up/:token",
  // The second step of a two-factor sign-in: only a half-done sign-in gets anything from it
  // (tests/http/two-factor.test.ts).
  "get /officer/sign-in/code",
  "post /officer/sign-in/code",
]);

/** Routes only admins and editors may use: the builder and the preview. */
const BUILDER_ONLY = /^\/officer\/(create$|consultations\/:slug\/(build|preview)(\/|$))/;

describe("the builder's routes, by role", () => {
  it("refuses officers and analysts every builder route, and lets admins and editors in", async () => {
    const t = buildTestApp();
    const routes = appRoutes(t).filter((r) => BUILDER_ONLY.test(r.path));
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const before = t.services.consultations.find(SLUG)?.updatedAt;
    for (const role of ["officer", "analyst"] as const) {
      const agent = await signedInAs(t, role);
      const token = csrfFrom((await agent.get("/officer")).text);
      for (const route of routes) {
        const url = concrete(route.path);
        const res =
          route.method === "get"
            ? await agent.get(url)
            : await agent.post(url).type("form").send({ _csrf: token });
        expect(res.status, `${route.method} ${url} as ${role}`).toBe(403);
      }
    }
    expect(t.services.consultations.find(SLUG)?.updatedAt).toBe(before);
    for (const role of ["admin", "editor"] as const) {
      const agent = await signedInAs(t, role);
      for (const route of routes.filter((r) => r.method === "get")) {
        const res = await agent.get(concrete(route.path));
        expect([401, 403], `GET ${route.path} as ${role}`).not.toContain(res.status);
      }
    }
  });
});

describe("every officer route refuses anyone not signed in", () => {
  it("finds the officer routes by walking the app", () => {
    const found = appRoutes(buildTestApp()).map((r) => `${r.method} ${r.path}`);
    expect(found).toContain("get /consultations/:slug"); // the walk reaches the public routes too
    for (const known of [
      ...PUBLIC,
      "get /officer",
      "get /officer/consultations/:slug",
      "get /officer/accounts",
      "post /officer/accounts",
      // Comment themes: the coding workbench and the codebook.
      "get /officer/consultations/:slug/comments/:question",
      "post /officer/consultations/:slug/comments/:question/:comment",
      "get /officer/consultations/:slug/comments/:question/bulk",
      "post /officer/consultations/:slug/comments/:question/bulk",
      // Campaigns, new themes and stance (issue 13 items 4-6).
      "get /officer/consultations/:slug/comments/:question/insights",
      "post /officer/consultations/:slug/comments/:question/insights/campaigns",
      "post /officer/consultations/:slug/comments/:question/insights/counting",
      "post /officer/consultations/:slug/comments/:question/insights/campaigns/:group",
      "post /officer/consultations/:slug/comments/:question/insights/candidates",
      "post /officer/consultations/:slug/comments/:question/insights/stance",
      "post /officer/consultations/:slug/comments/:question/batches/:batch/undo",
      // A campaign shown once in the workbench list, coded as one.
      "post /officer/consultations/:slug/comments/:question/campaigns/:group",
      "post /officer/consultations/:slug/comments/:question/suggestions/train",
      "post /officer/consultations/:slug/comments/:question/suggestions/accept",
      // A double-coded sample (tests/http/double-coding.test.ts checks the roles: analysts and admins draw).
      "get /officer/consultations/:slug/comments/:question/double-coding",
      "post /officer/consultations/:slug/comments/:question/double-coding/sample",
      "post /officer/consultations/:slug/comments/:question/double-coding/:comment",
      "get /officer/consultations/:slug/themes",
      "post /officer/consultations/:slug/themes",
      "get /officer/consultations/:slug/themes.csv",
      "post /officer/consultations/:slug/themes/import",
      "get /officer/consultations/:slug/themes/audit",
      "post /officer/consultations/:slug/themes/batches/:batch/undo",
      "get /officer/consultations/:slug/themes/:theme",
      "post /officer/consultations/:slug/themes/:theme",
      "post /officer/consultations/:slug/themes/:theme/merge",
      "post /officer/consultations/:slug/themes/:theme/delete",
      "get /officer/consultations/:slug/themes/:theme/rules",
      "post /officer/consultations/:slug/themes/:theme/rules",
      // The consultation builder (admins and editors; tests/http/builder.test.ts checks the roles).
      "get /officer/create",
      "post /officer/create",
      "get /officer/consultations/:slug/build",
      "get /officer/consultations/:slug/build/details",
      "post /officer/consultations/:slug/build/details",
      "post /officer/consultations/:slug/build/pages",
      "get /officer/consultations/:slug/build/pages/:page",
      "post /officer/consultations/:slug/build/pages/:page",
      "post /officer/consultations/:slug/build/pages/:page/move",
      "post /officer/consultations/:slug/build/pages/:page/delete",
      "get /officer/consultations/:slug/build/pages/:page/questions/new",
      "post /officer/consultations/:slug/build/pages/:page/questions",
      "get /officer/consultations/:slug/build/questions/:question",
      "post /officer/consultations/:slug/build/questions/:question",
      "post /officer/consultations/:slug/build/questions/:question/move",
      "post /officer/consultations/:slug/build/questions/:question/delete",
      "get /officer/consultations/:slug/build/scales",
      "post /officer/consultations/:slug/build/scales",
      "get /officer/consultations/:slug/build/paired/new",
      "post /officer/consultations/:slug/build/paired",
      "get /officer/consultations/:slug/build/paired/:set",
      "post /officer/consultations/:slug/build/paired/:set",
      "get /officer/consultations/:slug/build/definition.json",
      "get /officer/consultations/:slug/build/import",
      "post /officer/consultations/:slug/build/import",
      "get /officer/consultations/:slug/build/documents",
      "post /officer/consultations/:slug/build/documents",
      "post /officer/consultations/:slug/build/documents/:index/delete",
      "post /officer/consultations/:slug/build/order",
      "get /officer/consultations/:slug/build/publication",
      "post /officer/consultations/:slug/build/publication",
      "get /officer/consultations/:slug/preview",
      "post /officer/consultations/:slug/preview/start",
      "get /officer/consultations/:slug/preview/respond/:pageId",
      "post /officer/consultations/:slug/preview/respond/:pageId",
      "get /officer/consultations/:slug/preview/check",
      "post /officer/consultations/:slug/preview/submit",
      // The consultation's life: publish, extend, close early, results, archive (admins and editors;
      // tests/http/lifecycle.test.ts checks the roles).
      "get /officer/audit",
      // Accounts (admins; tests/http/accounts-manage.test.ts) and every officer's own password.
      "get /officer/accounts/:id",
      "post /officer/accounts/:id/role",
      "post /officer/accounts/:id/disable",
      "post /officer/accounts/:id/enable",
      "post /officer/accounts/:id/reset",
      "get /officer/accounts/:id/remove",
      "post /officer/accounts/:id/remove",
      "get /officer/account/password",
      // Every officer's own two-factor sign-in, and an admin's reset of a colleague's
      // (tests/http/two-factor.test.ts checks the roles).
      "get /officer/account/two-factor",
      "get /officer/account/two-factor/set-up",
      "post /officer/account/two-factor/set-up",
      "post /officer/account/two-factor/off",
      "post /officer/accounts/:id/two-factor/reset",
      // One response by its reference (tests/http/response-records.test.ts checks the roles).
      "get /officer/consultations/:slug/responses",
      "get /officer/consultations/:slug/responses/:reference",
      "get /officer/consultations/:slug/responses/:reference/withdraw",
      "post /officer/consultations/:slug/responses/:reference/withdraw",
      // Set aside as spam or a duplicate, and restored (tests/http/response-marks.test.ts: admins, editors).
      "post /officer/consultations/:slug/responses/:reference/mark",
      "post /officer/consultations/:slug/responses/:reference/restore",
      // The list of them: any officer reads it, Restore is for admins and editors.
      "get /officer/consultations/:slug/responses/set-aside",
      "post /officer/account/password",
      "get /officer/consultations/:slug/manage",
      "post /officer/consultations/:slug/manage/extend",
      "post /officer/consultations/:slug/manage/close",
      "post /officer/consultations/:slug/manage/publish",
      "post /officer/consultations/:slug/manage/publish-results",
      "post /officer/consultations/:slug/manage/archive",
      "post /officer/consultations/:slug/manage/unarchive",
    ])
      expect(found).toContain(known);
  });

  it("refuses each protected route without a session, with a stale cookie and after a timeout", async () => {
    const t = buildTestApp();
    const routes = appRoutes(t).filter((r) => /^\/officer(\/|$)/.test(r.path));
    const expired = await signedInAs(t, "officer");
    advance(t, 20 * MINUTE);
    const admin = await signedInAs(t, "admin");
    advance(t, 11 * MINUTE); // the officer's session has now been idle 31 minutes, the admin's 11

    const stranger = request.agent(t.app);
    const token = csrfFrom((await stranger.get("/officer/sign-in")).text);
    const expiredToken = csrfFrom((await expired.get("/officer/sign-in")).text);
    const clients = [
      { name: "no cookie", agent: stranger, csrf: token },
      {
        name: "a forged session cookie",
        agent: request.agent(t.app),
        csrf: "",
        cookie: `${SESSION_COOKIE}=forged`,
      },
      { name: "a timed-out session", agent: expired, csrf: expiredToken },
    ];
    const officersBefore = count(t.db, "SELECT count(*) AS n FROM officers");
    let checked = 0;

    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      if (PUBLIC.has(key)) continue;
      const url = concrete(route.path);
      const methods = route.method === "all" ? ["get", "post"] : [route.method];
      for (const method of methods) {
        for (const c of clients) {
          const label = `${method.toUpperCase()} ${url} with ${c.name}`;
          let req =
            method === "get"
              ? c.agent.get(url)
              : method === "head"
                ? c.agent.head(url)
                : c.agent[method as "post" | "put" | "patch" | "delete"](url)
                    .type("form")
                    .send({ _csrf: c.csrf });
          if (c.cookie) req = req.set("Cookie", c.cookie);
          const res = await req;
          if (method === "get" || method === "head") {
            expect(res.status, label).toBe(303);
            expect(res.headers.location, label).toBe(`/officer/sign-in?next=${encodeURIComponent(url)}`);
          } else {
            // 401 from requireOfficer, or 403 where the CSRF check stops it first.
            expect([401, 403], label).toContain(res.status);
          }
          for (const secret of [
            "admin@example.gov.uk",
            "officer@example.gov.uk",
            "Results dashboard",
            "Sign out",
          ])
            expect(res.text, label).not.toContain(secret);
          expect(res.text, label).not.toContain(`/officer/consultations/${SLUG}"`);
          checked++;
        }
        // The same request as a signed-in admin gets through, so the refusal above was about the session.
        if (method === "get") {
          const ok = await admin.get(url);
          expect([401, 403], `GET ${url} as admin`).not.toContain(ok.status);
          // A page may send the admin on (the preview's check page, to its first unanswered page), never to sign in.
          if (ok.status === 303) expect(ok.headers.location, `GET ${url} as admin`).not.toMatch(/sign-in/);
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4 * clients.length);
    expect(count(t.db, "SELECT count(*) AS n FROM officers")).toBe(officersBefore);
  });

  it("shows the sign-in and sign-out routes, the only open ones, nothing of an officer's", async () => {
    const t = buildTestApp();
    await addOfficer(t, "admin");
    const agent = request.agent(t.app);
    const page = await agent.get("/officer/sign-in").expect(200);
    expect(page.text).not.toContain("admin@example.gov.uk");
    expect(page.text).not.toContain("Sign out");
    const out = await agent
      .post("/officer/sign-out")
      .type("form")
      .send({ _csrf: csrfFrom(page.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toMatch(/^\/officer\/sign-in/);
    const unsigned = await agent
      .post("/officer/accounts")
      .type("form")
      .send({ _csrf: csrfFrom(page.text) });
    expect(unsigned.status).toBe(401);
    expect(unsigned.text).toContain("You need to sign in");
    // The two-factor code step without a half-done sign-in: back to the password, nothing else.
    expect((await agent.get("/officer/sign-in/code")).headers.location).toBe("/officer/sign-in");
    const code = await agent
      .post("/officer/sign-in/code")
      .type("form")
      .send({ _csrf: csrfFrom(page.text), code: "123456" });
    expect(code.status).toBe(401);
    expect(code.text).toContain("Your sign-in timed out");
    expect(code.text).not.toContain("Sign out");
  });
});
