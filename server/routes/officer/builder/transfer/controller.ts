import type { Request, Response } from "express";
import { z } from "zod";
import type { Services } from "../../../../services/index.js";
import { about, actorOf } from "../../actor.js";
import {
  backToBuilder,
  badForm,
  builderPath,
  buildingOr404,
  type FieldError,
  saveDefinition,
} from "../save.js";

/** A definition file is small: the largest demo is about 15 kB. */
export const MAX_DEFINITION_BYTES = 2 * 1024 * 1024;

/** The definition as `definition load` reads it: the same JSON, to edit by hand or load elsewhere. */
export function exportDefinition(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    res.set("Content-Disposition", `attachment; filename="${consultation.slug}.json"`);
    res.type("application/json").send(`${JSON.stringify(draft, null, 2)}\n`);
    services.audit.record(actorOf(res), "export", {
      ...about(consultation),
      subject: "definition.json",
      detail: `version ${consultation.version}`,
    });
  };
}

function render(res: Response, slug: string, status: number, errors: FieldError[]) {
  res.status(status).render("officer/builder/import", {
    title: "Import a definition",
    backHref: builderPath(slug),
    action: `${builderPath(slug)}/import`,
    slug,
    errors,
  });
}

export function showImport(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation } = buildingOr404(services, req);
    render(res, consultation.slug, 200, []);
  };
}

export function importTooLarge(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation } = buildingOr404(services, req);
    render(res, consultation.slug, 413, [
      { field: "file", text: `The file must be smaller than ${MAX_DEFINITION_BYTES / 2 ** 20} MB` },
    ]);
  };
}

const importFormSchema = z.strictObject({ _csrf: z.string().optional() });

/**
 * Replace this consultation's definition with a JSON file: validated whole by the schema
 * `definition load` uses, and saved through the same service; the web address stays this one's.
 */
export function importDefinition(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation } = buildingOr404(services, req);
    if (!importFormSchema.safeParse(req.body ?? {}).success) throw badForm();
    const file = req.file;
    if (!file || file.size === 0)
      return render(res, consultation.slug, 400, [{ field: "file", text: "Select a JSON file" }]);
    let input: unknown;
    try {
      input = JSON.parse(
        new TextDecoder("utf-8", { fatal: true }).decode(file.buffer).replace(/^\uFEFF/, ""),
      );
    } catch {
      return render(res, consultation.slug, 400, [
        {
          field: "file",
          text: "The file must be a consultation definition in JSON, such as one exported from here",
        },
      ]);
    }
    const withSlug =
      input && typeof input === "object" && !Array.isArray(input)
        ? { ...input, slug: consultation.slug }
        : input;
    const saved = saveDefinition(services, res, withSlug, () => undefined, "file");
    if (!saved.ok) return render(res, consultation.slug, 400, saved.errors);
    backToBuilder(res, consultation.slug, "imported");
  };
}
