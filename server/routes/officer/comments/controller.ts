import type { Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import type { Services } from "../../../services/index.js";
import { type FilterChoice, FilterError, MAX_COMMENT_FILTERS } from "../../../services/results.js";
import { consultationOr404 } from "../../respond/context.js";
import { groupItems, parseFilter } from "../dashboard/controller.js";

/** Comments shown per page. */
export const COMMENTS_PER_PAGE = 50;

/** The `filter` values of the query (repeated for several answers), blanks left out. */
function filterValues(raw: unknown): string[] {
  const values = Array.isArray(raw) ? raw : [raw];
  return values.filter((v): v is string => typeof v === "string" && v !== "");
}

function pageNumber(raw: unknown): number {
  const n = typeof raw === "string" && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
  return n;
}

/**
 * Every comment to one question, newest first, a page at a time, optionally only from the
 * respondents who gave all of up to three closed answers (say, suppliers who disagreed).
 */
export function showComments(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const def = consultation.definition;
    const questionId = String(req.params.question ?? "");
    const values = filterValues(req.query.filter).slice(0, MAX_COMMENT_FILTERS + 1);
    const page = pageNumber(req.query.page);
    const limit = COMMENTS_PER_PAGE;
    let filterError: string | undefined;
    let choices: FilterChoice[] = [];
    let found: ReturnType<typeof services.results.comments>;
    try {
      choices = values.map((v) => parseFilter(v) as FilterChoice);
      found = services.results.comments(consultation, questionId, choices, {
        limit,
        offset: (page - 1) * limit,
      });
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      filterError = e.message;
      choices = [];
      found = services.results.comments(consultation, questionId, [], { limit, offset: 0 });
    }
    if (!found) throw new HttpError(404, "No such question with comments");
    const chosen = choices.map((c) => `${c.question}:${c.codes[0]}`);
    const selects = Array.from({ length: MAX_COMMENT_FILTERS }, (_, k) => ({
      id: `filter-${k + 1}`,
      label: k === 0 ? "Only respondents who answered" : "and who answered",
      items: [
        { value: "", text: k === 0 ? "Any answer: all respondents" : "Any answer" },
        ...groupItems(services, def, chosen[k]),
      ],
    }));
    const query = (n: number) => {
      const params = new URLSearchParams(chosen.map((c) => ["filter", c]));
      if (n > 1) params.set("page", String(n));
      const text = params.toString();
      return `/officer/consultations/${consultation.slug}/comments/${found.question.id}${text ? `?${text}` : ""}`;
    };
    const pages = Math.max(1, Math.ceil(found.total / limit));
    // A page past the end (an old link, fewer comments in this group): go to the last one.
    if (page > pages) return res.redirect(303, query(pages));
    res.status(filterError ? 400 : 200).render("officer/comments", {
      title: `Comments: ${found.question.text}`,
      consultation,
      found,
      selects,
      filterError,
      errors: filterError ? [{ field: "filter-1", text: filterError }] : [],
      page,
      pages,
      first: found.total === 0 ? 0 : (page - 1) * limit + 1,
      last: Math.min(found.total, page * limit),
      previous: page > 1 ? query(page - 1) : null,
      next: page < pages ? query(page + 1) : null,
      others: services.results.commentQuestions(def).filter((q) => q.id !== found.question.id),
    });
  };
}
