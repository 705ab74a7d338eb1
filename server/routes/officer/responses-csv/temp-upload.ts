import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Request, Response } from "express";
import multer, { type StorageEngine } from "multer";

/** Uploads taken over by the route that reads them (see claimUpload). */
const claimed = new WeakSet<Request>();

/**
 * A responses file is written to a temporary file as it arrives and read from there by the CSV
 * reader's worker thread (csv-rows-source.ts). Kept in memory, a 50 MB upload was joined into one
 * buffer and then copied for that worker: about 0.4 s of the request loop each on a shared machine,
 * most of it the first touch of 50 MB of fresh memory (issue 8's responsiveness benchmark). Files
 * go to the threads that write and read them; the request loop only passes the pieces on.
 */
export function tempFileStorage(dir = join(tmpdir(), "sounding-uploads")): StorageEngine {
  return multer.diskStorage({
    destination: dir,
    filename: (_req, _file, cb) => cb(null, `${randomBytes(16).toString("hex")}.csv`),
  });
}

/**
 * Delete the request's temporary file once its response is over, unless the route claimed it.
 * multer deletes a file it stopped (too large); this covers a request refused after reading it
 * (a wrong form token, a signed-out officer), and a route that fails before claiming it.
 */
export function removeUnclaimedUpload(req: Request, res: Response): void {
  const path = req.file?.path;
  if (!path) return;
  res.once("close", () => {
    if (!claimed.has(req)) void rm(path, { force: true });
  });
}

/**
 * The uploaded file, now the caller's to delete (with `remove`, in every outcome); undefined when
 * there is none. Claimed, it outlives the response: an import that waits its turn still reads it
 * after a browser gave up.
 */
export function claimUpload(
  req: Request,
): { path: string; size: number; remove: () => Promise<void> } | undefined {
  const file = req.file;
  if (!file?.path) return undefined;
  claimed.add(req);
  return { path: file.path, size: file.size, remove: () => rm(file.path, { force: true }) };
}
