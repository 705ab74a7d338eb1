import request from "supertest";
import type { OfficerRole } from "../../server/services/officers.js";
import { csrfFrom, type TestApp } from "./app.js";

export type Agent = ReturnType<typeof request.agent>;

export const PASSWORD = "correct horse battery staple";

/** Add an officer account straight through the service (as the accounts page would). */
export async function addOfficer(
  t: TestApp,
  role: OfficerRole = "officer",
  email = `${role}@example.gov.uk`,
  password = PASSWORD,
) {
  return t.services.officers.create({ email, name: `Test ${role}`, role, password });
}

/** Open the sign-in page (for its CSRF token) and post the credentials; returns the POST's response. */
export async function postSignIn(agent: Agent, email: string, password: string, next?: string) {
  const path = next ? `/officer/sign-in?next=${encodeURIComponent(next)}` : "/officer/sign-in";
  const page = await agent.get(path);
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: csrfFrom(page.text), email, password });
}

/** Sign a browser in, failing the test unless the sign-in succeeds. */
export async function signIn(agent: Agent, email: string, password = PASSWORD): Promise<Agent> {
  const res = await postSignIn(agent, email, password);
  if (res.status !== 303) throw new Error(`Sign-in as ${email} answered ${res.status}, not 303`);
  return agent;
}

/** A new browser, signed in as a new officer with this role. */
export async function signedInAs(t: TestApp, role: OfficerRole = "officer"): Promise<Agent> {
  const officer = await addOfficer(t, role);
  return signIn(request.agent(t.app), officer.email);
}

/** The value a browser keeps for a cookie a response sets (the last Set-Cookie wins), or undefined. */
export function setCookie(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const raw = res.headers["set-cookie"];
  const list = Array.isArray(raw) ? raw : typeof raw === "string" ? [raw] : [];
  let value: string | undefined;
  for (const c of list) {
    if (typeof c !== "string") continue;
    const [pair] = c.split(";");
    const eq = pair?.indexOf("=") ?? -1;
    if (pair && eq > 0 && pair.slice(0, eq) === name) value = decodeURIComponent(pair.slice(eq + 1));
  }
  return value;
}
