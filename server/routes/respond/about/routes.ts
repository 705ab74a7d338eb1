import { Router } from "express";
import type { PublicPagesConfig } from "../../../config.js";
import { cookiesUsed } from "./cookies-used.js";

/**
 * The pages a council's public service must have: the privacy notice, the cookies page and the
 * accessibility statement, their facts taken from configuration (server/config.ts).
 */
export function aboutRoutes(opts: {
  secureCookies: boolean;
  pages: PublicPagesConfig;
  publicUrl: string;
  mailOffered: boolean;
}) {
  const router = Router();
  const common = { about: opts.pages, publicUrl: opts.publicUrl, mailOffered: opts.mailOffered };
  router.get("/privacy", (_req, res) =>
    res.render("respond/privacy", { title: "Privacy notice", ...common }),
  );
  router.get("/cookies", (_req, res) =>
    res.render("respond/cookies", { title: "Cookies", cookies: cookiesUsed(opts.secureCookies), ...common }),
  );
  router.get("/accessibility", (_req, res) =>
    res.render("respond/accessibility", { title: "Accessibility statement", ...common }),
  );
  return router;
}
