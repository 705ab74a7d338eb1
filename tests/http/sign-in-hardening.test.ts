import request from "supertest";
import { describe, expect, it } from "vitest";
import { OfficerRepository } from "../../db/officers.js";
import { SessionRepository } from "../../db/sessions.js";
import { createApp } from "../../server/app.js";
import { ConcurrencyGate } from "../../server/services/concurrency-gate.js";
import { DEFAULT_SESSION_POLICY, ensureFirstAdmin, OfficerService } from "../../server/services/officers.js";
import { COMMON_PASSWORD_MESSAGE, passwordProblem } from "../../server/services/password-policy.js";
import { buildTestApp, count, csrfFrom, type TestApp } from "../support/app.js";
import { addOfficer, PASSWORD, postSignIn, signedInAs } from "../support/officer.js";

/** The same app, with the officers' passwords checked through `gate`. */
function withGate(t: TestApp, gate: ConcurrencyGate) {
  const officers = new OfficerService(
    new OfficerRepository(t.db),
    new SessionRepository(t.db),
    () => t.clock.now,
    DEFAULT_SESSION_POLICY,
    gate,
  );
  const services = { ...t.services, officers };
  return { app: createApp({ config: t.config, db: t.db, clock: () => t.clock.now, services }), officers };
}

/** A sign-in post from one browser with its token, as an attacker's script would send it. */
async function tokenFor(agent: ReturnType<typeof request.agent>) {
  return csrfFrom((await agent.get("/officer/sign-in")).text);
}

describe("sign-in limits per address and per account", () => {
  it("throttles one address spraying a password over 300 emails", async () => {
    const t = buildTestApp();
    await addOfficer(t, "officer", "pat@example.gov.uk");
    const agent = request.agent(t.app);
    const token = await tokenFor(agent);
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const res = await agent
        .post("/officer/sign-in")
        .type("form")
        .send({ _csrf: token, email: `person${i}@example.gov.uk`, password: "Winter2026!!" });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    // The real officer, from the same address, waits too: the address has used its attempts.
    const real = await postSignIn(agent, "pat@example.gov.uk", PASSWORD);
    expect(real.status).toBe(429);
    expect(real.text).toContain("Too many attempts to sign in");
  }, 60_000);

  it("throttles guesses at one account from many addresses, and leaves other accounts alone", async () => {
    const t = buildTestApp({ config: { trustProxy: 1 } });
    await addOfficer(t, "officer", "pat@example.gov.uk");
    await addOfficer(t, "analyst", "sam@example.gov.uk");
    const from = (n: number) => ({ "X-Forwarded-For": `198.51.100.${n}` });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const agent = request.agent(t.app);
      const page = await agent.get("/officer/sign-in").set(from(i));
      const res = await agent
        .post("/officer/sign-in")
        .set(from(i))
        .type("form")
        .send({ _csrf: csrfFrom(page.text), email: "Pat@example.gov.uk", password: `guess number ${i}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    const other = request.agent(t.app);
    const page = await other.get("/officer/sign-in").set(from(200));
    const sam = await other
      .post("/officer/sign-in")
      .set(from(200))
      .type("form")
      .send({ _csrf: csrfFrom(page.text), email: "sam@example.gov.uk", password: PASSWORD });
    expect(sam.status).toBe(303);
  });
});

describe("argon2 verifications queue behind one per core", () => {
  it("never runs more than the limit at once", async () => {
    const gate = new ConcurrencyGate(2, 10_000);
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    };
    await Promise.all(Array.from({ length: 30 }, () => gate.run(task)));
    expect(most).toBe(2);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it("lets 15 sign-ins at once through two at a time, each answered", async () => {
    const t = buildTestApp();
    await addOfficer(t, "officer", "pat@example.gov.uk");
    const gate = new ConcurrencyGate(2, 30_000);
    const { app } = withGate(t, gate);
    let running = 0;
    let most = 0;
    const run = gate.run.bind(gate);
    gate.run = (task) =>
      run(async () => {
        most = Math.max(most, ++running);
        try {
          return await task();
        } finally {
          running--;
        }
      });
    const agents = await Promise.all(
      Array.from({ length: 15 }, async () => {
        const agent = request.agent(app);
        return { agent, token: await tokenFor(agent) };
      }),
    );
    const results = await Promise.all(
      agents.map(({ agent, token }, i) =>
        agent
          .post("/officer/sign-in")
          .type("form")
          .send({ _csrf: token, email: `someone${i}@example.gov.uk`, password: "not the password" }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(15).fill(401));
    expect(most).toBe(2);
  }, 60_000);

  it("answers 'try again' when the queue has waited too long, and signs in once it is free", async () => {
    const t = buildTestApp();
    await addOfficer(t, "officer", "pat@example.gov.uk");
    const gate = new ConcurrencyGate(1, 50);
    const { app } = withGate(t, gate);
    let release = () => {};
    const busy = gate.run(() => new Promise<void>((r) => (release = r)));
    const agent = request.agent(app);
    const res = await postSignIn(agent, "pat@example.gov.uk", PASSWORD);
    expect(res.status).toBe(503);
    expect(res.headers["retry-after"]).toBe("30");
    expect(res.text).toContain("Sign-in is busy");
    expect(res.text).toContain("try signing in again");
    release();
    await busy;
    expect((await postSignIn(agent, "pat@example.gov.uk", PASSWORD)).status).toBe(303);
  });

  it("counts each verification through the gate", async () => {
    const t = buildTestApp();
    await addOfficer(t, "officer", "pat@example.gov.uk");
    const gate = new ConcurrencyGate(1, 1_000);
    const { officers } = withGate(t, gate);
    const calls: string[] = [];
    const run = gate.run.bind(gate);
    gate.run = (task) => {
      calls.push("gate");
      return run(task);
    };
    expect(await officers.verifyCredentials("pat@example.gov.uk", PASSWORD)).toBeDefined();
    expect(await officers.verifyCredentials("nobody@example.gov.uk", PASSWORD)).toBeUndefined();
    expect(calls).toEqual(["gate", "gate"]);
  });
});

describe("common passwords are refused wherever a password is set", () => {
  it("says why", () => {
    expect(passwordProblem("password1234")).toBe(COMMON_PASSWORD_MESSAGE);
    expect(passwordProblem("PASSWORD1234")).toBe(COMMON_PASSWORD_MESSAGE);
    expect(passwordProblem("Sunshine2026!!")).toBe(COMMON_PASSWORD_MESSAGE);
    expect(passwordProblem("qwertyuiop123")).toBe(COMMON_PASSWORD_MESSAGE);
    expect(passwordProblem(PASSWORD)).toBeUndefined();
    expect(passwordProblem("tidal-marsh-quill-87")).toBeUndefined();
    expect(passwordProblem("short")).toBe("Password must be 12 characters or more");
  });

  it("on the accounts page: refuses 'password1234' with the reason, keeps what was typed, adds no one", async () => {
    const t = buildTestApp();
    const admin = await signedInAs(t, "admin");
    const page = await admin.get("/officer/accounts");
    const res = await admin
      .post("/officer/accounts")
      .type("form")
      .send({
        _csrf: csrfFrom(page.text),
        email: "jo@example.gov.uk",
        name: "Jo Bloggs",
        role: "officer",
        password: "password1234",
      });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Error: ");
    expect(res.text).toContain(COMMON_PASSWORD_MESSAGE);
    expect(res.text).toContain('value="jo@example.gov.uk"');
    expect(res.text).not.toContain("password1234");
    expect(count(t.db, "SELECT count(*) AS n FROM officers WHERE email = 'jo@example.gov.uk'")).toBe(0);
  });

  it("in the service, and for the first admin's password from the environment", async () => {
    const t = buildTestApp();
    await expect(
      t.services.officers.create({
        email: "x@example.gov.uk",
        name: "X",
        role: "admin",
        password: "password1234",
      }),
    ).rejects.toThrow(COMMON_PASSWORD_MESSAGE);
    await expect(
      ensureFirstAdmin(
        t.services.officers,
        { email: "chief@example.gov.uk", password: "password1234" },
        () => {},
      ),
    ).rejects.toThrow(`SOUNDING_ADMIN_PASSWORD: ${COMMON_PASSWORD_MESSAGE}`);
    expect(count(t.db, "SELECT count(*) AS n FROM officers")).toBe(0);
  });
});
