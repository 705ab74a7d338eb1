import type { Request, Response } from "express";
import { z } from "zod";
import { HttpError } from "../../../../middleware/errors.js";
import { currentOfficer } from "../../../../middleware/officer-session.js";
import { MAX_DOCUMENT_BYTES } from "../../../../services/consultation-files.js";
import type { Services } from "../../../../services/index.js";
import {
  backToBuilder,
  badForm,
  builderPath,
  buildingOr404,
  type FieldError,
  fieldsFrom,
  saveDefinition,
} from "../save.js";

const documentFormSchema = z.strictObject({
  title: z.string().max(1000).default(""),
  summary: z.string().max(5000).default(""),
  url: z.string().max(2000).default(""),
  _csrf: z.string().optional(),
});
type DocumentForm = z.infer<typeof documentFormSchema>;

/** Multipart filenames arrive read as Latin-1 (busboy's default); browsers send UTF-8. */
function uploadedName(raw: string): string {
  const utf8 = Buffer.from(raw, "latin1").toString("utf8");
  return (utf8.includes("\uFFFD") ? raw : utf8).slice(0, 200) || "document.pdf";
}

export const fileUrl = (slug: string, id: number) => `/consultations/${slug}/files/${id}`;

function render(
  req: Request,
  res: Response,
  services: Services,
  status: number,
  values: Partial<DocumentForm>,
  errors: FieldError[],
) {
  const { consultation, draft } = buildingOr404(services, req);
  res.status(status).render("officer/builder/documents", {
    title: "Documents",
    backHref: `${builderPath(consultation.slug)}#documents`,
    action: `${builderPath(consultation.slug)}/documents`,
    documents: draft.documents.map((d, i) => ({ ...d, index: i })),
    maxMb: MAX_DOCUMENT_BYTES / 2 ** 20,
    values,
    errors,
  });
}

export function showDocuments(services: Services) {
  return (req: Request, res: Response) => render(req, res, services, 200, {}, []);
}

export function documentTooLarge(services: Services) {
  return (req: Request, res: Response) =>
    render(req, res, services, 413, {}, [
      { field: "file", text: `The file must be smaller than ${MAX_DOCUMENT_BYTES / 2 ** 20} MB` },
    ]);
}

const at = (i: number) => `$.documents[${i}]`;

/** Add a document: an uploaded PDF, or a link to one published elsewhere. */
export function addDocument(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const parsed = documentFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badForm();
    const form = parsed.data;
    const file = req.file && req.file.size > 0 ? req.file : undefined;
    const errors: FieldError[] = [];
    if (!form.title.trim()) errors.push({ field: "title", text: "Enter the document's title" });
    if (!file && !form.url.trim()) errors.push({ field: "file", text: "Select a PDF file, or enter a link" });
    if (file && form.url.trim())
      errors.push({ field: "url", text: "Upload a file or enter a link, not both" });
    if (file && !services.files.isPdf(file.buffer))
      errors.push({ field: "file", text: "The file must be a PDF" });
    if (errors.length > 0) return render(req, res, services, 400, form, errors);
    const fileId = file
      ? services.files.add(
          consultation.id,
          uploadedName(file.originalname),
          file.buffer,
          currentOfficer(res)?.email ?? null,
        )
      : undefined;
    const i = draft.documents.length;
    draft.documents.push({
      title: form.title.trim(),
      url: fileId !== undefined ? fileUrl(consultation.slug, fileId) : form.url.trim(),
      ...(form.summary.trim() ? { summary: form.summary.trim() } : {}),
    });
    const saved = saveDefinition(
      services,
      res,
      draft,
      fieldsFrom({ [`${at(i)}.title`]: "title", [`${at(i)}.url`]: "url", [`${at(i)}.summary`]: "summary" }),
      "title",
    );
    if (!saved.ok) {
      if (fileId !== undefined) services.files.remove(fileId);
      return render(req, res, services, 400, form, saved.errors);
    }
    backToBuilder(res, consultation.slug, "document", "documents");
  };
}

export function removeDocument(services: Services) {
  return (req: Request, res: Response) => {
    const { consultation, draft } = buildingOr404(services, req);
    const index = Number(req.params.index);
    if (!Number.isInteger(index) || !draft.documents[index]) throw new HttpError(404, "No such document");
    draft.documents.splice(index, 1);
    const saved = saveDefinition(services, res, draft, () => undefined, "title");
    if (!saved.ok) return render(req, res, services, 400, {}, saved.errors);
    backToBuilder(res, consultation.slug, "deleted", "documents");
  };
}
