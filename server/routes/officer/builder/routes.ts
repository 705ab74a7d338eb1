import type { RequestHandler, Router } from "express";
import { requireOfficer } from "../../../middleware/officer-session.js";
import { MAX_DOCUMENT_BYTES } from "../../../services/consultation-files.js";
import type { Services } from "../../../services/index.js";
import { readUpload } from "../responses-csv/upload.js";
import { create, showCreate } from "./create/controller.js";
import { saveDetails, showDetails } from "./details/controller.js";
import { addDocument, documentTooLarge, removeDocument, showDocuments } from "./documents/controller.js";
import { showOverview } from "./overview/controller.js";
import { addPage, deletePageAction, movePageAction, savePageForm, showPageForm } from "./pages/controller.js";
import { addPaired, savePaired, showNewPaired, showPaired } from "./paired/controller.js";
import { savePublication, showPublication } from "./publication/controller.js";
import {
  addQuestion,
  deleteQuestionAction,
  moveQuestionAction,
  reorderAction,
  saveQuestion,
  showNewQuestion,
  showQuestion,
} from "./questions/controller.js";
import { BUILDER_ROLES } from "./roles.js";
import { addScale, showScales } from "./scales/controller.js";
import {
  exportDefinition,
  importDefinition,
  importTooLarge,
  MAX_DEFINITION_BYTES,
  showImport,
} from "./transfer/controller.js";

/**
 * The consultation builder, for admins and editors. Every save goes through saveDefinition
 * (./save.ts): the schema `definition load` uses, then the same service.
 */
export function builderPages(router: Router, services: Services, csrfProtection: RequestHandler): void {
  const builders = requireOfficer(BUILDER_ROLES);
  const at = "/consultations/:slug/build";
  router.get("/create", builders, showCreate(services));
  router.post("/create", builders, create(services));
  router.get(at, builders, showOverview(services));
  router.get(`${at}/definition.json`, builders, exportDefinition(services));
  router.get(`${at}/import`, builders, showImport(services));
  // Officer and role first, then the multipart body, then the CSRF token that was in it.
  router.post(
    `${at}/import`,
    builders,
    readUpload(importTooLarge(services), MAX_DEFINITION_BYTES),
    csrfProtection,
    importDefinition(services),
  );
  router.get(`${at}/documents`, builders, showDocuments(services));
  router.post(
    `${at}/documents`,
    builders,
    readUpload(documentTooLarge(services), MAX_DOCUMENT_BYTES),
    csrfProtection,
    addDocument(services),
  );
  router.post(`${at}/documents/:index/delete`, builders, removeDocument(services));
  router.get(`${at}/details`, builders, showDetails(services));
  router.post(`${at}/details`, builders, saveDetails(services));
  router.post(`${at}/pages`, builders, addPage(services));
  router.post(`${at}/order`, builders, reorderAction(services));
  router.get(`${at}/publication`, builders, showPublication(services));
  router.post(`${at}/publication`, builders, savePublication(services));
  router.get(`${at}/pages/:page`, builders, showPageForm(services));
  router.post(`${at}/pages/:page`, builders, savePageForm(services));
  router.post(`${at}/pages/:page/move`, builders, movePageAction(services));
  router.post(`${at}/pages/:page/delete`, builders, deletePageAction(services));
  router.get(`${at}/pages/:page/questions/new`, builders, showNewQuestion(services));
  router.post(`${at}/pages/:page/questions`, builders, addQuestion(services));
  router.get(`${at}/questions/:question`, builders, showQuestion(services));
  router.post(`${at}/questions/:question`, builders, saveQuestion(services));
  router.post(`${at}/questions/:question/move`, builders, moveQuestionAction(services));
  router.post(`${at}/questions/:question/delete`, builders, deleteQuestionAction(services));
  router.get(`${at}/scales`, builders, showScales(services));
  router.post(`${at}/scales`, builders, addScale(services));
  router.get(`${at}/paired/new`, builders, showNewPaired(services));
  router.post(`${at}/paired`, builders, addPaired(services));
  router.get(`${at}/paired/:set`, builders, showPaired(services));
  router.post(`${at}/paired/:set`, builders, savePaired(services));
}
