import type { Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import type { Services } from "../../../services/index.js";
import { consultationOr404 } from "../context.js";

/** A filename safe in a quoted header value: ASCII letters, digits, spaces, dots, dashes. */
const asciiName = (name: string) => name.replace(/[^A-Za-z0-9 ._-]/g, "_").slice(0, 150) || "document.pdf";

/**
 * A document uploaded with the builder, as a PDF the browser shows (or saves) and never sniffs
 * as anything else.
 */
export function showFile(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const id = Number(req.params.id);
    const file = Number.isInteger(id) ? services.files.find(consultation.id, id) : undefined;
    if (!file) throw new HttpError(404, "No such document");
    res.set({
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${asciiName(file.filename)}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      "X-Content-Type-Options": "nosniff",
      "Content-Length": String(file.bytes.length),
    });
    res.end(file.bytes);
  };
}
