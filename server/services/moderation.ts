import type { Worker } from "node:worker_threads";
import { allQuestions, publicationOf, type Question } from "../../analysis/definition.js";
import { type PublishedAnswer, publishedResponse } from "../../analysis/published-responses.js";
import type { RedactionOptions } from "../../analysis/redaction.js";
import { editRedactions, fromStored, redactedText, toStored } from "../../analysis/redaction-edit.js";
import type { ConsultationRepository, ConsultationRow } from "../../db/consultations.js";
import type {
  Decision,
  ModerationCounts,
  ModerationRepository,
  ModerationRow,
  StoredRedaction,
} from "../../db/moderation.js";
import { startWorker } from "../workers.js";
import type { RedactionReply, RedactionRequest } from "./redaction-worker.js";

export type { Decision, ModerationCounts, ModerationRow };

/** Comments redacted and listed per page of the queue. */
export const QUEUE_PAGE = 50;

/** Whole responses per page of the published responses. */
export const PUBLISHED_PAGE = 20;

/** Approved comments the public report quotes per question, newest first. */
export const PUBLIC_QUOTES = 200;

/** The questions whose answers a public page may quote: text questions and "Other, please specify". */
export const hasComments = (q: Question) =>
  q.kind === "text" || (q.kind === "multiple" && q.other !== undefined);

/** The redaction a consultation asks for: every rule, with the names it keeps. */
export function redactionOptions(row: Pick<ConsultationRow, "definition">): RedactionOptions {
  const p = publicationOf(row.definition);
  return { names: true, nameRules: { keepPublicRoles: p.keepCouncillorNames, keptNames: p.keptNames } };
}

/**
 * Moderation before publishing (issue 11): each comment is redacted once, in a worker thread (the
 * name finder is too slow for the thread that serves residents), and stored; an officer approves it,
 * edits its redaction or withholds it. Public pages quote approved comments only, in their stored
 * redacted form, so a public request never runs the language model.
 */
export class ModerationService {
  private worker: Worker | null = null;
  private readonly waiting = new Map<
    number,
    { resolve: (r: StoredRedaction[][]) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;

  constructor(
    private readonly repo: ModerationRepository,
    private readonly consultations: ConsultationRepository,
    private readonly clock: () => Date,
  ) {}

  /** The item holding a question's comments, or undefined for a question without comments. */
  itemOf(row: ConsultationRow, questionId: string): number | undefined {
    const q = allQuestions(row.definition).find((x) => x.id === questionId);
    if (!q || !hasComments(q)) return undefined;
    return this.consultations.catalog(row.id).questions.get(q.id)?.items.get("");
  }

  /** Each question with comments, with how many wait, were approved and were withheld. */
  questions(row: ConsultationRow): { id: string; text: string; counts: ModerationCounts }[] {
    return allQuestions(row.definition).flatMap((q) => {
      const item = this.itemOf(row, q.id);
      return item === undefined ? [] : [{ id: q.id, text: q.text, counts: this.repo.counts(row.id, item) }];
    });
  }

  counts(row: ConsultationRow, itemId: number): ModerationCounts {
    return this.repo.counts(row.id, itemId);
  }

  /** Redact, in the worker, the newest `limit` comments of the item that have not been yet. */
  async prepare(row: ConsultationRow, itemId: number, limit = QUEUE_PAGE): Promise<void> {
    const todo = this.repo.unredactedComments(row.id, itemId, limit);
    if (todo.length === 0) return;
    const found = await this.inWorker(
      todo.map((t) => t.text),
      redactionOptions(row),
    );
    this.repo.storeRedactions(
      row.id,
      todo.map((t, i) => {
        const redactions = fromStored(found[i] ?? [], t.text);
        return {
          commentId: t.commentId,
          redactions: toStored(redactions),
          redacted: redactedText(t.text, redactions),
        };
      }),
      this.clock(),
    );
  }

  page(row: ConsultationRow, itemId: number, decision: Decision, offset: number): ModerationRow[] {
    return this.repo.page(row.id, itemId, decision, QUEUE_PAGE, offset);
  }

  find(row: ConsultationRow, commentId: number): ModerationRow | undefined {
    return this.repo.find(row.id, commentId);
  }

  /** Record a decision on comments already redacted; returns how many it changed. */
  decide(
    row: ConsultationRow,
    commentIds: readonly number[],
    decision: Decision,
    officerId: number | null,
  ): number {
    return this.repo.decide(row.id, commentIds, decision, officerId, this.clock());
  }

  /**
   * Keep the spans at `keep`, remove every occurrence of `add` too, and store the result; then
   * record `decision`. Returns the new redacted text, or undefined when the comment has no redaction.
   */
  edit(
    row: ConsultationRow,
    commentId: number,
    keep: ReadonlySet<number>,
    add: string,
    decision: Decision,
    officerId: number | null,
  ): string | undefined {
    const found = this.repo.find(row.id, commentId);
    if (!found?.redactions) return undefined;
    const next = editRedactions(found.original, fromStored(found.redactions, found.original), keep, add);
    const text = redactedText(found.original, next);
    this.repo.updateRedactions(row.id, commentId, toStored(next), text, this.clock());
    this.repo.decide(row.id, [commentId], decision, officerId, this.clock());
    return text;
  }

  /** The approved comments of an item (redacted and original, newest first), at most `limit`. */
  approved(
    row: ConsultationRow,
    itemId: number,
    limit = PUBLIC_QUOTES,
  ): { original: string; redacted: string }[] {
    return this.repo.approved(row.id, itemId, limit);
  }

  /**
   * The responses whose respondents consented to publication, each published whole once every one
   * of its comments has been decided on; undefined when the consultation asks for no consent.
   */
  publishedResponses(
    row: ConsultationRow,
    page: number,
  ): { consented: number; ready: number; responses: PublishedAnswer[][] } | undefined {
    const consent = publicationOf(row.definition).consent;
    if (!consent) return undefined;
    const found = this.repo.consented(row.id, consent.question, consent.anyOf, {
      limit: PUBLISHED_PAGE,
      offset: (page - 1) * PUBLISHED_PAGE,
    });
    const facts = this.repo.answersOf(found.responseIds);
    return {
      consented: found.consented,
      ready: found.ready,
      responses: found.responseIds.map((id) =>
        publishedResponse(
          row.definition,
          facts.filter((f) => f.responseId === id),
        ),
      ),
    };
  }

  /** Changes whenever anything about this consultation's moderation changes. */
  version(row: Pick<ConsultationRow, "id">): number {
    return this.repo.version(row.id);
  }

  /** Stop the worker (the process is ending, or a test is done). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private inWorker(texts: string[], options: RedactionOptions): Promise<StoredRedaction[][]> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    worker.ref(); // while a page waits for its redactions, the worker keeps the process alive
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, texts, options } satisfies RedactionRequest);
    });
  }

  private start(): Worker {
    const worker = startWorker("redaction-worker", import.meta.url);
    worker.unref(); // an idle redaction worker never keeps the process alive
    worker.on("message", (reply: RedactionReply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.found) w.resolve(reply.found);
      else w.reject(new Error(reply.error ?? "Redaction failed"));
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (code !== 0) fail(new Error(`The redaction worker stopped (exit code ${code})`));
      else if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }
}
