import type { Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { ThemeNotFoundError } from "../../../services/themes.js";
import { consultationOr404 } from "../../respond/context.js";
import { actor, pageNumber, type Refusal, renderWorkbench, workbenchPath } from "./controller.js";
import { queryString, readParams } from "./query.js";
import { acceptSchema, readScore, trainSchema } from "./schema.js";

/**
 * The workbench's suggestions panel: per theme, how many confirmed examples it has (and how many
 * more it needs), its suggestions, and how far the model agreed with the officers, with forms to
 * learn again now and to accept a theme's suggestions above a score. Opening the workbench starts
 * learning in the background when enough new coding has come in since the last model.
 */
export function suggestionLocals(
  services: Services,
  consultation: ConsultationSummary,
  questionId: string,
  refusal: Refusal,
) {
  services.suggestions.maybeRetrain(consultation);
  return {
    suggestions: services.suggestions.status(consultation, questionId),
    typedScore: refusal.typedScore,
    scoreError: refusal.errors.find((e) => e.field.startsWith("min-score-")),
  };
}

/** Learn from the coding now; the page says it is learning until the suggestions are stored. */
export function trainNow(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const parsed = trainSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, "Bad request");
    services.suggestions.train(consultation).catch(() => {
      // The failure is kept by the service and shown in the panel.
    });
    const question = String(req.params.question ?? "");
    const q = queryString(readParams(parsed.data));
    res.redirect(303, `${workbenchPath(consultation.slug, question)}${q}#suggestions`);
  };
}

/** Accept all of a theme's suggestions scored at least the score typed, as one batch (undoable). */
export function acceptSuggestions(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const parsed = acceptSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, "Bad request");
    const params = readParams(parsed.data);
    const themeId = Number(parsed.data.themeId);
    const score = readScore(parsed.data.minScore);
    if (score === null) {
      return renderWorkbench(services, req, res, consultation, params, pageNumber(parsed.data.page), {
        errors: [{ field: `min-score-${themeId}`, text: "Enter a score from 0 to 1, such as 0.8" }],
        typedScore: { themeId, value: parsed.data.minScore },
      });
    }
    let done: { batchId: number; tagged: number };
    try {
      done = services.suggestions.acceptAbove(consultation, themeId, score, actor(res));
    } catch (e) {
      if (e instanceof ThemeNotFoundError) throw new HttpError(404, e.message);
      throw e;
    }
    const base = workbenchPath(consultation.slug, String(req.params.question ?? ""));
    const q = queryString(params);
    res.redirect(
      303,
      `${base}${q}${q ? "&" : "?"}applied=${themeId}&batch=${done.batchId}&tagged=${done.tagged}`,
    );
  };
}
