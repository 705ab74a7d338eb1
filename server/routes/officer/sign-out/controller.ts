import type { Request, Response } from "express";
import {
  SESSION_COOKIE,
  SIGN_IN_PATH,
  sessionCookieOptions,
  sessionToken,
} from "../../../middleware/officer-session.js";
import type { Services } from "../../../services/index.js";

/** End the session on the server and in the browser. Signing out twice does no harm. */
export function signOut(services: Services, secureCookies: boolean) {
  return (req: Request, res: Response) => {
    const token = sessionToken(req);
    if (token) services.officers.signOut(token);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(secureCookies));
    res.redirect(303, `${SIGN_IN_PATH}?signed-out=1`);
  };
}
