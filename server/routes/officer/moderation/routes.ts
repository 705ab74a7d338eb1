import type { Router } from "express";
import { requireOfficer } from "../../../middleware/officer-session.js";
import type { Services } from "../../../services/index.js";
import { decideQueue, saveEdit, showEdit, showModeration, showQueue } from "./controller.js";

/**
 * Moderation before publishing (issue 11), for the officers who publish reports (admins and
 * analysts): each question's queue of comments, and one comment's redaction.
 */
export function moderationPages(router: Router, services: Services): void {
  const publishers = requireOfficer(["admin", "analyst"]);
  router.get("/consultations/:slug/moderation", publishers, showModeration(services));
  router.get("/consultations/:slug/moderation/:question", publishers, showQueue(services));
  router.post("/consultations/:slug/moderation/:question", publishers, decideQueue(services));
  router.get("/consultations/:slug/moderation/:question/:comment", publishers, showEdit(services));
  router.post("/consultations/:slug/moderation/:question/:comment", publishers, saveEdit(services));
}
