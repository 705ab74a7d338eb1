import request from "supertest";
import { describe, expect, it } from "vitest";
import { buildTestApp, csrfFrom, type TestApp } from "../support/app.js";
import { type Agent, addOfficer, PASSWORD, postSignIn, signedInAs, signIn } from "../support/officer.js";

/** Issue 12, item 6: an admin resets a colleague's password and removes a leaver; officers change their own. */
async function postForm(agent: Agent, page: string, action: string, fields: Record<string, string> = {}) {
  const form = await agent.get(page);
  return agent
    .post(action)
    .type("form")
    .send({ _csrf: csrfFrom(form.text), ...fields });
}

const actions = (t: TestApp) =>
  t.db
    .prepare(
      "SELECT action, subject FROM audit_events WHERE action LIKE 'account-%' OR action = 'password-changed' ORDER BY id",
    )
    .all();

describe("managing accounts", () => {
  it("resets a colleague's password with a one-time set-up link, shown once", async () => {
    const t = buildTestApp();
    const colleague = await addOfficer(t, "officer", "sam@example.gov.uk");
    const samBrowser = await signIn(request.agent(t.app), "sam@example.gov.uk");
    const admin = await signedInAs(t, "admin");
    const page = `/officer/accounts/${colleague.id}`;
    const reset = await postForm(admin, page, `${page}/reset`);
    expect(reset.status).toBe(200);
    const link =
      /<code class="app-set-up-link" id="set-up-link">[^<]*(\/officer\/set-up\/[A-Za-z0-9_-]+)<\/code>/.exec(
        reset.text,
      )?.[1];
    expect(link).toBeDefined();
    // The old password no longer works, and Sam was signed out.
    await samBrowser.get("/officer").expect(303);
    expect((await postSignIn(request.agent(t.app), "sam@example.gov.uk", PASSWORD)).status).toBe(401);
    // The link is not shown again anywhere.
    expect((await admin.get(page)).text).not.toContain(String(link));

    const sam = request.agent(t.app);
    const setUpPage = await sam.get(String(link)).expect(200);
    const weak = await sam
      .post(String(link))
      .type("form")
      .send({ _csrf: csrfFrom(setUpPage.text), password: "password1234", confirm: "password1234" });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain("There is a problem");
    const fresh = "a brand new long passphrase";
    const done = await sam
      .post(String(link))
      .type("form")
      .send({ _csrf: csrfFrom(setUpPage.text), password: fresh, confirm: fresh });
    expect(done.status).toBe(303);
    await signIn(request.agent(t.app), "sam@example.gov.uk", fresh);
    // Once only.
    await request(t.app).get(String(link)).expect(404);
    expect(actions(t)).toEqual([
      { action: "account-password-reset", subject: "sam@example.gov.uk" },
      { action: "password-changed", subject: null },
    ]);
  });

  it("disables and re-enables an account, changes its role, and removes a leaver", async () => {
    const t = buildTestApp();
    const leaver = await addOfficer(t, "analyst", "leaver@example.gov.uk");
    const leaverBrowser = await signIn(request.agent(t.app), "leaver@example.gov.uk");
    const admin = await signedInAs(t, "admin");
    const page = `/officer/accounts/${leaver.id}`;

    expect((await postForm(admin, page, `${page}/disable`)).status).toBe(303);
    await leaverBrowser.get("/officer").expect(303);
    expect((await postSignIn(request.agent(t.app), "leaver@example.gov.uk", PASSWORD)).status).toBe(401);
    expect((await postForm(admin, page, `${page}/enable`)).status).toBe(303);
    await signIn(request.agent(t.app), "leaver@example.gov.uk");

    expect((await postForm(admin, page, `${page}/role`, { role: "editor" })).status).toBe(303);
    expect(t.services.officers.find(leaver.id)?.role).toBe("editor");
    const badRole = await postForm(admin, page, `${page}/role`, { role: "owner" });
    expect(badRole.status).toBe(400);
    expect(badRole.text).toContain('href="#role"');

    const removed = await postForm(admin, `${page}/remove`, `${page}/remove`);
    expect(removed.status).toBe(303);
    expect(t.services.officers.find(leaver.id)).toBeUndefined();
    const list = await admin.get(String(removed.headers.location)).expect(200);
    expect(list.text).toContain("Account removed for leaver@example.gov.uk.");
    expect(actions(t)).toEqual([
      { action: "account-disabled", subject: "leaver@example.gov.uk" },
      { action: "account-enabled", subject: "leaver@example.gov.uk" },
      { action: "account-role-changed", subject: "leaver@example.gov.uk" },
      { action: "account-removed", subject: "leaver@example.gov.uk" },
    ]);
  });

  it("keeps an admin who can sign in, and lets only admins manage accounts", async () => {
    const t = buildTestApp();
    const admin = await signedInAs(t, "admin");
    const me = t.services.officers.list().find((o) => o.email === "admin@example.gov.uk");
    if (!me) throw new Error("no admin");
    // The demo's own admin is there too: disable it, then this admin is the only one left.
    const others = t.services.officers.list().filter((o) => o.role === "admin" && o.id !== me.id);
    for (const o of others)
      expect(
        (await postForm(admin, `/officer/accounts/${o.id}`, `/officer/accounts/${o.id}/disable`)).status,
      ).toBe(303);
    const self = await postForm(admin, `/officer/accounts/${me.id}`, `/officer/accounts/${me.id}/remove`);
    expect(self.status).toBe(400);
    expect(self.text).toContain("You cannot change your own account here");
    const officer = await signedInAs(t, "officer");
    await officer.get(`/officer/accounts/${me.id}`).expect(403);
  });

  it("lets every officer change their own password, checking the current one", async () => {
    const t = buildTestApp();
    const analyst = await signedInAs(t, "analyst");
    const page = "/officer/account/password";
    const wrong = await postForm(analyst, page, page, {
      current: "not it at all",
      password: "another long passphrase",
      confirm: "another long passphrase",
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("Your current password is not right");
    const mismatch = await postForm(analyst, page, page, {
      current: PASSWORD,
      password: "another long passphrase",
      confirm: "another long passphrasE",
    });
    expect(mismatch.text).toContain("The passwords do not match");
    const ok = await postForm(analyst, page, page, {
      current: PASSWORD,
      password: "another long passphrase",
      confirm: "another long passphrase",
    });
    expect(ok.status).toBe(303);
    await signIn(request.agent(t.app), "analyst@example.gov.uk", "another long passphrase");
    expect(actions(t)).toEqual([{ action: "password-changed", subject: null }]);
  });
});
