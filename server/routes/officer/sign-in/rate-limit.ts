import type { Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";

export interface SignInLimit {
  /** Failed attempts one client address may make in a window, whatever emails it tries. */
  perAddress: number;
  /** Failed attempts on one email in a window, from whatever addresses. */
  perAccount: number;
  windowMs: number;
}

/** 20 failed attempts per address and 10 per account in 15 minutes, then the 429 page. */
export const DEFAULT_SIGN_IN_LIMIT: SignInLimit = { perAddress: 20, perAccount: 10, windowMs: 15 * 60_000 };

/**
 * The account an attempt is on: the email typed, or for a two-factor code the account whose
 * half-done sign-in it is (put in res.locals.signInAccount by the code route), so that wrong
 * codes and wrong passwords count together.
 */
const emailOf = (req: Request, res: Response) => {
  const account: unknown = res.locals.signInAccount;
  if (typeof account === "string") return account;
  const email: unknown = (req.body as Record<string, unknown> | undefined)?.email;
  return typeof email === "string" ? email.trim().toLowerCase().slice(0, 320) : "";
};

/**
 * Limit password guessing per client address and per account (OWASP: slow down online guessing).
 * Per address stops one machine trying a common password against many emails (password spraying:
 * issue 8 sent 300 emails from one address); per account stops many machines guessing one
 * officer's password. Successful sign-ins do not count, so a real officer is not locked out by
 * their own sign-ins.
 * https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#login-throttling
 */
export function signInRateLimits({
  perAddress,
  perAccount,
  windowMs,
}: SignInLimit = DEFAULT_SIGN_IN_LIMIT): RequestHandler[] {
  const common = {
    windowMs,
    skipSuccessfulRequests: true,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (_req: Request, res: Response) => {
      res.status(429).render("officer/too-many-attempts", { title: "Too many attempts to sign in" });
    },
  } as const;
  return [
    rateLimit({
      ...common,
      limit: perAddress,
      keyGenerator: (req) => `address|${ipKeyGenerator(req.ip ?? "")}`,
    }),
    rateLimit({ ...common, limit: perAccount, keyGenerator: (req, res) => `account|${emailOf(req, res)}` }),
  ];
}
