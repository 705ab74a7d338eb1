import type { Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import { currentOfficer } from "../../../middleware/officer-session.js";
import { MAX_SAMPLE } from "../../../services/double-coding.js";
import type { Services } from "../../../services/index.js";
import { ThemeInputError, ThemeNotFoundError } from "../../../services/themes.js";
import { consultationOr404 } from "../../respond/context.js";
import { actor, workbenchPath } from "../comments/controller.js";
import { officerAgreementOf } from "./agreement.js";
import { blindCodeSchema, drawSchema, NONE, readBlindCodes } from "./schema.js";

/** Roles that may draw a sample (the coding itself is open to every officer who codes). */
export const DRAW_ROLES = ["admin", "analyst"] as const;

const pathOf = (slug: string, question: string) => `${workbenchPath(slug, question)}/double-coding`;

interface Typed {
  size?: string;
  ticked?: string[];
  /** The comment the refused codes were for (shown again, rather than the first open one). */
  commentId?: number;
}

/**
 * The blind coding page: the next comment of the question's double-coded sample this officer may
 * code, with the codebook's themes and nothing else (no tags, suggestions or who coded it), and,
 * for analysts and admins, the form that draws a sample. The agreement so far is shown below.
 */
function render(
  services: Services,
  req: Request,
  res: Response,
  status = 200,
  errors: { field: string; text: string }[] = [],
  typed: Typed = {},
) {
  const consultation = consultationOr404(services, req);
  const questionId = String(req.params.question ?? "");
  const question = services.results
    .commentQuestions(consultation.definition)
    .find((q) => q.id === questionId);
  if (!question) throw new HttpError(404, "No such question with comments");
  const officer = currentOfficer(res);
  if (!officer) throw new HttpError(401, "Sign in");
  const progress = services.doubleCoding.status(consultation, question.id, officer.id);
  const themes = services.themes.themesFor(consultation, question.id);
  const drawn =
    typeof req.query.drawn === "string" && /^\d{1,4}$/.test(req.query.drawn) ? Number(req.query.drawn) : null;
  res.status(status).render("officer/double-coding", {
    title: `Double-coded sample: ${question.text}`,
    consultation,
    question,
    base: pathOf(consultation.slug, question.id),
    backHref: workbenchPath(consultation.slug, question.id),
    errors,
    typed,
    notice:
      drawn !== null
        ? `${drawn.toLocaleString("en-GB")} comments drawn for a second officer to code blind.`
        : null,
    canDraw: (DRAW_ROLES as readonly string[]).includes(officer.role),
    maxSample: MAX_SAMPLE,
    progress,
    next: progress.open.find((c) => c.commentId === typed.commentId) ?? progress.open[0] ?? null,
    themes,
    none: NONE,
    officerAgreement: officerAgreementOf(services, consultation, themes),
  });
}

export function showDoubleCoding(services: Services) {
  return (req: Request, res: Response) => render(services, req, res);
}

/** Draw a sample (analysts and admins; the router checks the role). */
export function drawDoubleCoded(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const parsed = drawSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, "Bad request");
    const typed = parsed.data.size.trim();
    const size = /^\d{1,6}$/.test(typed) ? Number(typed) : Number.NaN;
    try {
      const drawn = services.doubleCoding.draw(
        consultation,
        String(req.params.question ?? ""),
        size,
        actor(res),
      );
      res.redirect(303, `${pathOf(consultation.slug, String(req.params.question))}?drawn=${drawn}`);
    } catch (e) {
      if (e instanceof ThemeNotFoundError) throw new HttpError(404, e.message);
      if (e instanceof ThemeInputError)
        return render(services, req, res, 400, [{ field: "size", text: e.message }], {
          size: parsed.data.size,
        });
      throw e;
    }
  };
}

/** Store a second officer's blind codes for one comment, then show the next. */
export function codeBlind(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const parsed = blindCodeSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, "Bad request");
    const raw = String(req.params.comment ?? "");
    if (!/^\d{1,12}$/.test(raw)) throw new HttpError(404, "No such comment");
    const read = readBlindCodes(parsed.data.themes);
    try {
      if ("error" in read) {
        // Only for the comment this officer is shown: anything else is a 404, as below.
        const officer = currentOfficer(res);
        const open = officer
          ? services.doubleCoding.status(consultation, String(req.params.question ?? ""), officer.id).open
          : [];
        if (!open.some((c) => c.commentId === Number(raw)))
          throw new ThemeNotFoundError("No such comment waiting for you");
        return render(services, req, res, 400, [{ field: "themes", text: read.error }], {
          ticked: parsed.data.themes,
          commentId: Number(raw),
        });
      }
      services.doubleCoding.code(
        consultation,
        String(req.params.question ?? ""),
        Number(raw),
        read.themeIds,
        actor(res),
      );
    } catch (e) {
      if (e instanceof ThemeNotFoundError) throw new HttpError(404, e.message);
      throw e;
    }
    res.redirect(303, `${pathOf(consultation.slug, String(req.params.question))}#blind`);
  };
}
