import request from "supertest";
import { describe, expect, it } from "vitest";
import { SESSION_COOKIE, TWO_FACTOR_COOKIE } from "../../server/middleware/officer-session.js";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import {
  type Agent,
  addOfficer,
  PASSWORD,
  postSignIn,
  setCookie,
  signedInAs,
  signIn,
} from "../support/officer.js";
import { codeAt, secretFromPage, turnOnTwoFactor } from "../support/two-factor.js";

/** Issue 12, item 6: optional TOTP two-factor sign-in, tested with codes generated as an app would. */
const EMAIL = "pat@example.gov.uk";

async function withTwoFactor(t: TestApp) {
  const officer = await addOfficer(t, "officer", EMAIL);
  return { officer, ...turnOnTwoFactor(t, officer) };
}
const trail = (t: TestApp, action: string) =>
  t.db
    .prepare("SELECT officer_email, subject, detail FROM audit_events WHERE action = ? ORDER BY id")
    .all(action) as {
    officer_email: string | null;
    subject: string | null;
    detail: string;
  }[];

async function postCode(agent: Agent, code: string, path = "/officer/sign-in/code") {
  const page = await agent.get("/officer/sign-in");
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), code });
}

/**
 * Signed in with two-factor on, past the code step; `send` posts the password and a code to a
 * form of the account's two-factor page (`action`), with the page's token.
 */
async function signedInWithTwoFactor(t: TestApp, action: string) {
  const on = await withTwoFactor(t);
  const agent = request.agent(t.app);
  await postSignIn(agent, EMAIL, PASSWORD);
  expect((await postCode(agent, codeAt(on.secret, t.clock.now))).status).toBe(303);
  t.clock.now = new Date(t.clock.now.getTime() + 30_000);
  const send = async (password: string, code: string) => {
    const page = await agent.get("/officer/account/two-factor");
    return agent
      .post(action)
      .type("form")
      .send({ _csrf: csrfFrom(page.text), password, code });
  };
  return { ...on, send };
}

/** The value of the form's code field as sent back, if any. */
const codeValue = (html: string) =>
  /<input[^>]*name="code"[^>]*>/.exec(html)?.[0].match(/value="([^"]*)"/)?.[1];

describe("signing in with two-factor", () => {
  it("asks for the code after the password, and signs in only once a current code passes", async () => {
    const t = buildTestApp();
    const { secret } = await withTwoFactor(t);
    const agent = request.agent(t.app);
    const first = await postSignIn(agent, EMAIL, PASSWORD, "/officer/audit");
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe("/officer/sign-in/code?next=%2Fofficer%2Faudit");
    expect(setCookie(first, SESSION_COOKIE)).toBeUndefined();
    expect(setCookie(first, TWO_FACTOR_COOKIE)).toMatch(/^[\w-]{40,}$/);
    // Half signed in: no officer page opens.
    expect((await agent.get("/officer")).headers.location).toMatch(/^\/officer\/sign-in/);
    const page = await agent.get(first.headers.location ?? "").expect(200);
    expect(page.text).toContain("Enter your sign-in code");

    const wrong = await postCode(agent, "000000", first.headers.location);
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain("govuk-error-summary");
    expect(wrong.text).toContain('href="#code"');
    expect(codeValue(wrong.text) ?? "").toBe("");
    expect(setCookie(wrong, SESSION_COOKIE)).toBeUndefined();
    expect((await agent.get("/officer")).status).toBe(303);

    const right = await postCode(agent, codeAt(secret, t.clock.now), first.headers.location);
    expect(right.status).toBe(303);
    expect(right.headers.location).toBe("/officer/audit");
    expect(setCookie(right, SESSION_COOKIE)).toBeTruthy();
    expect(setCookie(right, TWO_FACTOR_COOKIE)).toBe("");
    await agent.get("/officer").expect(200);
    expect(trail(t, "two-factor-failed")).toEqual([
      { officer_email: EMAIL, subject: null, detail: "Signing in" },
    ]);
    expect(trail(t, "sign-in")).toEqual([
      { officer_email: EMAIL, subject: null, detail: "With two-factor (a code)" },
    ]);
  });

  it("refuses a code already used, and a half-done sign-in after five minutes", async () => {
    const t = buildTestApp();
    const { secret } = await withTwoFactor(t);
    const code = codeAt(secret, t.clock.now);
    const a = request.agent(t.app);
    await postSignIn(a, EMAIL, PASSWORD);
    expect((await postCode(a, code)).status).toBe(303);
    const b = request.agent(t.app);
    await postSignIn(b, EMAIL, PASSWORD);
    const replay = await postCode(b, code);
    expect(replay.status).toBe(401);
    expect(replay.text).toContain("Enter the code your authenticator app shows now");

    t.clock.now = new Date(t.clock.now.getTime() + 5 * 60_000 + 1_000);
    const late = await postCode(b, codeAt(secret, t.clock.now));
    expect(late.status).toBe(401);
    expect(late.text).toContain("Your sign-in timed out");
    expect((await b.get("/officer")).status).toBe(303);
    // Without a half-done sign-in, the code page sends you to the password.
    expect((await b.get("/officer/sign-in/code")).headers.location).toBe("/officer/sign-in");
  });

  it("takes a recovery code once", async () => {
    const t = buildTestApp();
    const { recoveryCodes } = await withTwoFactor(t);
    const code = recoveryCodes[0] ?? "";
    const a = request.agent(t.app);
    await postSignIn(a, EMAIL, PASSWORD);
    expect((await postCode(a, code)).status).toBe(303);
    await a.get("/officer").expect(200);
    expect(trail(t, "sign-in").at(-1)?.detail).toBe("With two-factor (a recovery code)");
    const b = request.agent(t.app);
    await postSignIn(b, EMAIL, PASSWORD);
    expect((await postCode(b, code)).status).toBe(401);
    const status = await a.get("/officer/account/two-factor").expect(200);
    expect(status.text).toContain("You have 9 unused recovery codes left");
  });

  it("counts wrong codes with wrong passwords toward the account's sign-in limit", async () => {
    const t = buildTestApp();
    await withTwoFactor(t);
    const agent = request.agent(t.app);
    // Five wrong codes end a half-done sign-in; ten failures on an account are the limit.
    for (let round = 0; round < 2; round++) {
      expect((await postSignIn(agent, EMAIL, PASSWORD)).status).toBe(303);
      for (let i = 0; i < 5; i++) expect((await postCode(agent, "123456")).status).toBe(401);
    }
    expect((await postSignIn(agent, EMAIL, PASSWORD)).status).toBe(429);
    // Another account from another address is not held up by it.
    await addOfficer(t, "analyst", "sam@example.gov.uk");
    expect((await postSignIn(request.agent(t.app), "sam@example.gov.uk", PASSWORD)).status).toBe(303);
  });
});

describe("turning two-factor sign-in on and off", () => {
  it("shows the key as text and otpauth:// address with a QR code, and turns on only with a current code", async () => {
    const t = buildTestApp();
    const agent = await signedInAs(t, "officer");
    const off = await agent.get("/officer/account/two-factor").expect(200);
    expect(off.text).toContain("Two-factor sign-in is <strong>off</strong>");
    const setUp = await agent.get("/officer/account/two-factor/set-up").expect(200);
    const secret = secretFromPage(setUp.text);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setUp.text).toMatch(/<code class="app-two-factor-key" id="secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</);
    expect(setUp.text).toContain(`otpauth://totp/`);
    expect(setUp.text).toContain(`secret=${secret}`);
    expect(setUp.text).toMatch(/<svg role="img" aria-label="QR code holding the set-up key"/);

    const send = async (code: string) => {
      const page = await agent.get("/officer/account/two-factor/set-up");
      return agent
        .post("/officer/account/two-factor/set-up")
        .type("form")
        .send({ _csrf: csrfFrom(page.text), code });
    };
    const wrong = await send(codeAt(secret, t.clock.now, 3));
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("govuk-error-summary");
    expect(codeValue(wrong.text) ?? "").toBe("");
    expect(secretFromPage(wrong.text)).toBe(secret);
    expect((await send("12345")).text).toContain("The code must be 6 digits");
    const id = t.db
      .prepare("SELECT id FROM officers WHERE email = 'officer@example.gov.uk'")
      .pluck()
      .get() as number;
    expect(t.services.twoFactor.isOn(id)).toBe(false);

    const on = await send(codeAt(secret, t.clock.now));
    expect(on.status).toBe(200);
    const codes = [...on.text.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map(
      (m) => m[1],
    );
    expect(codes).toHaveLength(10);
    // The key is never shown again.
    const after = await agent.get("/officer/account/two-factor/set-up");
    expect(after.status).toBe(303);
    const status = await agent.get("/officer/account/two-factor").expect(200);
    expect(status.text).toContain("Two-factor sign-in is <strong>on</strong>");
    expect(status.text).not.toContain(secret);
    expect(t.services.twoFactor.isOn(id)).toBe(true);
    expect(trail(t, "two-factor-on")).toEqual([
      { officer_email: "officer@example.gov.uk", subject: null, detail: "" },
    ]);
  });

  it("turns off only with the password and a code, each error in the summary", async () => {
    const t = buildTestApp();
    const { secret, officer, send } = await signedInWithTwoFactor(t, "/officer/account/two-factor/off");
    const blank = await send("", "");
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('href="#password"');
    expect(blank.text).toContain('href="#code"');
    const badPassword = await send("not the password at all", codeAt(secret, t.clock.now));
    expect(badPassword.text).toContain("Your password is not right");
    expect((await send(PASSWORD, "000000")).status).toBe(400);
    expect(t.services.twoFactor.isOn(officer.id)).toBe(true);
    const done = await send(PASSWORD, codeAt(secret, t.clock.now));
    expect(done.status).toBe(303);
    expect(t.services.twoFactor.isOn(officer.id)).toBe(false);
    expect(trail(t, "two-factor-off")).toEqual([
      { officer_email: EMAIL, subject: null, detail: "With a code" },
    ]);
    // From now on the password alone signs in.
    expect((await postSignIn(request.agent(t.app), EMAIL, PASSWORD)).headers.location).toBe("/officer");
  });

  it("gives new recovery codes for the password and a code; the old ones stop working", async () => {
    const t = buildTestApp();
    const { secret, recoveryCodes, send } = await signedInWithTwoFactor(
      t,
      "/officer/account/two-factor/recovery-codes",
    );
    const blank = await send("", "");
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('href="#renew-password"');
    expect(blank.text).toContain('href="#renew-code"');
    expect((await send("not the password at all", codeAt(secret, t.clock.now))).text).toContain(
      "Your password is not right",
    );
    expect((await send(PASSWORD, "000000")).status).toBe(400);

    // With a recovery code (spent by it): ten new codes, shown once.
    const renewed = await send(PASSWORD, recoveryCodes[0] ?? "");
    expect(renewed.status).toBe(200);
    expect(renewed.text).toContain("Your old recovery codes no longer work");
    const fresh = [...renewed.text.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1] ?? "");
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => recoveryCodes.includes(c))).toBe(false);
    expect(t.services.twoFactor.recoveryCodesLeft(1)).toBe(10);
    expect(trail(t, "two-factor-recovery-renewed")).toEqual([
      { officer_email: EMAIL, subject: null, detail: "With a recovery code" },
    ]);

    // An old code no longer signs in; a new one does.
    const old = request.agent(t.app);
    await postSignIn(old, EMAIL, PASSWORD);
    expect((await postCode(old, recoveryCodes[1] ?? "")).status).toBe(401);
    const next = request.agent(t.app);
    await postSignIn(next, EMAIL, PASSWORD);
    expect((await postCode(next, fresh[0] ?? "")).headers.location).toBe("/officer");
  });

  it("lets an admin reset a colleague's two-factor sign-in, audited, and nobody else", async () => {
    const t = buildTestApp();
    const { officer } = await withTwoFactor(t);
    const other = await signedInAs(t, "editor");
    const page = await other.get("/officer");
    await other
      .post(`/officer/accounts/${officer.id}/two-factor/reset`)
      .type("form")
      .send({ _csrf: csrfFrom(page.text) })
      .expect(403);
    await addOfficer(t, "admin", "admin2@example.gov.uk");
    const admin = await signIn(request.agent(t.app), "admin2@example.gov.uk");
    // The accounts list says whose two-factor sign-in is on.
    const twoFactorOf = async (email: string) => {
      const list = (await admin.get("/officer/accounts").expect(200)).text;
      const row = list.split("<tr").find((r) => r.includes(email)) ?? "";
      return [...row.matchAll(/<td class="govuk-table__cell">\s*(On|Off)\s*<\/td>/g)].map((m) => m[1]);
    };
    expect(await twoFactorOf(EMAIL)).toEqual(["On"]);
    expect(await twoFactorOf("admin2@example.gov.uk")).toEqual(["Off"]);
    const account = await admin.get(`/officer/accounts/${officer.id}`).expect(200);
    expect(account.text).toContain("Reset two-factor sign-in");
    const reset = await admin
      .post(`/officer/accounts/${officer.id}/two-factor/reset`)
      .type("form")
      .send({ _csrf: csrfFrom(account.text) });
    expect(reset.status).toBe(303);
    expect((await admin.get(reset.headers.location ?? "")).text).toContain("Two-factor sign-in reset");
    expect(await twoFactorOf(EMAIL)).toEqual(["Off"]);
    expect(trail(t, "two-factor-reset")).toEqual([
      { officer_email: "admin2@example.gov.uk", subject: EMAIL, detail: "" },
    ]);
    expect((await postSignIn(request.agent(t.app), EMAIL, PASSWORD)).headers.location).toBe("/officer");
    const shown = await admin.get("/officer/audit").expect(200);
    expect(shown.text).toContain("Reset two-factor sign-in");
  });
});
