import type { Request, Response, Router } from "express";
import { mergePageAnswers } from "../../../../analysis/answers.js";
import { proposalsHtml } from "../../../markdown.js";
import { HttpError } from "../../../middleware/errors.js";
import { currentOfficer, requireOfficer } from "../../../middleware/officer-session.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { showCheckAnswers } from "../../respond/check/controller.js";
import { submitFormSchema } from "../../respond/check/schema.js";
import { consultationOr404 } from "../../respond/context.js";
import {
  type AnswerStore,
  answerQuestionPage,
  showQuestionPage,
} from "../../respond/questionnaire/controller.js";
import { saveFormSchema } from "../../respond/save/schema.js";
import { BUILDER_ROLES } from "../builder/roles.js";
import { builderPath } from "../builder/save.js";
import { PreviewAnswers } from "./store.js";

const previewPath = (slug: string) => `/officer/consultations/${slug}/preview`;

/**
 * A consultation as a respondent will see it, whatever its dates or stage: the respondent's own
 * templates and page logic, with answers held in memory (./store.ts) instead of a draft, and
 * nothing sent at the end. "Save and come back later" and the receipt question are there as
 * respondents see them (with e-mail offered only when the service can send it), and checked the
 * same way, but inert: no code is made, nothing is stored and nothing is mailed, and the pages say so.
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
      saveForLater: true,
    };
  };
  /** The page the officer was on, if it is one of the questionnaire's; else the first. */
  const fromPage = (consultation: ConsultationSummary, from: unknown) =>
    consultation.definition.pages.find((p) => p.id === from) ?? consultation.definition.pages[0];
  const receiptNote =
    "Preview: respondents see this question. In a preview no receipt is sent, whatever you type.";
  const saveNote =
    "Preview: this is the page respondents see. In a preview nothing is saved, no link is made and no email is sent.";
  const renderSave = (
    res: Response,
    consultation: ConsultationSummary,
    from: string | undefined,
    email: string,
    errors: { field: string; text: string }[],
  ) =>
    res.status(errors.length > 0 ? 400 : 200).render("respond/save", {
      title: "Save your answers and come back later",
      consultation,
      backHref: `${previewPath(consultation.slug)}/respond/${from}`,
      action: `${previewPath(consultation.slug)}/save`,
      from,
      mailOffered: services.mail.enabled,
      values: { email },
      errors,
      previewNote: saveNote,
    });

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
    return answerQuestionPage(req, res, consultation, storeFor(res, consultation));
  });
  router.get(`${at}/check`, builders, (req, res) => {
    const consultation = previewing(req, res);
    showCheckAnswers(
      res,
      consultation,
      held.get(keyOf(res, consultation.slug)),
      previewPath(consultation.slug),
      { mailOffered: services.mail.enabled, email: "", previewNote: receiptNote },
    );
  });
  // "Save and come back later": the respondent's page and its checks, with nothing saved or sent.
  router.get(`${at}/save`, builders, (req, res) => {
    const consultation = previewing(req, res);
    renderSave(res, consultation, fromPage(consultation, req.query.from)?.id, "", []);
  });
  router.post(`${at}/save`, builders, (req, res) => {
    const consultation = previewing(req, res);
    const from = fromPage(consultation, (req.body as Record<string, unknown> | undefined)?.from)?.id;
    const form = saveFormSchema.safeParse(req.body ?? {});
    if (!form.success) {
      const bad = form.error.issues.find((i) => i.path[0] === "email");
      if (!bad) throw new HttpError(400, "The form held fields this page does not ask for");
      const typed = typeof req.body?.email === "string" ? String(req.body.email) : "";
      return renderSave(res, consultation, from, typed, [{ field: "email", text: bad.message }]);
    }
    res.render("respond/saved", {
      title: "Your answers have been saved",
      consultation,
      link: "(in a preview no link is made: a respondent sees their own one-time link here)",
      email: services.mail.enabled && form.data.email ? form.data.email : null,
      continueHref: `${previewPath(consultation.slug)}/respond/${from}`,
      previewNote:
        "Preview: this is the page respondents see after saving. Nothing was saved and no email was sent.",
    });
  });
  router.post(`${at}/submit`, builders, (req, res) => {
    const consultation = previewing(req, res);
    // The receipt address is checked as it would be for a respondent, then forgotten.
    const form = submitFormSchema.safeParse(req.body ?? {});
    if (!form.success) {
      const bad = form.error.issues.find((i) => i.path[0] === "email");
      if (!bad) throw new HttpError(400, "The form held fields this page does not ask for");
      const typed = typeof req.body?.email === "string" ? String(req.body.email) : "";
      return showCheckAnswers(
        res,
        consultation,
        held.get(keyOf(res, consultation.slug)),
        previewPath(consultation.slug),
        { mailOffered: services.mail.enabled, email: typed, error: bad.message, previewNote: receiptNote },
      );
    }
    held.clear(keyOf(res, consultation.slug));
    res.render("officer/preview-end", {
      title: "End of the preview",
      consultation,
      builderHref: builderPath(consultation.slug),
      previewHref: previewPath(consultation.slug),
      receiptAsked: services.mail.enabled && Boolean(form.data.email),
    });
  });
}
