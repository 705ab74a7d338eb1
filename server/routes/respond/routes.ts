import type { RequestHandler } from "express";
import { Router } from "express";
import type { Services } from "../../services/index.js";
import { showCheck, submit } from "./check/controller.js";
import { showConfirmation } from "./confirmation/controller.js";
import { showConsultation, startResponse } from "./consultation/controller.js";
import { showDocuments } from "./consultation/documents.js";
import { showFile } from "./consultation/files.js";
import { hub } from "./hub/controller.js";
import { showPublishedResponses } from "./published/controller.js";
import { savePage, showPage } from "./questionnaire/controller.js";
import { showPublicReport } from "./report/controller.js";
import type { PublicReportPages } from "./report/public-page.js";
import { resume, saveForLater, showResume, showSave } from "./save/controller.js";

/** The public pages: the hub, each consultation, its questionnaire and confirmation. */
export function respondRoutes(
  services: Services,
  opts: {
    secureCookies: boolean;
    publicUrl: string;
    answerLimit: RequestHandler;
    reportLimit: RequestHandler;
    /** The public report pages, kept as HTML (and built in workers when the database is a file). */
    publicReports?: PublicReportPages;
  },
) {
  const router = Router();
  router.get("/", hub(services));
  router.get("/consultations/:slug", showConsultation(services));
  router.get("/consultations/:slug/documents", showDocuments(services));
  router.get("/consultations/:slug/files/:id", showFile(services));
  router.post("/consultations/:slug/start", opts.answerLimit, startResponse(services, opts.secureCookies));
  router.get("/consultations/:slug/respond/:pageId", showPage(services));
  router.post("/consultations/:slug/respond/:pageId", opts.answerLimit, savePage(services));
  router.get("/consultations/:slug/save", showSave(services));
  router.post("/consultations/:slug/save", opts.answerLimit, saveForLater(services, opts));
  router.get("/consultations/:slug/resume", opts.answerLimit, showResume(services));
  router.post("/consultations/:slug/resume", opts.answerLimit, resume(services, opts));
  router.get("/consultations/:slug/check", showCheck(services));
  router.post("/consultations/:slug/submit", opts.answerLimit, submit(services));
  router.get("/consultations/:slug/confirmation", showConfirmation(services));
  router.get("/consultations/:slug/report", opts.reportLimit, showPublicReport(services, opts));
  router.get("/consultations/:slug/published-responses", opts.reportLimit, showPublishedResponses(services));
  return router;
}
