import type { NextFunction, Request, Response } from "express";
import { DomainError } from "../../analysis/errors.js";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function notFound(_req: Request, res: Response) {
  res.status(404).render("errors/not-found", { title: "Page not found" });
}

/**
 * The last handler: log the error, show a plain page. No stack trace reaches the browser, and no
 * message but a DomainError's, which is written for the person who asked (analysis/errors.ts).
 */
export function errorHandler(log: (err: unknown) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = statusOf(err);
    if (status >= 500) log(err);
    if (res.headersSent) {
      res.end();
      return;
    }
    const view =
      status === 403
        ? "errors/forbidden"
        : status === 404
          ? "errors/not-found"
          : status < 500
            ? "errors/bad-request"
            : "errors/server";
    const locals = {
      title: titleFor(status),
      path: req.path,
      reason: err instanceof DomainError && status < 500 ? err.message : undefined,
    };
    res.status(status).render(view, locals, (renderErr, html) => {
      if (renderErr) {
        log(renderErr);
        res.type("text").send("Sorry, there is a problem with the service. Try again later.");
      } else res.send(html);
    });
  };
}

const DOMAIN_STATUS: Record<DomainError["kind"], number> = { "not-found": 404, invalid: 400, conflict: 409 };

function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  if (err instanceof DomainError) return DOMAIN_STATUS[err.kind];
  const e = err as { status?: unknown; statusCode?: unknown; code?: unknown; type?: unknown };
  if (e?.code === "EBADCSRFTOKEN" || e?.code === "ERR_BAD_CSRF_TOKEN") return 403;
  const s = typeof e?.status === "number" ? e.status : typeof e?.statusCode === "number" ? e.statusCode : 500;
  return s >= 400 && s < 600 ? s : 500;
}

function titleFor(status: number): string {
  if (status === 403) return "Your form has expired";
  if (status === 404) return "Page not found";
  if (status === 413) return "What you sent was too large";
  if (status < 500) return "There was a problem with what you sent";
  return "Sorry, there is a problem with the service";
}
