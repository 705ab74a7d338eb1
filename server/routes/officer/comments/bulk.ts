import type { Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import type { Services } from "../../../services/index.js";
import { FilterError } from "../../../services/results.js";
import { ThemeInputError, ThemeNotFoundError } from "../../../services/themes.js";
import { consultationOr404 } from "../../respond/context.js";
import { actor, hiddenFields, hiddenHtml, workbenchPath } from "./controller.js";
import { queryString, readParams, toQuery } from "./query.js";
import { bulkSchema, undoSchema } from "./schema.js";

/** Turn the service's refusals into what the officer sees: a bad filter is a 400, a foreign id a 404. */
function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ThemeNotFoundError) throw new HttpError(404, e.message);
    if (e instanceof FilterError || e instanceof ThemeInputError) throw new HttpError(400, e.message);
    throw e;
  }
}

/**
 * Before a bulk apply: how many comments the current filters and search select, the theme to apply,
 * and a button to confirm. The count is posted back, so a selection that changed in between (new
 * comments, another officer's coding) is shown again rather than applied unseen.
 */
export function showBulk(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const question = String(req.params.question ?? "");
    const params = readParams(req.query);
    const themes = guarded(() => services.themes.themesFor(consultation, question));
    const count = guarded(() => services.themes.selectionCount(consultation, toQuery(question, params)));
    const text = services.results
      .commentQuestions(consultation.definition)
      .find((q) => q.id === question)?.text;
    if (text === undefined) throw new HttpError(404, "No such question with comments");
    const changed = req.query.changed === "1";
    res.status(changed ? 409 : 200).render("officer/comments-bulk", {
      title: `Apply a theme to ${count} comments`,
      consultation,
      questionText: text,
      count,
      themes,
      action: `${workbenchPath(consultation.slug, question)}/bulk`,
      back: `${workbenchPath(consultation.slug, question)}${queryString(params)}`,
      carried: hiddenFields(params, 1),
      hiddenHtml: hiddenHtml(hiddenFields(params, 1)),
      changed,
      backHref: `${workbenchPath(consultation.slug, question)}${queryString(params)}`,
    });
  };
}

export function applyBulk(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const question = String(req.params.question ?? "");
    const parsed = bulkSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, "Bad request");
    const params = readParams(parsed.data);
    const query = guarded(() => toQuery(question, params));
    const count = guarded(() => services.themes.selectionCount(consultation, query));
    const base = workbenchPath(consultation.slug, question);
    if (count !== Number(parsed.data.expected)) {
      const q = queryString(params);
      return res.redirect(303, `${base}/bulk${q}${q ? "&" : "?"}changed=1`);
    }
    const themeId = Number(parsed.data.themeId);
    const { batchId, tagged } = guarded(() =>
      services.themes.bulkApply(consultation, query, themeId, actor(res)),
    );
    const q = queryString(params);
    res.redirect(303, `${base}${q}${q ? "&" : "?"}applied=${themeId}&batch=${batchId}&tagged=${tagged}`);
  };
}

/** Undo a whole batch (a bulk apply or an applied rule): every tag it added that is still there goes. */
export function undoBatch(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const parsed = undoSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, "Bad request");
    const batchId = /^\d{1,12}$/.test(String(req.params.batch)) ? Number(req.params.batch) : -1;
    const removed = guarded(() => services.themes.undoBatch(consultation, batchId, actor(res)));
    const question = String(req.params.question ?? "");
    const q = queryString(readParams(parsed.data));
    const back = question
      ? workbenchPath(consultation.slug, question)
      : `/officer/consultations/${consultation.slug}/themes`;
    res.redirect(303, `${back}${q}${q ? "&" : "?"}undone=${removed}`);
  };
}
