import type { StorageEngine } from "multer";

/** The first size of an upload's buffer; it doubles, in place, as more arrives. */
const FIRST_BYTES = 1024 * 1024;

/**
 * A multer storage engine that keeps an upload in one growable SharedArrayBuffer, copying each
 * piece in as it arrives. multer's memory storage keeps the pieces and joins them at the end, and
 * the CSV reader then copied the file again for its worker thread: for a 50 MB responses file the
 * two copies held the request loop for half a second (issue 8's responsiveness benchmark). Here the
 * copying is spread over the upload in pieces of a few tens of kilobytes, and the worker reads the
 * same memory (csv-rows-source.ts), so neither happens. `req.file.buffer` is a Buffer over it, as
 * with the memory storage; the file size limit is still multer's (busboy stops at it).
 */
export function sharedMemoryStorage(maxBytes: number): StorageEngine {
  // multer lets one byte past the limit through, to tell a file at the limit from one over it.
  const capacity = maxBytes + 1;
  return {
    _handleFile(_req, file, cb) {
      const memory = new SharedArrayBuffer(Math.min(FIRST_BYTES, capacity), { maxByteLength: capacity });
      const bytes = new Uint8Array(memory); // tracks the buffer's length as it grows
      let size = 0;
      let failed = false;
      file.stream.on("data", (chunk: Buffer) => {
        if (failed) return;
        const needed = size + chunk.length;
        if (needed > memory.byteLength) {
          if (needed > capacity) {
            // busboy stops a file there, so this is not reached; refuse rather than grow past it.
            failed = true;
            cb(new Error("The upload is larger than its limit"));
            return;
          }
          memory.grow(Math.min(capacity, Math.max(needed, memory.byteLength * 2)));
        }
        bytes.set(chunk, size);
        size = needed;
      });
      file.stream.on("error", (err: Error) => {
        if (!failed) cb(err);
        failed = true;
      });
      file.stream.on("end", () => {
        if (!failed) cb(null, { buffer: Buffer.from(memory, 0, size), size });
      });
    },
    _removeFile(_req, file, cb) {
      (file as { buffer?: Buffer }).buffer = undefined;
      cb(null);
    },
  };
}
