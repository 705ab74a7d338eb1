import type { Request, Response } from "express";
import {
  currentOfficer,
  SIGN_IN_PATH,
  sessionCookieName,
  sessionCookieOptions,
  sessionToken,
} from "../../../middleware/officer-session.js";
import type { Services } from "../../../services/index.js";

/** End the session on the server and in the browser. Signing out twice does no harm. */
export function signOut(services: Services, secureCookies: boolean) {
  return (req: Request, res: Response) => {
    const token = sessionToken(req, secureCookies);
    const officer = currentOfficer(res);
    if (officer) services.audit.record({ id: officer.id, email: officer.email }, "sign-out");
    if (token) services.officers.signOut(token);
    res.clearCookie(sessionCookieName(secureCookies), sessionCookieOptions(secureCookies));
    res.redirect(303, `${SIGN_IN_PATH}?signed-out=1`);
  };
}
