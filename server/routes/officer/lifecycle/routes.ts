import type { Router } from "express";
import { requireOfficer } from "../../../middleware/officer-session.js";
import type { Services } from "../../../services/index.js";
import { closeEarly, extendClosing, showManage, stageAction } from "./controller.js";

/** Publishing, extending, closing early, publishing results and archiving: editors and admins. */
export function lifecyclePages(router: Router, services: Services): void {
  const editors = requireOfficer(["admin", "editor"]);
  const base = "/consultations/:slug/manage";
  router.get(base, editors, showManage(services));
  router.post(`${base}/extend`, editors, extendClosing(services));
  router.post(`${base}/close`, editors, closeEarly(services));
  router.post(`${base}/publish`, editors, stageAction(services, "publish", "published"));
  router.post(
    `${base}/publish-results`,
    editors,
    stageAction(services, "publishResults", "results-published"),
  );
  router.post(`${base}/archive`, editors, stageAction(services, "archive", "archived"));
  router.post(`${base}/unarchive`, editors, stageAction(services, "unarchive", "unarchived"));
}
