import type { Application } from "express";
import { type ConsultationSummary, resultsArePublic } from "../../../services/consultations.js";
import type { Services } from "../../../services/index.js";
import type { BuiltReport } from "../../../services/report.js";
import { startWorker } from "../../../workers.js";
import type { PublicPageJob, PublicPageReply } from "./public-page-worker.js";

/** Consultations whose public page is kept at once (the least recently read is dropped beyond this). */
const PAGES_HELD = 16;

/** Where a worker finds what it needs to build a page; undefined: build on this thread. */
export interface OffLoop {
  /** The database file (an in-memory database cannot be opened from another thread). */
  path: string;
  views: string;
  locals: PublicPageJob["locals"];
}

/** The app's locals a worker can be given (the functions among them it imports itself). */
export function plainLocals(app: Application): OffLoop["locals"] {
  const locals: OffLoop["locals"] = {};
  for (const [name, value] of Object.entries(app.locals as Record<string, unknown>))
    if (value === null || ["string", "number", "boolean"].includes(typeof value))
      locals[name] = value as string | number | boolean | null;
  return locals;
}

interface Held {
  /** The report's version (ReportService.version) the page was asked for at. */
  version: string;
  html: Promise<string>;
  settled: boolean;
}

/**
 * The public summary report pages, kept as HTML until the report they show changes.
 *
 * Building the first one computes every result over every response, reads the approved quotes and
 * renders the page: 0.7 s at 500,000 responses, which held every other request for as long
 * (issue 8's responsiveness benchmark). With a database file it is built in a worker thread
 * (public-page-worker.ts) with its own read-only connection, so the request loop only checks the
 * version (a few index look-ups) and sends the page. Requests that come while a page is built wait
 * for that one build; one that finds the report changed meanwhile waits for it to finish too,
 * then asks again, so a report that changes all the time (an import being published) is never
 * built by more than one worker at once. An in-memory database (tests, tools) builds on this
 * thread, as the ReportService keeps its built report.
 */
export class PublicReportPages {
  private readonly held = new Map<number, Held>();

  constructor(
    private readonly services: Services,
    private readonly offLoop: OffLoop | undefined,
    private readonly clock: () => Date,
  ) {}

  /**
   * The page of this consultation's public report as it stands now. `renderHere` renders a report
   * built on this thread (used when there is no database file to give a worker).
   */
  page(row: ConsultationSummary, renderHere: (built: BuiltReport) => Promise<string>): Promise<string> {
    const version = this.services.report.version(row, "public");
    const held = this.held.get(row.id);
    if (held?.version === version) {
      this.touch(row.id, held);
      return held.html;
    }
    // One build per consultation at a time: wait for the one under way, then look again.
    if (held && !held.settled) {
      const again = () => this.page(row, renderHere);
      return held.html.then(again, again);
    }
    const html = this.offLoop
      ? this.inWorker(this.offLoop, row.slug)
      : renderHere(this.services.report.current(row, "public"));
    const slot: Held = { version, html, settled: false };
    const settle = () => {
      slot.settled = true;
    };
    html.then(settle, () => {
      settle();
      // A failed build is not kept: the next request tries again.
      if (this.held.get(row.id) === slot) this.held.delete(row.id);
    });
    this.touch(row.id, slot);
    return html;
  }

  /**
   * Build, in workers, the page of every consultation whose results are public, so that the first
   * resident to ask does not wait for it (building one for 500,000 responses takes a worker tens of
   * seconds on a busy machine). Only with a database file: on this thread it would hold the loop.
   * A build that fails is not kept, and the first request tries again.
   */
  async prebuild(): Promise<void> {
    if (!this.offLoop) return;
    for (const row of this.services.consultations.all()) {
      if (!resultsArePublic(row)) continue;
      await this.page(row, () => Promise.reject(new Error("Built in a worker"))).catch(() => undefined);
    }
  }

  private touch(id: number, slot: Held): void {
    this.held.delete(id);
    this.held.set(id, slot);
    for (const old of this.held.keys()) {
      if (this.held.size <= PAGES_HELD) break;
      this.held.delete(old);
    }
  }

  private inWorker(offLoop: OffLoop, slug: string): Promise<string> {
    const job: PublicPageJob = { ...offLoop, slug, now: this.clock().toISOString() };
    const worker = startWorker("public-page-worker", import.meta.url, { workerData: job });
    return new Promise<string>((resolve, reject) => {
      worker.once("message", (r: PublicPageReply) => {
        // One page per thread: it ends now, whatever the service graph it built may have left running.
        void worker.terminate();
        if (r.ok) resolve(r.html);
        else reject(new Error(r.message));
      });
      worker.once("error", reject);
      worker.once("exit", () => reject(new Error("The report worker stopped before the page was built")));
    });
  }
}
