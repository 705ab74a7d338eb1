import nodemailer from "nodemailer";
import type { MailQueueRepository, QueuedMail } from "../../db/mail-queue.js";

/** Attempts before a message is given up (the delays double from a minute: about 17 hours in all). */
export const MAX_ATTEMPTS = 11;
const FIRST_RETRY_MS = 60_000;
const BATCH = 20;

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
  private again = false;

  constructor(
    private readonly queue: MailQueueRepository,
    private readonly transport: MailTransport | undefined,
    private readonly clock: () => Date,
    private readonly from: string,
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
   * Send every message that is due; resolves when this pass is over. Passes never overlap: a call
   * during one asks for another after it.
   */
  deliverDue(): Promise<void> {
    if (this.sending) {
      this.again = true;
      return this.sending;
    }
    this.sending = this.pass().finally(() => {
      this.sending = undefined;
      if (this.again) {
        this.again = false;
        void this.deliverDue();
      }
    });
    return this.sending;
  }

  private async pass(): Promise<void> {
    const transport = this.transport;
    if (!transport) return;
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
            this.queue.remove(m.id);
            this.log(`Mail: gave up a ${m.kind} message after ${attempts} attempts: ${String(err)}`);
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
}

/** Retry what is due every half minute in the server process. */
export function scheduleMail(mail: MailService): () => void {
  const timer = setInterval(() => void mail.deliverDue(), 30_000);
  timer.unref();
  return () => clearInterval(timer);
}
