/**
 * Errors a service throws when a request cannot be met for a reason of the domain, not a fault in
 * the code. Their messages are written for the person who asked (they name the question, the slug,
 * the option), so the web error page and the CLI may show them; any other error is a fault, logged
 * and shown only as "Sorry, there is a problem with the service".
 */
export abstract class DomainError extends Error {
  abstract readonly kind: "not-found" | "invalid" | "conflict";
}

/** What the request names does not exist: a consultation, question, theme or entry. */
export class NotFoundError extends DomainError {
  readonly kind = "not-found";
}

/** The request asks for something the data cannot give, e.g. grouping by a text question. */
export class InvalidRequestError extends DomainError {
  readonly kind = "invalid";
}

/** The request is sound but the stored state forbids it, e.g. replacing a definition with responses. */
export class ConflictError extends DomainError {
  readonly kind = "conflict";
}
