import type { Request, Response } from "express";
import { z } from "zod";
import type { ConsultationDefinition, Question } from "../../../../../analysis/definition.js";
import type { Services } from "../../../../services/index.js";
import { conditionChoices, conditionValues } from "../condition-fields.js";
import { conditionSources } from "../conditions.js";
import { deleteQuestion, moveQuestion, pageOr404, questionOr404, reorder } from "../edits.js";
import { saveOrRefuse } from "../pages/controller.js";
import { deleteSchema, moveSchema } from "../pages/schema.js";
import {
  backToBuilder,
  badForm,
  builderPath,
  buildingOr404,
  type FieldError,
  fieldsFrom,
  saveDefinition,
} from "../save.js";
import { adoptScale, questionFields, questionFromForm, questionValues, scaleChoices } from "./build.js";
import { isKind, KINDS, questionFormSchema } from "./schema.js";

const KIND_CHOICES: { kind: Question["kind"]; text: string; hint: string }[] = [
  {
    kind: "single",
    text: "Choose one answer",
    hint: "Radios, or a list to pick from when there are more than 20 options.",
  },
  {
    kind: "multiple",
    text: "Choose any answers",
    hint: "Checkboxes, with an optional \u2018Other, please specify\u2019.",
  },
  {
    kind: "likert",
    text: "A rating on a scale",
    hint: "For example, from strongly agree to strongly disagree.",
  },
  {
    kind: "grid",
    text: "Several statements rated on one scale",
    hint: "For example, agreement with each of eight principles.",
  },
  {
    kind: "paired",
    text: "The same statements before and after",
    hint: "Rated on one page, and again on a later page after reading the proposals.",
  },
  { kind: "text", text: "A written answer", hint: "With a limit on its length." },
  { kind: "number", text: "A number", hint: "With an optional lowest and highest value." },
];

interface Place {
  slug: string;
  def: ConsultationDefinition;
  pageIndex: number;
  action: string;
  heading: string;
  pageId: string;
  /** The before-and-after set a paired half belongs to. */
  pairedSet?: string;
}

function render(
  res: Response,
  place: Place,
  kind: Question["kind"],
  values: Record<string, unknown>,
  errors: FieldError[],
) {
  res.status(errors.length > 0 ? 400 : 200).render("officer/builder/question", {
    title: place.heading,
    heading: place.heading,
    backHref: `${builderPath(place.slug)}#page-${place.pageId}`,
    base: builderPath(place.slug),
    pairedSet: place.pairedSet,
    action: place.action,
    kind,
    kindName: KIND_CHOICES.find((k) => k.kind === kind)?.text ?? kind,
    scales: scaleChoices(place.def),
    choices: conditionChoices(place.def, place.pageIndex),
    values,
    errors,
  });
}

/** "Add a question": first its kind, then its form. */
export function showNewQuestion(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const { page, index } = pageOr404(draft, String(req.params.page));
    const base = builderPath(consultation.slug);
    const kind = typeof req.query.kind === "string" ? req.query.kind : "";
    if (kind === "paired") return res.redirect(303, `${base}/paired/new?page=${page.id}`);
    if (!isKind(kind)) {
      const chosen = req.query.kind !== undefined;
      return res.status(chosen ? 400 : 200).render("officer/builder/question-kind", {
        title: "Add a question",
        backHref: `${base}#page-${page.id}`,
        action: `${base}/pages/${page.id}/questions/new`,
        kinds: KIND_CHOICES,
        errors: chosen ? [{ field: "kind", text: "Select the kind of question" }] : [],
      });
    }
    const place = {
      slug: consultation.slug,
      def: draft,
      pageIndex: index,
      pageId: page.id,
      action: `${base}/pages/${page.id}/questions`,
      heading: `Add a question to \u2018${page.title}\u2019`,
    };
    render(
      res,
      place,
      kind,
      {
        kind,
        required: "yes",
        integer: "yes",
        showIf: "",
        ...(kind === "likert" || kind === "grid" ? { scale: "agreement-5" } : {}),
      },
      [],
    );
  };
}

export function addQuestion(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const { page, index } = pageOr404(draft, String(req.params.page));
    const base = builderPath(consultation.slug);
    const sources = conditionSources(draft, index);
    const parsed = questionFormSchema(sources).safeParse(req.body ?? {});
    if (!parsed.success || !isKind(parsed.data.kind) || parsed.data.kind === "paired") throw badForm();
    const form = parsed.data;
    const kind = parsed.data.kind;
    const place = {
      slug: consultation.slug,
      def: structuredClone(draft),
      pageIndex: index,
      pageId: page.id,
      action: `${base}/pages/${page.id}/questions`,
      heading: `Add a question to \u2018${page.title}\u2019`,
    };
    const { question, errors } = questionFromForm(draft, kind, form, sources);
    if (!question) return render(res, place, kind, form, errors);
    page.questions.push(question);
    if ("scale" in question) adoptScale(draft, question.scale);
    const at = `$.pages[${index}].questions[${page.questions.length - 1}]`;
    const saved = saveDefinition(services, res, draft, fieldsFrom(questionFields(at)), "text");
    if (!saved.ok) return render(res, place, kind, form, saved.errors);
    backToBuilder(res, consultation.slug, "question", `question-${question.id}`);
  };
}

export function showQuestion(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const { question, page, pageIndex } = questionOr404(draft, String(req.params.question));
    const place = {
      slug: consultation.slug,
      def: draft,
      pageIndex,
      pageId: page.id,
      action: `${builderPath(consultation.slug)}/questions/${question.id}`,
      heading: "Edit question",
      ...(question.kind === "paired" ? { pairedSet: question.set } : {}),
    };
    render(
      res,
      place,
      question.kind,
      { ...questionValues(question), ...conditionValues(question.showIf) },
      [],
    );
  };
}

export function saveQuestion(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const { question: old, page, pageIndex, index } = questionOr404(draft, String(req.params.question));
    const sources = conditionSources(draft, pageIndex);
    const parsed = questionFormSchema(sources).safeParse(req.body ?? {});
    if (!parsed.success) throw badForm();
    const form = { ...parsed.data, kind: old.kind };
    const place = {
      slug: consultation.slug,
      def: structuredClone(draft),
      pageIndex,
      pageId: page.id,
      action: `${builderPath(consultation.slug)}/questions/${old.id}`,
      heading: "Edit question",
      ...(old.kind === "paired" ? { pairedSet: old.set } : {}),
    };
    const { question, errors } = questionFromForm(draft, old.kind, form, sources, old);
    if (!question) return render(res, place, old.kind, form, errors);
    page.questions[index] = question;
    if ("scale" in question) adoptScale(draft, question.scale);
    // A condition elsewhere that looked at this question follows it to its new id.
    if (question.id !== old.id)
      for (const p of draft.pages) {
        if (p.showIf?.question === old.id) p.showIf.question = question.id;
        for (const q of p.questions) if (q.showIf?.question === old.id) q.showIf.question = question.id;
      }
    const saved = saveDefinition(
      services,
      res,
      draft,
      fieldsFrom(questionFields(`$.pages[${pageIndex}].questions[${index}]`)),
      "text",
    );
    if (!saved.ok) return render(res, place, old.kind, form, saved.errors);
    backToBuilder(res, consultation.slug, "question", `question-${question.id}`);
  };
}

export function moveQuestionAction(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const form = moveSchema.safeParse(req.body ?? {});
    if (!form.success) throw badForm();
    const id = String(req.params.question);
    moveQuestion(draft, id, form.data.direction);
    saveOrRefuse(services, res, consultation.slug, draft, {
      fallback: "pages",
      refused: "The question was not moved",
      notice: "order",
      anchor: `question-${id}`,
    });
  };
}

export function deleteQuestionAction(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    if (!deleteSchema.safeParse(req.body ?? {}).success) throw badForm();
    deleteQuestion(draft, String(req.params.question));
    saveOrRefuse(services, res, consultation.slug, draft, {
      fallback: "pages",
      refused: "The question was not deleted",
      notice: "deleted",
      anchor: "pages",
    });
  };
}

export { KINDS };

const orderSchema = z.strictObject({ layout: z.string().max(200_000), _csrf: z.string().optional() });
const layoutSchema = z
  .array(z.strictObject({ page: z.string().max(100), questions: z.array(z.string().max(100)).max(40) }))
  .max(40);

/** Drag and drop on the overview: every page's questions in their new order, checked and saved whole. */
export function reorderAction(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const form = orderSchema.safeParse(req.body ?? {});
    if (!form.success) throw badForm();
    let layout: z.infer<typeof layoutSchema> | undefined;
    try {
      const parsed = layoutSchema.safeParse(JSON.parse(form.data.layout));
      layout = parsed.success ? parsed.data : undefined;
    } catch {
      layout = undefined;
    }
    if (!layout || !reorder(draft, layout)) throw badForm();
    saveOrRefuse(services, res, consultation.slug, draft, {
      fallback: "pages",
      refused: "The questions were not moved",
      notice: "order",
      anchor: "pages",
    });
  };
}
