import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../support/app.js";
import { addOfficer, PASSWORD, postSignIn, signIn } from "../support/officer.js";
import { commercialResident, Respondent } from "../support/respondent.js";
import { turnOnTwoFactor } from "../support/two-factor.js";

const OPEN = "commercial-strategy-2018";

/** The app behind a recorder of every cookie name its responses set (from the Set-Cookie headers). */
function recording(t: TestApp): { t: TestApp; names: Set<string> } {
  const names = new Set<string>();
  const outer = express();
  outer.use((_req, res, next) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
      const raw = res.getHeader("set-cookie");
      for (const line of Array.isArray(raw) ? raw : raw ? [String(raw)] : [])
        names.add(line.slice(0, line.indexOf("=")));
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  });
  outer.use(t.app);
  return { t: { ...t, app: outer as unknown as TestApp["app"] }, names };
}

/** The cookie names the cookies page lists, read from its table's first column. */
async function listedCookies(t: TestApp): Promise<string[]> {
  const page = await request(t.app).get("/cookies").expect(200);
  return [...page.text.matchAll(/<th scope="row" class="govuk-table__header">([^<]+)<\/th>/g)].map((m) =>
    (m[1] ?? "").trim().replace("&lt;consultation&gt; (one for each consultation you answer)", "*"),
  );
}

describe("the cookies page", () => {
  it.each(["development", "production"] as const)(
    "lists exactly the cookies a respondent and an officer are sent (%s)",
    async (env) => {
      const { t, names } = recording(buildTestApp({ config: { env } }));
      // Over plain HTTP, supertest's agent would not send Secure cookies back: answer in development
      // only, and in production just collect what the first pages set.
      if (env === "development") {
        const resident = new Respondent(t, OPEN);
        await resident.start();
        for (const [pageId, fields] of Object.entries(commercialResident))
          await resident.answer(pageId, fields);
        expect((await resident.submit()).status).toBe(303);
        const officer = await addOfficer(t, "officer");
        await signIn(request.agent(t.app), officer.email);
        // An officer with two-factor sign-in is also sent the half-done sign-in's cookie.
        const second = await addOfficer(t, "analyst");
        turnOnTwoFactor(t, second);
        expect((await postSignIn(request.agent(t.app), second.email, PASSWORD)).status).toBe(303);
      } else {
        await request(t.app).get(`/consultations/${OPEN}`).expect(200);
      }
      const listed = await listedCookies(t);
      const matches = (name: string) =>
        listed.some((l) => (l.endsWith("*") ? name.startsWith(l.slice(0, -1)) : l === name));
      // Every cookie set is on the page...
      for (const name of names) expect(matches(name), `${name} is not on the cookies page`).toBe(true);
      // ...and in development, where the whole journey ran, every cookie on the page was set.
      if (env === "development")
        for (const l of listed)
          expect(
            [...names].some((n) => (l.endsWith("*") ? n.startsWith(l.slice(0, -1)) : n === l)),
            `${l} is listed but never set`,
          ).toBe(true);
      expect(names.size).toBeGreaterThan(0);
    },
  );
});

describe("the privacy notice, cookies page and accessibility statement", () => {
  it("name the data controller and the data protection officer from configuration", async () => {
    const t = buildTestApp({
      config: {
        publicPages: {
          ...buildTestApp().config.publicPages,
          dataController: "Rutland Borough Council",
          dpoName: "Alex Example",
          dpoEmail: "dpo@rutland.example",
          accessibilityEmail: "access@rutland.example",
          accessibilityTested: "2026-11-30",
          accessibilityIssues: ["Some charts in older PDF documents have no text alternative"],
        },
      },
    });
    const privacy = await request(t.app).get("/privacy").expect(200);
    expect(privacy.text).toContain("Rutland Borough Council is the data controller");
    expect(privacy.text).toContain("Alex Example");
    expect(privacy.text).toContain('href="mailto:dpo@rutland.example"');
    const statement = await request(t.app).get("/accessibility").expect(200);
    expect(statement.text).toContain("access@rutland.example");
    expect(statement.text).toContain("30 November 2026");
    expect(statement.text).toContain("partially compliant");
    expect(statement.text).toContain("Some charts in older PDF documents have no text alternative");
  });

  it("are linked from the footer of every page", async () => {
    const t = buildTestApp();
    for (const path of ["/", `/consultations/${OPEN}`, "/privacy", "/cookies", "/accessibility"]) {
      const page = await request(t.app).get(path).expect(200);
      const footer = page.text.slice(page.text.indexOf('<footer class="govuk-footer"'));
      for (const href of ["/privacy", "/cookies", "/accessibility"])
        expect(footer, `${path} footer links to ${href}`).toContain(`href="${href}"`);
    }
  });

  it("say no e-mail is sent when no SMTP server is configured, and what an address is used for when one is", async () => {
    const without = await request(buildTestApp().app).get("/privacy").expect(200);
    expect(without.text).toContain("does not send email");
    const withMail = await request(buildTestApp({ config: { smtpUrl: "smtp://127.0.0.1:2525" } }).app)
      .get("/privacy")
      .expect(200);
    expect(withMail.text).toContain("we delete the address with the unfinished response");
  });
});
