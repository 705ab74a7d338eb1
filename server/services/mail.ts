import nodemailer from "nodemailer";
import type { AbandonedMail, MailQueueRepository, QueuedMail } from "../../db/mail-queue.js";
import type { Actor, AuditService } from "./audit.js";

/** Attempts before a message is given up (the delays double from a minute: about 17 hours in all). */
export const MAX_ATTEMPTS = 11;
const FIRST_RETRY_MS = 60_000;
const BATCH = 20;
/** A message given up is kept this long for officers to retry, then deleted with its address. */
export const ABANDONED_KEPT_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * An address as officers see it on the failed-mail page and in the audit trail: enough to tell
 * two messages apart, not enough to read it ("r***@e***.com").
 */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return "***";
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const dot = domain.lastIndexOf(".");
  const name = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : "";
  return `${local.slice(0, 1)}***@${name.slice(0, 1)}***${tld}`;
}

const PUNCTUATION = new Set(["<", ">", "(", ")", '"', "'", ",", ".", ";", ":"]);

/** "<someone@example.com>:" -> "someone@example.com" */
function trimPunctuation(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && PUNCTUATION.has(word.charAt(start))) start++;
  while (end > start && PUNCTUATION.has(word.charAt(end - 1))) end--;
  return word.slice(start, end);
}

/** A mail server's error can quote the address it refused: every word with an @ in it is masked. */
export function maskAddressesIn(text: string): string {
  return text
    .split(" ")
    .map((word) => (word.includes("@") ? maskAddress(trimPunctuation(word)) : word))
    .join(" ");
}

/** An abandoned message with its address masked, for the officers' page. */
export interface AbandonedMessage extends Omit<AbandonedMail, "recipient" | "lastError"> {
  maskedRecipient: string;
  lastError: string;
}

/** Sends one message; nodemailer's SMTP transport in the app, anything with this shape in tests. */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

export function smtpTransport(url: string): MailTransport {
  // Short timeouts: a dead server is found out quickly and the message waits in the queue instead.
  return nodemailer.createTransport(url, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as Parameters<typeof nodemailer.createTransport>[1]);
}

/**
 * E-mail through a queue in the database: a message is stored first (in the caller's request,
 * cheaply), then sent outside it. A failure only delays the message: it is retried later, and the
 * request that queued it never waits for or fails because of the mail server.
 */
export class MailService {
  private sending: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(
    private readonly queue: MailQueueRepository,
    private readonly transport: MailTransport | undefined,
    private readonly clock: () => Date,
    private readonly from: string,
    /** Where a message given up, retried or deleted is recorded (none in a bare test). */
    private readonly audit?: AuditService,
    private readonly log: (line: string) => void = console.error,
  ) {}

  /** Whether e-mail can be sent at all (SOUNDING_SMTP_URL is set): pages offer it only then. */
  get enabled(): boolean {
    return this.transport !== undefined;
  }

  /** Queue a message and start sending in the background. */
  send(mail: Omit<QueuedMail, "id" | "attempts">): void {
    if (!this.transport) return;
    this.queue.add(mail, this.clock());
    void this.deliverDue();
  }

  /**
   * Send every message that is due; resolves once they have been tried. Passes never overlap: a
   * call during a pass (which may have read the queue before this message was due or queued)
   * resolves after one more pass that follows it, shared by every call made meanwhile.
   */
  deliverDue(): Promise<void> {
    if (this.sending) {
      this.next ??= this.sending
        .catch(() => undefined)
        .then(() => {
          this.next = undefined;
          return this.deliverDue();
        });
      return this.next;
    }
    this.sending = this.pass().finally(() => {
      this.sending = undefined;
    });
    return this.sending;
  }

  private async pass(): Promise<void> {
    const transport = this.transport;
    if (!transport) return;
    this.queue.purgeAbandoned(new Date(this.clock().getTime() - ABANDONED_KEPT_DAYS * DAY_MS));
    for (;;) {
      const due = this.queue.due(this.clock(), BATCH);
      if (due.length === 0) return;
      let sentAny = false;
      for (const m of due) {
        try {
          await transport.sendMail({ from: this.from, to: m.recipient, subject: m.subject, text: m.body });
          this.queue.remove(m.id);
          sentAny = true;
        } catch (err) {
          const attempts = m.attempts + 1;
          if (attempts >= MAX_ATTEMPTS) {
            // Kept, unsent, for officers to see and retry (the failed-mail page), not just logged.
            this.queue.abandon(m.id, String(err), this.clock());
            const error = maskAddressesIn(String(err));
            this.log(`Mail: gave up a ${m.kind} message after ${attempts} attempts: ${error}`);
            this.audit?.record(null, "mail-abandoned", {
              subject: maskAddress(m.recipient),
              detail: `${m.kind} message given up after ${attempts} attempts: ${error}`.slice(0, 500),
            });
          } else {
            const delay = FIRST_RETRY_MS * 2 ** (attempts - 1);
            this.queue.failed(m.id, String(err), new Date(this.clock().getTime() + delay));
          }
        }
      }
      // Everything left has failed for now: it waits for its next attempt.
      if (!sentAny) return;
    }
  }

  pending(): number {
    return this.queue.pending();
  }

  /** Messages given up, newest first, addresses and errors masked. */
  abandoned(): AbandonedMessage[] {
    return this.queue.abandoned().map(({ recipient, lastError, ...m }) => ({
      ...m,
      maskedRecipient: maskAddress(recipient),
      lastError: maskAddressesIn(lastError ?? ""),
    }));
  }

  abandonedCount(): number {
    return this.queue.countAbandoned();
  }

  /** An officer puts a given-up message back in the queue; it is tried at once. False if none such. */
  retry(id: number, actor: Actor): boolean {
    const message = this.queue.abandoned().find((m) => m.id === id);
    if (!message || !this.queue.retry(id, this.clock())) return false;
    this.audit?.record(actor, "mail-retried", {
      subject: maskAddress(message.recipient),
      detail: `${message.kind} message`,
    });
    void this.deliverDue();
    return true;
  }

  /** An officer deletes a given-up message (and with it the address and any copy of answers). */
  discard(id: number, actor: Actor): boolean {
    const message = this.queue.abandoned().find((m) => m.id === id);
    if (!message || !this.queue.discard(id)) return false;
    this.audit?.record(actor, "mail-discarded", {
      subject: maskAddress(message.recipient),
      detail: `${message.kind} message`,
    });
    return true;
  }
}

/** Retry what is due every half minute in the server process. */
export function scheduleMail(mail: MailService): () => void {
  const timer = setInterval(() => void mail.deliverDue(), 30_000);
  timer.unref();
  return () => clearInterval(timer);
}
