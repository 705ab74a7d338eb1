import { rateLimit } from "express-rate-limit";

/** Limit answer posts per client address, so one machine cannot flood a consultation. */
export function answerRateLimit(perMinute: number) {
  return perAddressPerMinute(perMinute);
}

/**
 * Limit public report requests per client address. A report is built once and kept until its
 * answers or entries change, but each change makes the next request build it again: the limit keeps
 * one machine from making the server do that over and over.
 */
export function reportRateLimit(perMinute: number) {
  return perAddressPerMinute(perMinute);
}

function perAddressPerMinute(perMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    // The draft-7 headers (RateLimit: limit=, remaining=, reset=). The draft-8 form adds a partition
    // key, a SHA-256 of the client's address computed on every request, which no browser reads.
    standardHeaders: "draft-7",
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).render("errors/too-many", { title: "Too many requests" });
    },
  });
}
