import type { Request, Response } from "express";
import { type ConsultationDefinition, parseDefinition } from "../../../../analysis/definition.js";
import {
  DefinitionChangeRefusedError,
  DefinitionConflictError,
  type Stage,
} from "../../../../db/consultations.js";
import { HttpError } from "../../../middleware/errors.js";
import { currentOfficer } from "../../../middleware/officer-session.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { consultationOr404 } from "../../respond/context.js";

export interface FieldError {
  field: string;
  text: string;
}

/** Where a definition error belongs on the form being saved, or undefined to name it in words. */
export type FieldOf = (path: string) => string | undefined;

/** A FieldOf from a map of JSON paths to fields: an error at or under a path goes to its field. */
export function fieldsFrom(map: Record<string, string>): FieldOf {
  return (path) => {
    for (const [at, field] of Object.entries(map))
      if (path === at || path.startsWith(`${at}[`) || path.startsWith(`${at}.`)) return field;
    return undefined;
  };
}

/** "$.pages[2].questions[0].options[1].code" as an officer would say it: "Page 3, question 1, option 2". */
export function placeOf(path: string): string {
  const words: string[] = [];
  const part = /\.?([a-zA-Z]+)(?:\[(\d+)\])?/g;
  const names: Record<string, string> = {
    pages: "Page",
    questions: "question",
    options: "option",
    statements: "statement",
    pairedSets: "Before and after set",
    scales: "Scale",
    documents: "Document",
  };
  for (const m of path.slice(1).matchAll(part)) {
    const name = m[1] ?? "";
    if (m[2] !== undefined && names[name]) words.push(`${names[name]} ${Number(m[2]) + 1}`);
  }
  const place = words.join(", ");
  return place ? place.charAt(0).toUpperCase() + place.slice(1) : "This consultation";
}

/**
 * The one way the builder saves: validate the whole definition with the schema `definition load`
 * uses, then store it through the same service (which keeps each save as a version, says who saved
 * it, and refuses changes that would corrupt the answers of a live consultation). Errors come back
 * as form errors: on the field `fieldOf` names, else on `fallback`, saying which part is wrong.
 */
export function saveDefinition(
  services: Services,
  res: Response,
  input: unknown,
  fieldOf: FieldOf,
  fallback: string,
  stage?: Stage,
): { ok: true; definition: ConsultationDefinition } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const report = (path: string, message: string) => {
    const field = fieldOf(path);
    const error = field
      ? { field, text: message }
      : { field: fallback, text: `${placeOf(path)}: ${message}` };
    if (!errors.some((x) => x.field === error.field && x.text === error.text)) errors.push(error);
  };
  const parsed = parseDefinition(input);
  if (!parsed.ok) {
    for (const e of parsed.errors) report(e.path, e.message);
    return { ok: false, errors };
  }
  try {
    const officer = currentOfficer(res);
    // Who saved it goes with the version and into the audit trail ("definition-saved").
    services.consultations.store(parsed.definition, {
      savedBy: officer?.email ?? null,
      actor: officer ? { id: officer.id, email: officer.email } : null,
      ...(stage ? { stage } : {}),
    });
  } catch (err) {
    if (err instanceof DefinitionChangeRefusedError) {
      for (const p of err.problems) report(p.path, p.message);
      return { ok: false, errors };
    }
    if (err instanceof DefinitionConflictError)
      return { ok: false, errors: [{ field: fallback, text: err.message }] };
    throw err;
  }
  return { ok: true, definition: parsed.definition };
}

/** The consultation a builder page works on, as a plain copy its form may change. */
export function buildingOr404(
  services: Services,
  req: Request,
): { consultation: ConsultationSummary; draft: ConsultationDefinition } {
  const consultation = consultationOr404(services, req);
  return { consultation, draft: structuredClone(consultation.definition) };
}

export const builderPath = (slug: string) => `/officer/consultations/${slug}/build`;

/** What the overview says after each kind of save (the query names one of these, never free text). */
export const SAVED_MESSAGES = {
  created: "Consultation created. Add its pages and questions below.",
  details: "Details saved",
  page: "Page saved",
  question: "Question saved",
  paired: "Before and after questions saved",
  scale: "Scale saved",
  order: "Order saved",
  deleted: "Deleted",
  document: "Document added",
  imported: "Definition imported",
} as const;
export type Saved = keyof typeof SAVED_MESSAGES;

/** Back to the builder's overview, saying what was saved. */
export function backToBuilder(res: Response, slug: string, saved: Saved, anchor = ""): void {
  res.redirect(303, `${builderPath(slug)}?saved=${saved}${anchor ? `#${anchor}` : ""}`);
}

export function badForm(): HttpError {
  return new HttpError(400, "The form held fields this page does not have");
}
