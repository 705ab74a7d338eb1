import { csrfFrom } from "../../support/app.js";
import { toForm } from "../../support/respondent.js";

export type Fields = Record<string, string | string[]>;

export interface Reply {
  status: number;
  /** The Location header of a redirect, or "". */
  location: string;
  text: string;
}

/** Counts requests sent and not yet answered, across all browsers sharing it. */
export class InFlight {
  requests = 0;
  submits = 0;
  /** Called as each final submit is sent. */
  onSubmit: () => void = () => {};
}

/**
 * A respondent's browser without JavaScript, over plain fetch: keeps the cookies the server sets
 * (all of ours live under /, or under the consultation's path that every request here is in),
 * does not follow redirects by itself so each 303 can be checked.
 */
export class Browser {
  private readonly jar = new Map<string, string>();

  constructor(
    readonly origin: string,
    private readonly inFlight: InFlight = new InFlight(),
    private readonly timeoutMs = 15_000,
  ) {}

  /** The Cookie header this browser sends. */
  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  get(path: string): Promise<Reply> {
    return this.send(path, { method: "GET" });
  }

  /** POST a form as a browser encodes it, with the given CSRF token. */
  post(path: string, csrf: string, fields: Fields = {}): Promise<Reply> {
    return this.send(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: toForm({ _csrf: csrf, ...fields }),
    });
  }

  private async send(path: string, init: RequestInit): Promise<Reply> {
    const submit = init.method === "POST" && path.endsWith("/submit");
    this.inFlight.requests++;
    if (submit) {
      this.inFlight.submits++;
      this.inFlight.onSubmit();
    }
    try {
      const headers = new Headers(init.headers);
      if (this.jar.size > 0) headers.set("cookie", this.cookieHeader());
      const res = await fetch(`${this.origin}${path}`, {
        ...init,
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      for (const line of res.headers.getSetCookie()) this.keep(line);
      return { status: res.status, location: res.headers.get("location") ?? "", text };
    } finally {
      this.inFlight.requests--;
      if (submit) this.inFlight.submits--;
    }
  }

  private keep(setCookie: string) {
    const pair = setCookie.split(";", 1)[0] ?? "";
    const eq = pair.indexOf("=");
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (value === "" || /max-age=0\b/i.test(setCookie)) this.jar.delete(name);
    else this.jar.set(name, value);
  }
}

/** The CSRF token of the form in a page, or an error naming the page. */
export function tokenIn(reply: Reply, what: string): string {
  if (reply.status !== 200) throw new Error(`${what}: expected 200, got ${reply.status}`);
  try {
    return csrfFrom(reply.text);
  } catch {
    throw new Error(`${what}: no CSRF token in the page`);
  }
}

/** Fail unless the reply is a 303 to the expected place. */
export function expectRedirect(reply: Reply, to: string, what: string): void {
  if (reply.status !== 303 || reply.location !== to)
    throw new Error(
      `${what}: expected 303 to ${to}, got ${reply.status}${reply.location ? ` to ${reply.location}` : ""}`,
    );
}
