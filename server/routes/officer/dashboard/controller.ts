import type { Request, Response } from "express";
import { type ConsultationDefinition, findQuestion } from "../../../../analysis/definition.js";
import { ALL_RESPONDENTS_LABEL, overlapNote } from "../../../../analysis/results/segments.js";
import type { Services } from "../../../services/index.js";
import { type ConsultationResults, type FilterChoice, FilterError } from "../../../services/results.js";
import { summaryCsv } from "../../../services/summary-export.js";
import { consultationOr404 } from "../../respond/context.js";
import { about, actorOf } from "../actor.js";
import { officerAgreementOf } from "../double-coding/agreement.js";
import { insightsOnDashboard } from "./insights-view-model.js";
import { themeBlock } from "./themes-view-model.js";
import { pairedBlock, questionBlock, timelineBlock } from "./view-model.js";

/** `filter=<question id>:<option code>` from the dashboard's group select; empty means everyone. */
export function parseFilter(value: unknown): FilterChoice | null {
  if (typeof value !== "string" || value === "") return null;
  const match = /^([a-z][a-z0-9-]{0,59}):([a-z0-9][a-z0-9_-]{0,39})$/.exec(value);
  if (!match?.[1] || !match[2]) throw new FilterError("Choose a group from the list");
  return { question: match[1], codes: [match[2]] };
}

/** Every group a select can offer (`<question id>:<option code>`), with `selected` marked. */
export function groupItems(
  services: Services,
  def: ConsultationDefinition,
  selected: string | undefined,
): { value: string; text: string; selected: boolean }[] {
  return services.results.filterableQuestions(def).flatMap((q) =>
    q.options.map((o) => ({
      value: `${q.id}:${o.code}`,
      text: `${o.label} (${q.text})`,
      selected: `${q.id}:${o.code}` === selected,
    })),
  );
}

/** A link to every comment of a text question (or "Other" answer), for the same group. */
function commentsLink(
  slug: string,
  q: ConsultationResults["questions"][number],
  filter: FilterChoice | null,
): { href: string; text: string } | undefined {
  const query = filter ? `?filter=${encodeURIComponent(`${filter.question}:${filter.codes[0]}`)}` : "";
  const href = `/officer/consultations/${slug}/comments/${q.question.id}${query}`;
  if (q.kind === "text")
    return q.total > 0
      ? { href, text: `Read all ${q.total.toLocaleString("en-GB")} comments to this question` }
      : undefined;
  if (q.kind === "multiple" && q.result.otherTexts.length > 0)
    return { href, text: "Read every \u201cOther\u201d answer to this question" };
  return undefined;
}

export function showDashboard(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const def = consultation.definition;
    let filterError: string | undefined;
    let filter: FilterChoice | null = null;
    try {
      filter = parseFilter(req.query.filter);
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      filterError = e.message;
    }
    let results: ReturnType<typeof services.results.compute>;
    try {
      results = services.results.compute(consultation, filter);
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      filterError = e.message;
      filter = null;
      results = services.results.compute(consultation, null);
    }
    const filterValue = filter ? `${filter.question}:${filter.codes[0]}` : "";
    const filterQuestion = filter ? findQuestion(def, filter.question) : undefined;
    const filterItems = [
      { value: "", text: ALL_RESPONDENTS_LABEL },
      ...groupItems(services, def, filterValue),
    ];
    res.status(filterError ? 400 : 200).render("officer/dashboard", {
      title: `Results: ${consultation.title}`,
      consultation,
      results,
      filterItems,
      filterValue,
      filterError,
      errors: filterError ? [{ field: "filter", text: filterError }] : [],
      filterNote: filterQuestion ? overlapNote(filterQuestion) : "",
      timeline: timelineBlock(results),
      blocks: [
        ...results.questions.map((q) => ({
          ...questionBlock(q),
          more: commentsLink(consultation.slug, q, filter),
        })),
        ...results.paired.map(pairedBlock),
      ],
      officer: res.locals.officer,
      // Campaign counting and theme x stance (issue 13), for the same group.
      insights: insightsOnDashboard(services, consultation, filter),
      // How far the learned suggestions agree with the officers (issue 13), beside the themes.
      agreement: services.suggestions.status(consultation),
      // Officer against officer on the double-coded sample, the baseline beside the model's.
      officerAgreement: officerAgreementOf(services, consultation, services.themes.codebook(consultation)),
      // Comment themes (confirmed tags), for the same group; split by the filter's question.
      themes: services.themes
        .results(consultation, filter, filter?.question)
        .map((r) =>
          themeBlock(
            r,
            `/officer/consultations/${consultation.slug}/comments/${r.question.id}${filterValue ? `?filter=${encodeURIComponent(filterValue)}` : ""}`,
          ),
        ),
    });
  };
}

export function downloadSummary(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const groupBy =
      typeof req.query.groupBy === "string" && req.query.groupBy !== "" ? req.query.groupBy : undefined;
    // A question that cannot group the results is an InvalidRequestError: a 400 page saying why.
    const csv = summaryCsv(services.results, consultation, groupBy, services.themes, {
      fullPrecision: req.query.precision === "full",
    });
    res.type("text/csv; charset=utf-8");
    res.attachment(`${consultation.slug}-summary.csv`);
    res.send(csv);
    services.audit.record(actorOf(res), "export", {
      ...about(consultation),
      subject: "summary.csv",
      detail: groupBy ? `Grouped by ${groupBy}` : "",
    });
  };
}
