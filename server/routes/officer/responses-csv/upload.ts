import type { NextFunction, Request, Response } from "express";
import multer, { type StorageEngine } from "multer";
import { removeUnclaimedUpload } from "./temp-upload.js";

/** Largest CSV an officer may upload (a 100,000-row export of a long form is about 60 MB). */
export const MAX_UPLOAD_BYTES = 60 * 1024 * 1024;
export const UPLOAD_FIELD = "file";

/** The officer uploads: a responses file, a codebook file, and the builder's definition and documents. */
const UPLOAD_PATH =
  /^\/officer\/consultations\/[a-z][a-z0-9-]{0,59}\/(?:import|themes\/import|build\/import|build\/documents)\/?$/;

/**
 * A responses or codebook upload: multipart, so the app-wide CSRF check cannot see its token (urlencoded
 * parsing leaves the body empty). server/app.ts lets exactly these requests past that check, and
 * each import route runs the same check itself once multer has read the body, after the officer's
 * session and role are known, so an upload is never buffered for someone who is not signed in.
 */
export function isOfficerUpload(req: Request): boolean {
  return req.method === "POST" && UPLOAD_PATH.test(req.path) && req.is("multipart/form-data") !== false;
}

const parserFor = (maxBytes: number, storage: StorageEngine) =>
  multer({
    storage,
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
  }).single(UPLOAD_FIELD);

/**
 * Read the multipart body into req.body and req.file (at most `maxBytes`); a file too large is a
 * form error, not a crash. `storage` keeps the file: multer's memory storage, or for a responses
 * file a temporary file, which its reader's worker thread reads (temp-upload.ts).
 */
export function readUpload(
  onTooLarge: (req: Request, res: Response) => void,
  maxBytes = MAX_UPLOAD_BYTES,
  storage: StorageEngine = multer.memoryStorage(),
) {
  const parser = parserFor(maxBytes, storage);
  return (req: Request, res: Response, next: NextFunction) => {
    parser(req, res, (err: unknown) => {
      removeUnclaimedUpload(req, res);
      if (err instanceof multer.MulterError && err.code === "LIMIT_FILE_SIZE") onTooLarge(req, res);
      else if (err instanceof multer.MulterError)
        next(Object.assign(new Error(err.message), { status: 400 }));
      else next(err);
    });
  };
}
