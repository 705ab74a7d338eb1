import type { Request, Response, Router } from "express";
import { mergePageAnswers } from "../../../../analysis/answers.js";
import { proposalsHtml } from "../../../markdown.js";
import { currentOfficer, requireOfficer } from "../../../middleware/officer-session.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { showCheckAnswers } from "../../respond/check/controller.js";
import { consultationOr404 } from "../../respond/context.js";
import {
  type AnswerStore,
  answerQuestionPage,
  showQuestionPage,
} from "../../respond/questionnaire/controller.js";
import { BUILDER_ROLES } from "../builder/roles.js";
import { builderPath } from "../builder/save.js";
import { PreviewAnswers } from "./store.js";

const previewPath = (slug: string) => `/officer/consultations/${slug}/preview`;

/**
 * A consultation as a respondent will see it, whatever its dates or stage: the respondent's own
 * templates and page logic, with answers held in memory (./store.ts) instead of a draft, and
 * nothing sent at the end.
 */
export function previewPages(router: Router, services: Services): void {
  const held = new PreviewAnswers();
  const builders = requireOfficer(BUILDER_ROLES);
  const at = "/consultations/:slug/preview";

  /** The consultation shown as open, with the preview banner on every page. */
  const previewing = (req: Request, res: Response): ConsultationSummary => {
    const consultation = consultationOr404(services, req);
    res.locals.preview = { builderHref: builderPath(consultation.slug) };
    return { ...consultation, status: "open" };
  };
  const keyOf = (res: Response, slug: string) => `${currentOfficer(res)?.id ?? 0}:${slug}`;
  const storeFor = (res: Response, consultation: ConsultationSummary): AnswerStore => {
    const key = keyOf(res, consultation.slug);
    return {
      base: previewPath(consultation.slug),
      answers: held.get(key),
      save: (ids, pageAnswers) => {
        const kept = mergePageAnswers(consultation.definition, held.get(key), ids, pageAnswers);
        held.set(key, kept);
        return kept;
      },
    };
  };

  router.get(at, builders, (req, res) => {
    const consultation = previewing(req, res);
    res.render("respond/consultation", {
      title: consultation.title,
      consultation,
      definition: consultation.definition,
      proposals: proposalsHtml(consultation.definition),
      inProgress: false,
      submittedReference: undefined,
      startAction: `${previewPath(consultation.slug)}/start`,
      backHref: builderPath(consultation.slug),
    });
  });
  router.post(`${at}/start`, builders, (req, res) => {
    const consultation = previewing(req, res);
    held.clear(keyOf(res, consultation.slug));
    res.redirect(303, `${previewPath(consultation.slug)}/respond/${consultation.definition.pages[0]?.id}`);
  });
  router.get(`${at}/respond/:pageId`, builders, (req, res) => {
    const consultation = previewing(req, res);
    showQuestionPage(req, res, consultation, storeFor(res, consultation));
  });
  router.post(`${at}/respond/:pageId`, builders, (req, res) => {
    const consultation = previewing(req, res);
    answerQuestionPage(req, res, consultation, storeFor(res, consultation));
  });
  router.get(`${at}/check`, builders, (req, res) => {
    const consultation = previewing(req, res);
    showCheckAnswers(
      res,
      consultation,
      held.get(keyOf(res, consultation.slug)),
      previewPath(consultation.slug),
    );
  });
  router.post(`${at}/submit`, builders, (req, res) => {
    const consultation = previewing(req, res);
    held.clear(keyOf(res, consultation.slug));
    res.render("officer/preview-end", {
      title: "End of the preview",
      consultation,
      builderHref: builderPath(consultation.slug),
      previewHref: previewPath(consultation.slug),
    });
  });
}
