import type { Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { ThemeInputError, ThemeNotFoundError } from "../../../services/themes.js";
import { consultationOr404 } from "../../respond/context.js";
import { actor, workbenchPath } from "../comments/controller.js";
import { candidateSchema, codeCampaignSchema, countingSchema, plainSchema } from "./schema.js";

/** Campaigns shown on the page at most (the largest). */
const CAMPAIGNS_SHOWN = 50;

const insightsPath = (slug: string, question: string) => `${workbenchPath(slug, question)}/insights`;

function questionOr404(services: Services, consultation: ConsultationSummary, req: Request) {
  const id = String(req.params.question ?? "");
  const q = services.results.commentQuestions(consultation.definition).find((x) => x.id === id);
  if (!q) throw new HttpError(404, "No such question with comments");
  return q;
}

const NOTICES: Record<string, (n: number) => string> = {
  campaigns: (n) => `${n.toLocaleString("en-GB")} campaigns found.`,
  stance: () => "Stance worked out for every comment.",
  counting: () => "Campaign counting saved.",
  coded: (n) => `${n.toLocaleString("en-GB")} comments of the campaign tagged.`,
};

/**
 * The question's comment insights: campaigns of near-identical comments (coded as one, counted
 * once or per respondent), candidate themes for the comments no theme covers (with ?discover=1),
 * and each comment's stance with the theme x stance table.
 */
async function render(
  services: Services,
  req: Request,
  res: Response,
  status = 200,
  errors: { field: string; text: string }[] = [],
  typed?: { index: number; name: string },
) {
  const consultation = consultationOr404(services, req);
  const question = questionOr404(services, consultation, req);
  // A refused candidate form shows the candidates again, with what was typed.
  const discover = req.query.discover === "1" || typed !== undefined;
  const candidates = discover ? await services.insights.discover(consultation, question.id) : null;
  const key = Object.keys(NOTICES).find(
    (k) => typeof req.query[k] === "string" && /^\d{1,9}$/.test(req.query[k]),
  );
  const campaigns = services.insights.campaigns(consultation, question.id);
  const stance = services.insights.themeStance(consultation).find((s) => s.question.id === question.id);
  res.status(status).render("officer/insights", {
    title: `Campaigns, new themes and stance: ${question.text}`,
    consultation,
    question,
    base: insightsPath(consultation.slug, question.id),
    workbench: workbenchPath(consultation.slug, question.id),
    errors,
    typed,
    notice: key ? NOTICES[key]?.(Number(req.query[key])) : undefined,
    campaignsRun: services.insights.lastRun(consultation, question.id, "campaigns"),
    campaigns: campaigns.slice(0, CAMPAIGNS_SHOWN),
    campaignCount: campaigns.length,
    inCampaigns: campaigns.reduce((n, c) => n + c.count, 0),
    counting: services.insights.counting(consultation),
    themes: services.themes.themesFor(consultation, question.id),
    candidates,
    stanceRun: services.insights.lastRun(consultation, question.id, "stance"),
    stance,
    backHref: workbenchPath(consultation.slug, question.id),
  });
}

export function showInsights(services: Services) {
  return (req: Request, res: Response) => render(services, req, res);
}

export function findCampaigns(services: Services) {
  return async (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const question = questionOr404(services, consultation, req);
    if (!plainSchema.safeParse(req.body).success) throw new HttpError(400, "Bad request");
    const found = await services.insights.findCampaigns(consultation, question.id, actor(res));
    res.redirect(303, `${insightsPath(consultation.slug, question.id)}?campaigns=${found}`);
  };
}

export function setCounting(services: Services) {
  return async (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const question = questionOr404(services, consultation, req);
    const parsed = countingSchema.safeParse(req.body);
    if (!parsed.success)
      return render(services, req, res, 400, [{ field: "counting", text: "Choose how a campaign counts" }]);
    services.insights.setCounting(consultation, parsed.data.counting, actor(res));
    res.redirect(303, `${insightsPath(consultation.slug, question.id)}?counting=1`);
  };
}

export function codeCampaign(services: Services) {
  return async (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const question = questionOr404(services, consultation, req);
    const raw = String(req.params.group ?? "");
    if (!/^\d{1,12}$/.test(raw)) throw new HttpError(404, "No such campaign");
    const parsed = codeCampaignSchema.safeParse(req.body);
    if (!parsed.success)
      return render(services, req, res, 400, [
        { field: `theme-${raw}`, text: "Choose a theme from the list" },
      ]);
    try {
      const { tagged } = services.insights.codeCampaign(
        consultation,
        question.id,
        Number(raw),
        Number(parsed.data.theme),
        actor(res),
      );
      res.redirect(303, `${insightsPath(consultation.slug, question.id)}?coded=${tagged}`);
    } catch (e) {
      if (e instanceof ThemeNotFoundError) throw new HttpError(404, e.message);
      throw e;
    }
  };
}

/** A candidate made a codebook theme, with its rule, for this question; then its rule preview. */
export function adoptCandidate(services: Services) {
  return async (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const question = questionOr404(services, consultation, req);
    const parsed = candidateSchema.safeParse(req.body);
    const index = Number(typeof req.body?.index === "string" ? req.body.index : -1);
    const refuse = (text: string) => {
      return render(services, req, res, 400, [{ field: "name", text }], {
        index,
        name: typeof req.body?.name === "string" ? req.body.name : "",
      });
    };
    if (!parsed.success) return refuse(parsed.error.issues[0]?.message ?? "Enter a name for the theme");
    try {
      const themeId = services.themes.create(
        consultation,
        {
          name: parsed.data.name,
          description: "",
          parentId: null,
          questions: [question.id],
          rules: parsed.data.rules,
        },
        actor(res),
      );
      res.redirect(303, `/officer/consultations/${consultation.slug}/themes/${themeId}/rules`);
    } catch (e) {
      if (e instanceof ThemeInputError) return refuse(e.message);
      throw e;
    }
  };
}

export function findStances(services: Services) {
  return async (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const question = questionOr404(services, consultation, req);
    if (!plainSchema.safeParse(req.body).success) throw new HttpError(400, "Bad request");
    await services.insights.findStances(consultation, question.id);
    res.redirect(303, `${insightsPath(consultation.slug, question.id)}?stance=1`);
  };
}
