import request from "supertest";
import { describe, expect, it } from "vitest";
import { buildTestApp, csrfFrom } from "../support/app.js";
import { addOfficer, postSignIn, signedInAs, signIn } from "../support/officer.js";

/** Issue 12, item 6: an append-only audit trail that an admin can read and filter. */
describe("the audit trail", () => {
  it("records sign-ins, failed attempts and sign-outs, and an admin can filter them", async () => {
    const t = buildTestApp();
    await addOfficer(t, "officer", "jo@example.gov.uk");
    const browser = request.agent(t.app);
    expect((await postSignIn(browser, "jo@example.gov.uk", "not the password")).status).toBe(401);
    await signIn(browser, "jo@example.gov.uk");
    const home = await browser.get("/officer").expect(200);
    await browser
      .post("/officer/sign-out")
      .type("form")
      .send({ _csrf: csrfFrom(home.text) })
      .expect(303);

    const admin = await signedInAs(t, "admin");
    const all = await admin.get("/officer/audit").expect(200);
    expect(all.text).toContain("Failed sign-in");
    const mine = await admin.get("/officer/audit?officer=JO@example.gov.uk").expect(200);
    const rows = (mine.text.match(/<tr class="govuk-table__row">/g) ?? []).length - 1; // less the heading row
    expect(rows).toBe(3);
    for (const words of ["Failed sign-in", "Signed in", "Signed out"]) expect(mine.text).toContain(words);
    const failed = await admin.get("/officer/audit?action=sign-in-failed").expect(200);
    expect(failed.text).toContain("jo@example.gov.uk");
    expect((failed.text.match(/<tr class="govuk-table__row">/g) ?? []).length - 1).toBe(1);
    // The password typed is never recorded.
    expect(all.text).not.toContain("not the password");
  });

  it("is for admins only, and cannot be changed or deleted", async () => {
    const t = buildTestApp();
    for (const role of ["officer", "analyst", "editor"] as const)
      await (await signedInAs(t, role)).get("/officer/audit").expect(403);
    expect(t.db.prepare("SELECT count(*) FROM audit_events").pluck().get()).toBe(3);
    expect(() => t.db.prepare("UPDATE audit_events SET detail = 'x'").run()).toThrow(/append-only/);
    expect(() => t.db.prepare("DELETE FROM audit_events").run()).toThrow(/append-only/);
  });
});
