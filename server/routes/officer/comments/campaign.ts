import type { Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import type { Services } from "../../../services/index.js";
import { ThemeNotFoundError } from "../../../services/themes.js";
import { consultationOr404 } from "../../respond/context.js";
import { actor, pageNumber, renderWorkbench, workbenchPath } from "./controller.js";
import { queryString, readParams } from "./query.js";
import { campaignSchema } from "./schema.js";

/**
 * Code a campaign as one from the workbench list, where it is shown once: the theme goes on every
 * comment of the campaign as one batch, undone together from the banner the page then shows. A
 * campaign or theme of another consultation or question is a 404 and changes nothing.
 */
export function applyToCampaign(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const parsed = campaignSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, "Bad request");
    const question = String(req.params.question ?? "");
    const group = String(req.params.group ?? "");
    if (!/^\d{1,12}$/.test(group)) throw new HttpError(404, "No such campaign");
    const params = readParams(parsed.data);
    const page = pageNumber(parsed.data.page);
    const themeId = parsed.data.themeId ?? "";
    try {
      if (!/^\d{1,12}$/.test(themeId)) {
        // Shown beside the campaign's comment in the list (if it is on this page).
        if (!services.insights.campaigns(consultation, question).some((c) => String(c.groupId) === group))
          throw new ThemeNotFoundError("No such campaign");
        return renderWorkbench(services, req, res, consultation, params, page, {
          errors: [{ field: `campaign-${group}`, text: "Choose a theme to apply to the whole campaign" }],
        });
      }
      const done = services.insights.codeCampaign(
        consultation,
        question,
        Number(group),
        Number(themeId),
        actor(res),
      );
      const q = queryString(params, page);
      res.redirect(
        303,
        `${workbenchPath(consultation.slug, question)}${q}${q ? "&" : "?"}applied=${themeId}&batch=${done.batchId}&tagged=${done.tagged}`,
      );
    } catch (e) {
      if (e instanceof ThemeNotFoundError) throw new HttpError(404, e.message);
      throw e;
    }
  };
}
