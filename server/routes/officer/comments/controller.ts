import type { NextFunction, Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import { currentOfficer } from "../../../middleware/officer-session.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { FilterError, MAX_COMMENT_FILTERS } from "../../../services/results.js";
import { ThemeInputError, ThemeNotFoundError, type ThemeRow } from "../../../services/themes.js";
import { consultationOr404 } from "../../respond/context.js";
import { groupItems } from "../dashboard/controller.js";
import { officerAgreementOf } from "../double-coding/agreement.js";
import { narrowed, queryString, readParams, toQuery, type WorkbenchParams } from "./query.js";
import { commentActionSchema, FLAG_NOTE_MAX } from "./schema.js";
import { suggestionLocals } from "./suggestions.js";
import { commentView } from "./view-model.js";

/** Comments shown per page. */
export const COMMENTS_PER_PAGE = 50;

export function pageNumber(raw: unknown): number {
  return typeof raw === "string" && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
}

export const workbenchPath = (slug: string, question: string) =>
  `/officer/consultations/${slug}/comments/${question}`;

/** The officer on this request (the router has already refused anyone else). */
export function actor(res: Response): { id: number; name: string } {
  const officer = currentOfficer(res);
  if (!officer) throw new HttpError(401, "Sign in");
  return { id: officer.id, name: officer.name };
}

/** A field error and what was typed, when a post is refused and the page is shown again. */
export interface Refusal {
  errors: { field: string; text: string }[];
  typed?: { commentId: number; note: string };
  /** A score typed into a theme's "accept suggestions" form. */
  typedScore?: { themeId: number; value: string };
}

/**
 * The coding workbench: one question's comments, narrowed by up to three closed answers, a theme,
 * their coding and review state and a search, newest first, 50 at a time, each with forms to apply,
 * confirm and remove themes, mark it reviewed and flag it. Every form works without JavaScript
 * (post, redirect, get); public/js/workbench.js adds the keyboard.
 */
export function renderWorkbench(
  services: Services,
  req: Request,
  res: Response,
  consultation: ConsultationSummary,
  params: WorkbenchParams,
  page: number,
  refusal: Refusal = { errors: [] },
) {
  const questionId = String(req.params.question ?? "");
  const question = services.results
    .commentQuestions(consultation.definition)
    .find((q) => q.id === questionId);
  if (!question) throw new HttpError(404, "No such question with comments");
  const themes = services.themes.themesFor(consultation, question.id);
  const limit = COMMENTS_PER_PAGE;
  const errors = [...refusal.errors];
  let shown = params;
  let found: ReturnType<typeof services.themes.workbench>;
  try {
    if (params.filter.length > MAX_COMMENT_FILTERS)
      throw new FilterError(`Choose at most ${MAX_COMMENT_FILTERS} answers to narrow the comments by`);
    if (params.theme !== "" && !themes.some((t) => String(t.id) === params.theme))
      throw new ThemeInputError("theme", "Choose a theme from the list");
    found = services.themes.workbench(consultation, toQuery(question.id, params), {
      limit,
      offset: (page - 1) * limit,
    });
  } catch (e) {
    if (e instanceof FilterError) errors.push({ field: "filter-1", text: e.message });
    else if (e instanceof ThemeInputError) errors.push({ field: e.field, text: e.message });
    else throw e;
    // Show every comment beneath the error, keeping what was typed in the form.
    shown = {
      ...params,
      filter: e instanceof FilterError ? [] : params.filter,
      theme: "",
      search: e instanceof ThemeInputError && e.field === "search" ? "" : params.search,
    };
    found = services.themes.workbench(consultation, toQuery(question.id, { ...shown, search: "" }), {
      limit,
      offset: 0,
    });
  }
  const base = workbenchPath(consultation.slug, question.id);
  const pages = Math.max(1, Math.ceil(found.total / limit));
  if (errors.length === 0 && page > pages) return res.redirect(303, `${base}${queryString(params, pages)}`);
  const chosen = params.filter;
  const rows = found.rows.map((r) => commentView(r, themes, found.campaigns.get(r.id) ?? null));
  res.status(errors.length > 0 ? 400 : 200).render("officer/comments", {
    title: `Comments: ${question.text}`,
    consultation,
    question,
    params,
    base,
    carried: hiddenFields(params, page),
    hiddenHtml: hiddenHtml(hiddenFields(params, page)),
    errors,
    typed: refusal.typed,
    filterError: errors.find((e) => e.field === "filter-1")?.text,
    searchError: errors.find((e) => e.field === "search")?.text,
    selects: Array.from({ length: MAX_COMMENT_FILTERS }, (_, k) => ({
      id: `filter-${k + 1}`,
      label: k === 0 ? "Only respondents who answered" : "and who answered",
      items: [
        { value: "", text: k === 0 ? "Any answer: all respondents" : "Any answer" },
        ...groupItems(services, consultation.definition, chosen[k]),
      ],
    })),
    themes,
    themeItems: [
      { value: "", text: "Any theme" },
      ...themes.map((t) => ({ value: String(t.id), text: t.name, selected: String(t.id) === shown.theme })),
    ],
    filters: found.filters,
    narrowed: narrowed(shown),
    total: found.total,
    comments: found.comments,
    rows,
    page,
    pages,
    first: found.total === 0 ? 0 : (page - 1) * limit + 1,
    last: Math.min(found.total, page * limit),
    previous: page > 1 ? `${base}${queryString(params, page - 1)}` : null,
    next: page < pages ? `${base}${queryString(params, page + 1)}` : null,
    bulkHref: `${base}/bulk${queryString(params)}`,
    notice: noticeOf(req, themes),
    others: services.results.commentQuestions(consultation.definition).filter((q) => q.id !== question.id),
    flagNoteMax: FLAG_NOTE_MAX,
    ...suggestionLocals(services, consultation, question.id, refusal),
    officerAgreement: officerAgreementOf(services, consultation, themes),
  });
}

/** The banner after a bulk apply or an undo (from the redirect's query). */
function noticeOf(req: Request, themes: readonly ThemeRow[]) {
  const n = (k: string) =>
    typeof req.query[k] === "string" && /^\d{1,9}$/.test(req.query[k]) ? Number(req.query[k]) : null;
  const batch = n("batch");
  const tagged = n("tagged");
  const undone = n("undone");
  const theme = themes.find((t) => t.id === n("applied"));
  if (batch !== null && tagged !== null && theme)
    return { batch, text: `"${theme.name}" applied to ${tagged.toLocaleString("en-GB")} comments.` };
  if (undone !== null)
    return {
      batch: null,
      text: `Undone: ${undone.toLocaleString("en-GB")} tags removed or unconfirmed again.`,
    };
  return null;
}

const escapeAttr = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Hidden fields as HTML, built once per page rather than once per form (five forms a comment). */
export function hiddenHtml(fields: readonly { name: string; value: string }[]): string {
  return fields
    .map((f) => `<input type="hidden" name="${escapeAttr(f.name)}" value="${escapeAttr(f.value)}">`)
    .join("");
}

/** The workbench parameters as hidden form fields. */
export function hiddenFields(p: WorkbenchParams, page: number): { name: string; value: string }[] {
  return [
    ...p.filter.map((value) => ({ name: "filter", value })),
    ...(["theme", "coding", "reviewed", "flagged", "search", "order"] as const)
      .filter((k) => p[k] !== "")
      .map((k) => ({ name: k, value: p[k] })),
    ...(page > 1 ? [{ name: "page", value: String(page) }] : []),
  ];
}

export function showComments(services: Services) {
  return (req: Request, res: Response) => {
    renderWorkbench(
      services,
      req,
      res,
      consultationOr404(services, req),
      readParams(req.query),
      pageNumber(req.query.page),
    );
  };
}

const wantsJson = (req: Request) => (req.get("accept") ?? "").includes("application/json");

/**
 * One action on one comment. Without JavaScript: post, then redirect back to the same comments
 * (the filters ride along as hidden fields) at the comment. With it (Accept: application/json):
 * the comment's new HTML, so the page changes without a reload. A comment or theme of another
 * consultation is a 404 and changes nothing.
 */
export function commentAction(services: Services) {
  return (req: Request, res: Response, next: NextFunction) => {
    const consultation = consultationOr404(services, req);
    const parsed = commentActionSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, "Bad request");
    const body = parsed.data;
    const commentId = /^\d{1,12}$/.test(String(req.params.comment)) ? Number(req.params.comment) : -1;
    const params = readParams(body);
    const page = pageNumber(body.page);
    const who = actor(res);
    const refuse = (field: string, text: string) => {
      if (wantsJson(req)) return res.status(400).json({ error: text });
      const typed = body.note !== undefined ? { commentId, note: body.note } : undefined;
      return renderWorkbench(services, req, res, consultation, params, page, {
        errors: [{ field: `${field}-${commentId}`, text }],
        ...(typed ? { typed } : {}),
      });
    };
    try {
      switch (body.action) {
        case "reviewed":
        case "unreviewed":
          services.themes.review(consultation, commentId, body.action === "reviewed", who);
          break;
        case "flag": {
          const note = (body.note ?? "").trim();
          if (note === "") return refuse("note", "Enter a note to say why the comment needs following up");
          if (note.length > FLAG_NOTE_MAX)
            return refuse("note", `The note must be ${FLAG_NOTE_MAX} characters or fewer`);
          services.themes.flag(consultation, commentId, note, who);
          break;
        }
        case "unflag":
          services.themes.flag(consultation, commentId, null, who);
          break;
        default: {
          if (!/^\d{1,12}$/.test(body.themeId ?? "")) {
            if (body.action === "apply") return refuse("apply", "Choose a theme to apply");
            throw new ThemeNotFoundError("No such theme");
          }
          services.themes.tag(consultation, commentId, Number(body.themeId), body.action, who);
        }
      }
    } catch (e) {
      if (e instanceof ThemeNotFoundError) throw new HttpError(404, e.message);
      throw e;
    }
    if (wantsJson(req))
      return sendComment(
        services,
        res,
        next,
        consultation,
        String(req.params.question),
        commentId,
        params,
        page,
      );
    res.redirect(
      303,
      `${workbenchPath(consultation.slug, String(req.params.question))}${queryString(params, page)}#comment-${commentId}`,
    );
  };
}

/** The comment's HTML as the page shows it, for the script to swap in. */
function sendComment(
  services: Services,
  res: Response,
  next: NextFunction,
  consultation: ConsultationSummary,
  questionId: string,
  commentId: number,
  params: WorkbenchParams,
  page: number,
) {
  const themes = services.themes.themesFor(consultation, questionId);
  const [row] = services.themes.commentRows(consultation, [commentId]);
  if (!row) throw new HttpError(404, "No such comment");
  const campaign = services.themes.campaignOf(consultation, questionId, row.responseId);
  res.render(
    "officer/_comment",
    {
      comment: commentView(row, themes, campaign),
      themeChoices: themes,
      consultation,
      csrf: (res.locals.csrfToken as () => string)(),
      base: workbenchPath(consultation.slug, questionId),
      carried: hiddenFields(params, page),
      hiddenHtml: hiddenHtml(hiddenFields(params, page)),
      typed: undefined,
      errors: [],
    },
    (err: Error | null, html: string) => (err ? next(err) : res.json({ id: commentId, html })),
  );
}

export type { WorkbenchParams };
