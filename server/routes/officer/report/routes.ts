import type { Router } from "express";
import { requireOfficer } from "../../../middleware/officer-session.js";
import type { Services } from "../../../services/index.js";
import { saveWeDid, showWeDid } from "../we-did/controller.js";
import { showReport } from "./controller.js";

/**
 * The summary report (any officer may read it) and its "we asked, you said, we did" entries (written
 * by analysts and admins, who write the reports). Registered by officerPages, behind sign-in.
 */
export function reportPages(router: Router, services: Services): void {
  router.get("/consultations/:slug/report", showReport(services));
  router.get("/consultations/:slug/we-did", requireOfficer(["admin", "analyst"]), showWeDid(services));
  router.post("/consultations/:slug/we-did", requireOfficer(["admin", "analyst"]), saveWeDid(services));
}
