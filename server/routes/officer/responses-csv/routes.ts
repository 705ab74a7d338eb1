import type { RequestHandler, Router } from "express";
import { requireOfficer } from "../../../middleware/officer-session.js";
import type { Services } from "../../../services/index.js";
import {
  downloadResponses,
  downloadTemplate,
  importResponses,
  showImport,
  uploadTooLarge,
} from "./controller.js";
import { tempFileStorage } from "./temp-upload.js";
import { MAX_UPLOAD_BYTES, readUpload } from "./upload.js";

/** Raw responses out (download) and in (upload), for admins and analysts. */
export function responsesCsvPages(router: Router, services: Services, csrfProtection: RequestHandler): void {
  const analysts = requireOfficer(["admin", "analyst"]);
  router.get("/consultations/:slug/export/responses.csv", analysts, downloadResponses(services));
  router.get("/consultations/:slug/import", analysts, showImport(services));
  router.get("/consultations/:slug/import/template.csv", analysts, downloadTemplate(services));
  // Officer and role first, then the multipart body, then the CSRF token that was in it.
  router.post(
    "/consultations/:slug/import",
    analysts,
    readUpload(uploadTooLarge(services), MAX_UPLOAD_BYTES, tempFileStorage()),
    csrfProtection,
    importResponses(services),
  );
}
