import { clientCookieName } from "../../../middleware/client-id.js";
import { csrfCookieName } from "../../../middleware/csrf.js";
import { sessionCookieName, twoFactorCookieName } from "../../../middleware/officer-session.js";
import { draftCookie } from "../context.js";

export interface CookieUse {
  /** The name as the browser stores it; a draft cookie ends in the consultation's short name. */
  name: string;
  /** True when `name` is a prefix (one cookie per consultation). */
  perConsultation: boolean;
  purpose: string;
  expires: string;
}

/**
 * Every cookie the service sets, named by the same functions that set them, so the cookies page
 * cannot drift from the Set-Cookie headers (tests/http/public-pages.test.ts compares the two).
 */
export function cookiesUsed(secure: boolean): CookieUse[] {
  return [
    {
      name: clientCookieName(secure),
      perConsultation: false,
      purpose:
        "A random number that ties the security check on each form to your browser, so nobody else can send a form in your name.",
      expires: "When you close your browser",
    },
    {
      name: csrfCookieName(secure),
      perConsultation: false,
      purpose:
        "Checks that a form you send was one we gave you (protection against cross-site request forgery).",
      expires: "When you close your browser",
    },
    {
      name: draftCookie(""),
      perConsultation: true,
      purpose:
        "Keeps your answers to one consultation together while you move between its pages. It holds a random code, not your answers.",
      expires: "When you close your browser",
    },
    {
      name: sessionCookieName(secure),
      perConsultation: false,
      purpose: "Council officers only: keeps an officer signed in.",
      expires: "When the officer signs out, closes the browser or is inactive for a while",
    },
    {
      name: twoFactorCookieName(secure),
      perConsultation: false,
      purpose:
        "Council officers with two-factor sign-in only: remembers, between the password and the code, whose code is being asked for.",
      expires: "When the code is accepted, or after 5 minutes",
    },
  ];
}
