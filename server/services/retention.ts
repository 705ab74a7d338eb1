import { z } from "zod";
import type { RetentionCandidate, RetentionDetail, RetentionRepository } from "../../db/retention.js";
import { TimeSlices } from "./time-slices.js";

/** Unfinished responses (drafts, and any save-and-return code and e-mail with them) outlive closing by this. */
export const DRAFT_DAYS_AFTER_CLOSING = 30;
/** The retention period when a definition does not set one: two years, as the privacy notice says. */
export const DEFAULT_RETENTION_MONTHS = 24;
/** Rows per transaction: small enough that one slice stays well under the loop's budget. */
const SLICE_ROWS = 200;

export interface RetentionDates {
  /** When its unfinished responses are deleted. */
  draftsDeletedAt: Date;
  /** When the free text of its responses is deleted. */
  textErasedAt: Date;
}

/** The dates a consultation closing at `closesAt` reaches under the retention rules. */
export function retentionDates(
  closesAt: string | Date,
  retentionMonths = DEFAULT_RETENTION_MONTHS,
): RetentionDates {
  const closes = new Date(closesAt);
  const drafts = new Date(closes.getTime() + DRAFT_DAYS_AFTER_CLOSING * 24 * 60 * 60 * 1000);
  const text = new Date(closes);
  text.setUTCMonth(text.getUTCMonth() + retentionMonths);
  return { draftsDeletedAt: drafts, textErasedAt: text };
}

// Only the one field is read from a stored definition (it was validated when stored).
const retentionField = z.looseObject({
  retentionMonths: z.number().int().min(1).catch(DEFAULT_RETENTION_MONTHS).default(DEFAULT_RETENTION_MONTHS),
});

/** Extra data kept per draft or per response elsewhere (save-and-return codes, queued e-mail), purged with them. */
export interface RetentionPurges {
  /** Delete what belongs to drafts of this consultation (called before its drafts are deleted). */
  beforeDraftsDeleted?(consultationId: number): void;
}

/**
 * The retention job: deletes what the privacy notice says goes, and nothing else. For each
 * consultation, 30 days after closing its unfinished responses; once its retention period has
 * passed, the free text of its responses; the quotes an officer approved keep only their redacted
 * form (in comment_moderation). Counts, choices, themes and the published report stay. Every run is logged.
 */
export class RetentionService {
  private running: Promise<RetentionDetail[]> | undefined;

  constructor(
    private readonly repo: RetentionRepository,
    private readonly clock: () => Date,
    private readonly purges: RetentionPurges = {},
  ) {}

  /** Run once (a run already under way is joined rather than doubled). */
  run(trigger: "schedule" | "command"): Promise<RetentionDetail[]> {
    this.running ??= this.runOnce(trigger).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  runs(limit?: number) {
    return this.repo.runs(limit);
  }

  private async runOnce(trigger: "schedule" | "command"): Promise<RetentionDetail[]> {
    const now = this.clock();
    const runId = this.repo.startRun(trigger, now);
    const details: RetentionDetail[] = [];
    try {
      const slices = new TimeSlices();
      for (const c of this.repo.candidates()) {
        const detail = await this.apply(c, now, slices);
        if (detail.draftsDeleted + detail.textsErased + detail.quotesKept > 0 || detail.erased)
          details.push(detail);
      }
      this.repo.finishRun(runId, this.clock(), details, null);
      return details;
    } catch (err) {
      this.repo.finishRun(runId, this.clock(), details, String(err));
      throw err;
    }
  }

  private async apply(c: RetentionCandidate, now: Date, slices: TimeSlices): Promise<RetentionDetail> {
    const months = retentionField.parse(JSON.parse(c.definitionJson)).retentionMonths;
    const dates = retentionDates(c.closesAt, months);
    const detail: RetentionDetail = {
      slug: c.slug,
      draftsDeleted: 0,
      textsErased: 0,
      quotesKept: 0,
      erased: false,
    };
    if (now >= dates.draftsDeletedAt) {
      this.purges.beforeDraftsDeleted?.(c.id);
      for (;;) {
        const n = this.repo.deleteDrafts(c.id, SLICE_ROWS);
        detail.draftsDeleted += n;
        await slices.pause();
        if (n < SLICE_ROWS) break;
      }
    }
    if (now >= dates.textErasedAt && c.textErasedAt === null) {
      let after = 0;
      for (;;) {
        const slice = this.repo.eraseSlice(c.id, after, SLICE_ROWS);
        detail.textsErased += slice.erased;
        await slices.pause();
        if (slice.lastId === undefined) break;
        after = slice.lastId;
      }
      detail.quotesKept = this.repo.approvedQuotes(c.id);
      this.repo.markErased(c.id, now);
      detail.erased = true;
    }
    return detail;
  }
}

/**
 * Run the job once a day in the server process: first a minute after starting (not during the
 * start-up's own work), then every 24 hours. Its slices yield to residents' requests.
 */
export function scheduleRetention(service: RetentionService, log: (line: string) => void): () => void {
  const DAY = 24 * 60 * 60 * 1000;
  const once = () => {
    service
      .run("schedule")
      .then((details) => {
        if (details.length > 0)
          log(
            `Retention: ${details.map((d) => `${d.slug}: ${d.draftsDeleted} draft(s) deleted, ${d.textsErased} text(s) erased`).join("; ")}`,
          );
      })
      .catch((err: unknown) => log(`Retention run failed: ${String(err)}`));
  };
  const first = setTimeout(once, 60_000);
  const daily = setInterval(once, DAY);
  first.unref();
  daily.unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}
