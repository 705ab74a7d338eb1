import type { Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import type { ConsultationSummary } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import { decodeCsv } from "../../../services/response-import.js";
import {
  RULE_SAMPLE,
  type ThemeFields,
  ThemeInputError,
  ThemeNotFoundError,
  type ThemeRow,
} from "../../../services/themes.js";
import { consultationOr404 } from "../../respond/context.js";
import { about, actorOf } from "../actor.js";
import { actor } from "../comments/controller.js";
import { UPLOAD_FIELD } from "../responses-csv/upload.js";
import {
  deleteSchema,
  importSchema,
  mergeSchema,
  plainSchema,
  type ThemeForm,
  themeFormSchema,
} from "./schema.js";

type FieldError = { field: string; text: string };
const codebookPath = (slug: string) => `/officer/consultations/${slug}/themes`;

function themeOr404(services: Services, consultation: ConsultationSummary, req: Request): ThemeRow {
  const raw = String(req.params.theme ?? "");
  try {
    if (!/^\d{1,12}$/.test(raw)) throw new ThemeNotFoundError("No such theme");
    return services.themes.theme(consultation, Number(raw));
  } catch (e) {
    if (e instanceof ThemeNotFoundError) throw new HttpError(404, e.message);
    throw e;
  }
}

const list = (raw: string | string[] | undefined) =>
  raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];

function fieldsOf(form: ThemeForm): ThemeFields {
  return {
    name: form.name,
    description: form.description,
    parentId: form.parentId === "" ? null : Number(form.parentId),
    questions: list(form.questions),
    rules: form.rules.trim(),
  };
}

/** What a refused form showed, so the page can show it again. */
function typedValues(body: Record<string, unknown>) {
  const s = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : "");
  return {
    name: s("name"),
    description: s("description"),
    parentId: s("parentId"),
    questions: list(body.questions as string[]),
    rules: s("rules"),
  };
}

const NOTICES: Record<string, (n: string) => string> = {
  created: () => "Theme added.",
  saved: () => "Theme saved.",
  deleted: () => "Theme deleted.",
  merged: (n) => `Themes merged: ${n} tags moved.`,
  imported: (n) => {
    const [added, updated] = n.split(",");
    return `Codebook imported: ${added} added, ${updated} updated.`;
  },
  ruled: (n) => `Rules applied: ${n} comments tagged, waiting for an officer to confirm them.`,
  undone: (n) => `Undone: ${n} tags removed or unconfirmed again.`,
};

/** The codebook page: every theme, the form to add one, import and export, and recent batches. */
function renderCodebook(
  services: Services,
  req: Request,
  res: Response,
  consultation: ConsultationSummary,
  status = 200,
  values = { name: "", description: "", parentId: "", questions: [] as string[], rules: "" },
  errors: FieldError[] = [],
  importErrors: { line: number; column: string; reason: string }[] = [],
) {
  const themes = services.themes.codebook(consultation);
  // Only numbers travel in a notice's query, so a link cannot put words in the banner.
  const key = Object.keys(NOTICES).find(
    (k) => typeof req.query[k] === "string" && /^\d{1,9}(,\d{1,9})?$/.test(req.query[k]),
  );
  const questions = services.results.commentQuestions(consultation.definition);
  res.status(status).render("officer/themes", {
    title: `Codebook: ${consultation.title}`,
    consultation,
    themes,
    questions,
    questionText: new Map(questions.map((q) => [q.id, q.text])),
    values,
    errors,
    importErrors,
    fileField: UPLOAD_FIELD,
    batches: services.themes.batches(consultation),
    themeNames: new Map(themes.map((t) => [t.id, t.name])),
    notice: key ? NOTICES[key]?.(String(req.query[key])) : undefined,
    parents: themes.filter((t) => t.parentId === null),
    isAdmin: res.locals.officer?.role === "admin",
    backHref: `/officer/consultations/${consultation.slug}`,
  });
}

export function showCodebook(services: Services) {
  return (req: Request, res: Response) =>
    renderCodebook(services, req, res, consultationOr404(services, req));
}

/** Zod's first message per field, in the GOV.UK error shape. */
function zodErrors(issues: readonly { path: PropertyKey[]; message: string }[]): FieldError[] {
  const seen = new Set<string>();
  return issues.flatMap((i) => {
    const field = String(i.path[0] ?? "name");
    if (seen.has(field) || field === "_csrf") return [];
    seen.add(field);
    return [{ field, text: i.message }];
  });
}

/**
 * Check the theme form and save it. A field the schema or the service refuses shows the form again
 * with what the officer typed and the message beside the field; returns whether it was saved.
 */
function saveThemeForm(
  req: Request,
  save: (fields: ThemeFields) => void,
  showAgain: (values: ReturnType<typeof typedValues>, errors: FieldError[]) => void,
): boolean {
  const parsed = themeFormSchema.safeParse(req.body);
  if (!parsed.success) {
    showAgain(typedValues(req.body), zodErrors(parsed.error.issues));
    return false;
  }
  try {
    save(fieldsOf(parsed.data));
    return true;
  } catch (e) {
    if (!(e instanceof ThemeInputError)) throw e;
    showAgain(typedValues(req.body), [{ field: e.field, text: e.message }]);
    return false;
  }
}

export function createTheme(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const saved = saveThemeForm(
      req,
      (fields) => services.themes.create(consultation, fields, actor(res)),
      (values, errors) => renderCodebook(services, req, res, consultation, 400, values, errors),
    );
    if (saved) res.redirect(303, `${codebookPath(consultation.slug)}?created=1`);
  };
}

function renderTheme(
  services: Services,
  res: Response,
  consultation: ConsultationSummary,
  theme: ThemeRow,
  status = 200,
  values?: ReturnType<typeof typedValues>,
  errors: FieldError[] = [],
) {
  const themes = services.themes.codebook(consultation);
  res.status(status).render("officer/theme", {
    title: `Theme: ${theme.name}`,
    consultation,
    theme,
    values: values ?? {
      name: theme.name,
      description: theme.description,
      parentId: theme.parentId === null ? "" : String(theme.parentId),
      questions: theme.questions,
      rules: theme.rules,
    },
    errors,
    parents: themes.filter((t) => t.parentId === null && t.id !== theme.id),
    others: themes.filter((t) => t.id !== theme.id),
    questions: services.results.commentQuestions(consultation.definition),
    backHref: codebookPath(consultation.slug),
  });
}

export function showTheme(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    renderTheme(services, res, consultation, themeOr404(services, consultation, req));
  };
}

export function updateTheme(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const theme = themeOr404(services, consultation, req);
    const saved = saveThemeForm(
      req,
      (fields) => services.themes.update(consultation, theme.id, fields, actor(res)),
      (values, errors) => renderTheme(services, res, consultation, theme, 400, values, errors),
    );
    if (saved) res.redirect(303, `${codebookPath(consultation.slug)}?saved=1`);
  };
}

export function mergeTheme(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const theme = themeOr404(services, consultation, req);
    const parsed = mergeSchema.safeParse(req.body);
    const into = parsed.success && parsed.data.into !== "" ? Number(parsed.data.into) : null;
    const refuse = (text: string) =>
      renderTheme(services, res, consultation, theme, 400, undefined, [{ field: "into", text }]);
    if (into === null) return refuse("Choose the theme to merge it into");
    try {
      const moved = services.themes.merge(consultation, theme.id, into, actor(res));
      res.redirect(303, `${codebookPath(consultation.slug)}?merged=${moved}`);
    } catch (e) {
      if (e instanceof ThemeInputError) return refuse(e.message);
      if (e instanceof ThemeNotFoundError) return refuse("Choose the theme to merge it into");
      throw e;
    }
  };
}

/** Delete a theme; one with tags first shows how many and asks again. */
export function deleteTheme(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const theme = themeOr404(services, consultation, req);
    const parsed = deleteSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, "Bad request");
    if (theme.tags > 0 && parsed.data.confirm !== "yes")
      return res.render("officer/theme-delete", {
        title: `Delete the theme "${theme.name}"?`,
        consultation,
        theme,
        backHref: `${codebookPath(consultation.slug)}/${theme.id}`,
      });
    services.themes.remove(consultation, theme.id, actor(res));
    res.redirect(303, `${codebookPath(consultation.slug)}?deleted=1`);
  };
}

/** Before applying a theme's rules: how many comments they match, and a few of them. */
export function previewRules(services: Services) {
  return async (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const theme = themeOr404(services, consultation, req);
    let matched: { id: number; text: string }[] = [];
    let error: string | undefined;
    try {
      matched = await services.themes.ruleMatches(consultation, theme.id);
    } catch (e) {
      if (!(e instanceof ThemeInputError)) throw e;
      error = e.message;
    }
    res.status(error ? 400 : 200).render("officer/theme-rules", {
      title: `Rules of "${theme.name}"`,
      consultation,
      theme,
      count: matched.length,
      sample: matched.slice(0, RULE_SAMPLE).map((m) => m.text),
      errors: error ? [{ field: "rules", text: error }] : [],
      backHref: `${codebookPath(consultation.slug)}/${theme.id}`,
    });
  };
}

export function applyRules(services: Services) {
  return async (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const theme = themeOr404(services, consultation, req);
    if (!plainSchema.safeParse(req.body).success) throw new HttpError(400, "Bad request");
    try {
      const { tagged } = await services.themes.applyRules(consultation, theme.id, actor(res));
      res.redirect(303, `${codebookPath(consultation.slug)}?ruled=${tagged}`);
    } catch (e) {
      if (e instanceof ThemeInputError) throw new HttpError(400, e.message);
      throw e;
    }
  };
}

export function exportCodebook(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    res.type("text/csv; charset=utf-8");
    res.attachment(`${consultation.slug}-codebook.csv`);
    res.send(services.themes.exportCodebook(consultation));
    // Which file and how many themes, never the themes' words.
    services.audit.record(actorOf(res), "export", {
      ...about(consultation),
      subject: "codebook.csv",
      detail: `${services.themes.codebook(consultation).length} themes`,
    });
  };
}

/** Largest codebook file: a few hundred themes with their rules fit in a small part of this. */
export const CODEBOOK_MAX_BYTES = 1024 * 1024;

/** Reached when multer stops reading a codebook file over the limit: nothing was read or stored. */
export function codebookTooLarge(services: Services) {
  return (req: Request, res: Response) =>
    renderCodebook(services, req, res, consultationOr404(services, req), 413, undefined, [
      { field: "file", text: `The codebook file must be smaller than ${CODEBOOK_MAX_BYTES / 2 ** 20} MB` },
    ]);
}

/** Import an uploaded codebook CSV: all of it, or none of it with each bad line named. */
export function importCodebook(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    if (!importSchema.safeParse(req.body ?? {}).success)
      throw new HttpError(400, "The import form held unexpected fields");
    const refuse = (text: string, importErrors: { line: number; column: string; reason: string }[] = []) =>
      renderCodebook(
        services,
        req,
        res,
        consultation,
        400,
        undefined,
        [{ field: "file", text }],
        importErrors,
      );
    if (!req.file || req.file.size === 0) return refuse("Select a codebook CSV file");
    const decoded = decodeCsv(req.file.buffer);
    if ("error" in decoded) return refuse(decoded.error);
    if (decoded.text.trim() === "")
      return refuse("The file is empty: it needs a heading line and a line per theme");
    const result = services.themes.importCodebook(consultation, decoded.text, actor(res));
    if (!result.ok)
      return refuse(
        `The codebook has ${result.errors.length === 1 ? "a problem" : `${result.errors.length} problems`}: nothing was imported`,
        result.errors,
      );
    res.redirect(303, `${codebookPath(consultation.slug)}?imported=${result.added},${result.updated}`);
  };
}

/** The audit trail of a consultation's themes and tags (admins). */
export function showAudit(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    res.render("officer/themes-audit", {
      title: `Themes audit trail: ${consultation.title}`,
      consultation,
      entries: services.themes.audit(consultation),
      backHref: codebookPath(consultation.slug),
    });
  };
}
