import type { Request, Response } from "express";
import { HttpError } from "../../../middleware/errors.js";
import type { Services } from "../../../services/index.js";
import { ExportAbortedError } from "../../../services/response-export.js";
import { IMPORT_CHANNELS, type ImportResult } from "../../../services/response-import.js";
import { consultationOr404 } from "../../respond/context.js";
import { about, actorOf } from "../actor.js";
import { CHANNEL_LABELS, importFormSchema, isImportChannel } from "./schema.js";
import { claimUpload } from "./temp-upload.js";
import { MAX_UPLOAD_BYTES, UPLOAD_FIELD } from "./upload.js";

interface FieldError {
  field: string;
  text: string;
}

interface ImportPage {
  channel: string;
  errors: FieldError[];
  /** The bad lines of a refused file. */
  report?: ImportResult;
  /** An accepted import's result (undefined details: the server restarted since). */
  imported?: { result?: ImportResult };
}

function render(req: Request, res: Response, services: Services, status: number, page: ImportPage) {
  const consultation = consultationOr404(services, req);
  res.status(status).render("officer/import", {
    // The layout puts "Error: " in front of the title when there are errors.
    title: `Import responses – ${consultation.title}`,
    consultation,
    channels: IMPORT_CHANNELS.map((value) => ({ value, text: CHANNEL_LABELS[value] })),
    fileField: UPLOAD_FIELD,
    backHref: `/officer/consultations/${consultation.slug}`,
    ...page,
  });
}

export function showImport(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const key = typeof req.query.result === "string" ? req.query.result : undefined;
    render(req, res, services, 200, {
      channel: "paper",
      errors: [],
      imported: key ? { result: services.transfer.keptResult(consultation, key) } : undefined,
    });
  };
}

/** The blank import file for this consultation. */
export function downloadTemplate(services: Services) {
  return (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    res.type("text/csv; charset=utf-8");
    res.attachment(`${consultation.slug}-import-template.csv`);
    res.send(services.transfer.importTemplate(consultation));
  };
}

/** Reached when multer stops reading a file over the limit: nothing was checked or stored. */
export function uploadTooLarge(services: Services) {
  return (req: Request, res: Response) => {
    render(req, res, services, 413, {
      channel: "paper",
      errors: [{ field: "file", text: `The file must be smaller than ${MAX_UPLOAD_BYTES / 2 ** 20} MB` }],
    });
  };
}

/** Check the uploaded file and store all of it, or none of it and show why (post, redirect, get). */
export function importResponses(services: Services) {
  return async (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const form = importFormSchema.safeParse(req.body ?? {});
    if (!form.success) throw new HttpError(400, "The import form held unexpected fields");
    const channel = form.data.channel;
    const errors: FieldError[] = [];
    if (!req.file || req.file.size === 0)
      errors.push({ field: "file", text: "Select a CSV file of responses" });
    if (!isImportChannel(channel))
      errors.push({ field: "channel", text: "Select how the responses came in" });
    if (!req.file || req.file.size === 0 || !isImportChannel(channel))
      return render(req, res, services, 400, { channel, errors });

    const upload = claimUpload(req);
    if (!upload) throw new HttpError(400, "The file was not kept");
    const result = await services.transfer
      .importCsv(consultation, upload, { channel })
      .finally(() => upload.remove());
    if (result.errorCount > 0) {
      const s = result.errorCount === 1 ? "" : "s";
      return render(req, res, services, 400, {
        channel,
        errors: [
          {
            field: "file",
            text: `The file has ${result.errorCount} problem${s} and nothing was imported: correct the lines listed below and upload it again`,
          },
        ],
        report: result,
      });
    }
    // Who imported what into which consultation, in counts: the trail never holds the answers.
    services.audit.record(actorOf(res), "import", {
      ...about(consultation),
      detail: `${result.imported} imported (${CHANNEL_LABELS[channel]}), ${result.skippedDuplicates} duplicates skipped, ${result.blankRows} blank rows`,
    });
    const key = services.transfer.keepResult(consultation, result);
    res.redirect(303, `/officer/consultations/${consultation.slug}/import?result=${key}`);
  };
}

/** The raw responses as a CSV download, streamed (codes, or labels with ?labels=1). */
export function downloadResponses(services: Services) {
  return async (req: Request, res: Response) => {
    const consultation = consultationOr404(services, req);
    const labels = req.query.labels === "1";
    res.type("text/csv; charset=utf-8");
    res.attachment(`${consultation.slug}-responses${labels ? "-labels" : ""}.csv`);
    try {
      const rows = await services.transfer.downloadCsv(consultation, res, { labels });
      res.end();
      services.audit.record(actorOf(res), "export", {
        ...about(consultation),
        subject: labels ? "responses.csv (labels)" : "responses.csv",
        detail: `${rows} responses`,
      });
    } catch (err) {
      // A download the browser gave up on is not an error of ours.
      if (!(err instanceof ExportAbortedError)) throw err;
    }
  };
}
