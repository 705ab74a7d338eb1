import { rateLimit } from "express-rate-limit";

/** Limit answer posts per client address, so one machine cannot flood a consultation. */
export function answerRateLimit(perMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).render("errors/too-many", { title: "Too many requests" });
    },
  });
}
