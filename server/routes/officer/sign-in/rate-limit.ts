import { ipKeyGenerator, rateLimit } from "express-rate-limit";

export interface SignInLimit {
  limit: number;
  windowMs: number;
}

/** 10 failed attempts per 15 minutes for one address and one email, then the 429 page. */
export const DEFAULT_SIGN_IN_LIMIT: SignInLimit = { limit: 10, windowMs: 15 * 60_000 };

/**
 * Limit password guessing per client address and email (OWASP: slow down online guessing without
 * locking the real officer out from elsewhere). Successful sign-ins do not count.
 * https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#login-throttling
 */
export function signInRateLimit({ limit, windowMs }: SignInLimit = DEFAULT_SIGN_IN_LIMIT) {
  return rateLimit({
    windowMs,
    limit,
    skipSuccessfulRequests: true,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req) => {
      const email: unknown = (req.body as Record<string, unknown> | undefined)?.email;
      const who = typeof email === "string" ? email.trim().toLowerCase().slice(0, 320) : "";
      return `${ipKeyGenerator(req.ip ?? "")}|${who}`;
    },
    handler: (_req, res) => {
      res.status(429).render("officer/too-many-attempts", { title: "Too many attempts to sign in" });
    },
  });
}
