import type { Request, Response } from "express";
import { ukDateTime } from "../../../../../analysis/dates.js";
import type { ConsultationDefinition, Question } from "../../../../../analysis/definition.js";
import type { Services } from "../../../../services/index.js";
import { conditionText } from "../conditions.js";
import { builderPath, buildingOr404, SAVED_MESSAGES } from "../save.js";

const KIND_NAMES: Record<Question["kind"], string> = {
  single: "Choose one",
  multiple: "Choose any",
  likert: "Rating on a scale",
  grid: "Statements rated on a scale",
  paired: "Before and after statements",
  text: "Text",
  number: "Number",
};

/** The builder's overview of one consultation: its details, documents, pages and questions. */
export function showOverview(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const saved = typeof req.query.saved === "string" ? req.query.saved : "";
    res.render("officer/builder/overview", {
      title: `Build: ${consultation.title}`,
      backHref: "/officer",
      consultation,
      definition: draft,
      base: builderPath(consultation.slug),
      saved: Object.hasOwn(SAVED_MESSAGES, saved)
        ? SAVED_MESSAGES[saved as keyof typeof SAVED_MESSAGES]
        : undefined,
      opens: ukDateTime(draft.opens),
      closes: ukDateTime(draft.closes),
      pages: pagesOf(draft),
    });
  };
}

function pagesOf(def: ConsultationDefinition) {
  return def.pages.map((page, p) => ({
    id: page.id,
    title: page.title,
    number: p + 1,
    condition: page.showIf ? conditionText(def, page.showIf) : undefined,
    questions: page.questions.map((q) => ({
      id: q.id,
      text: q.text,
      kind: KIND_NAMES[q.kind],
      required: q.required,
      condition: q.showIf ? conditionText(def, q.showIf) : undefined,
    })),
  }));
}
