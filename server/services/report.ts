import { allQuestions } from "../../analysis/definition.js";
import { QUICK, redact } from "../../analysis/redaction.js";
import {
  buildReport,
  type CommentInput,
  type ReportModel,
  type ReportTheme,
  type WeDidEntry,
} from "../../analysis/report/model.js";
import type { ConsultationRow } from "../../db/consultations.js";
import type { WeDidFields, WeDidRepository } from "../../db/we-did.js";
import { type ConsultationSummary, resultsArePublic } from "./consultations.js";
import type { ModerationService } from "./moderation.js";
import type { ConsultationResults, ResultsService } from "./results.js";
import type { ThemeService } from "./themes.js";

export type ReportAudience = "officer" | "public";

/** Comments reproduced per question in the report; the rest are counted, not shown. */
export const COMMENTS_SHOWN = 200;

/** Approved comments per question looked up to publish theme quotes and "Other" texts. */
const APPROVED_LOOKUP = 5_000;

/** A theme's quotes as published: those an officer approved, redacted; the rest left out. */
function publishedQuotes(
  quotes: readonly string[] | undefined,
  questionIds: readonly string[] | undefined,
  forms: Map<string, Map<string, string>>,
): string[] {
  return (quotes ?? []).flatMap((q) => {
    for (const id of questionIds ?? []) {
      const redacted = forms.get(id)?.get(q.trim());
      if (redacted !== undefined) return [redacted];
    }
    return [];
  });
}

/** The results with each "Other, please specify" text replaced by its approved redacted form, or left out. */
function withPublishedOtherTexts(
  results: ConsultationResults,
  forms: Map<string, Map<string, string>>,
): ConsultationResults {
  return {
    ...results,
    questions: results.questions.map((q) => {
      if (q.kind !== "multiple") return q;
      const approved = forms.get(q.question.id);
      const otherTexts = q.result.otherTexts.flatMap((t) => {
        const r = approved?.get(t.trim());
        return r === undefined ? [] : [r];
      });
      return { ...q, result: { ...q.result, otherTexts } };
    }),
  };
}

/** Reports kept built at once (the least recently read is dropped beyond this). */
const REPORTS_HELD = 16;

export interface BuiltReport {
  report: ReportModel;
  /** The results the report was written from: the view draws their charts and tables. */
  results: ConsultationResults;
}

/**
 * The consultation summary report and the "we asked, you said, we did" entries it publishes.
 * Gathers what analysis/report needs (results, every text question's comments, the entries and the
 * responses per channel) and hands it over; the report's sentences are written there.
 */
export class ReportService {
  /** Built reports by consultation id and audience ("12:public"). */
  private readonly held = new Map<string, { key: string; built: BuiltReport }>();

  constructor(
    private readonly results: ResultsService,
    private readonly weDid: WeDidRepository,
    private readonly clock: () => Date,
    /** Comment themes (confirmed tags) for the themes section; without it the section is left out. */
    private readonly themes?: ThemeService,
    /**
     * Moderation (issue 11): with it, a public report quotes only the comments an officer approved,
     * in their stored redacted form. Without it (tools that build a report for officers) a public
     * report quotes no comment at all.
     */
    private readonly moderation?: ModerationService,
  ) {}

  /**
   * The report as it stands, built again only when something it is written from has changed: a
   * response submitted, imported or deleted (the response_events log), a "we did" entry written,
   * edited, moved or removed, or the definition reloaded. Building it reads and redacts up to
   * COMMENTS_SHOWN comments per text question and computes every result, which is too much to do
   * for each anonymous request of a published report. Every input is read back from the database
   * (cheap look-ups), so a change made by another process is seen too.
   */
  current(row: ConsultationRow, audience: ReportAudience = "officer"): BuiltReport {
    const entries = this.entriesFor(row, audience);
    const key = this.keyOf(row, audience, entries);
    const slot = `${row.id}:${audience}`;
    const held = this.held.get(slot);
    this.held.delete(slot);
    const built = held?.key === key ? held.built : this.build(row, undefined, entries, audience);
    this.held.set(slot, { key, built });
    for (const id of this.held.keys()) {
      if (this.held.size <= REPORTS_HELD) break;
      this.held.delete(id);
    }
    return built;
  }

  /**
   * What the report is written from, as one string: it changes whenever the report would. A page
   * made from the report (the public HTML, built in a worker) is kept under it (see current()).
   */
  version(row: ConsultationRow, audience: ReportAudience = "officer"): string {
    return this.keyOf(row, audience, this.entriesFor(row, audience));
  }

  /** The public report carries the published entries only; officers see drafts too. */
  private entriesFor(row: ConsultationRow, audience: ReportAudience): WeDidEntry[] {
    return audience === "public"
      ? this.entries(row).filter((e) => e.publishedAt !== null)
      : this.entries(row);
  }

  private keyOf(row: ConsultationRow, audience: ReportAudience, entries: readonly WeDidEntry[]): string {
    return JSON.stringify([
      row.slug,
      row.updatedAt,
      this.results.answersVersion(row),
      entries,
      this.themes?.version(row) ?? 0,
      audience === "public" ? (this.moderation?.version(row) ?? 0) : 0,
    ]);
  }

  build(
    row: ConsultationRow,
    themes?: readonly ReportTheme[],
    entries = this.entries(row),
    audience: ReportAudience = "officer",
  ): BuiltReport {
    const computed = this.results.compute(row, null);
    const publish = audience === "public" ? this.publishedForms(row) : null;
    const results = publish ? withPublishedOtherTexts(computed, publish) : computed;
    const channels = new Map<string, number>();
    for (const d of results.byDay) channels.set(d.channel, (channels.get(d.channel) ?? 0) + d.n);
    const allThemes = themes ?? this.themes?.reportThemes(row);
    const report = buildReport(
      row.definition,
      results,
      publish ? this.publicComments(row) : this.comments(row),
      entries,
      { channels: [...channels].map(([channel, n]) => ({ channel, n })), generatedAt: this.clock() },
      publish
        ? allThemes?.map((t) => ({ ...t, quotes: publishedQuotes(t.quotes, t.questionIds, publish) }))
        : allThemes,
    );
    return { report, results };
  }

  /**
   * Every text question's comments for the public: the newest PUBLIC_QUOTES an officer approved,
   * in their redacted form, and how many comments there are in all.
   */
  publicComments(row: ConsultationRow): CommentInput[] {
    return allQuestions(row.definition).flatMap((q) => {
      if (q.kind !== "text") return [];
      const total = this.results.comments(row, q.id, [], { limit: 0, offset: 0 })?.total ?? 0;
      const item = this.moderation?.itemOf(row, q.id);
      const approved = item === undefined ? 0 : (this.moderation?.counts(row, item).approved ?? 0);
      const texts =
        item === undefined ? [] : (this.moderation?.approved(row, item).map((a) => a.redacted) ?? []);
      return [{ questionId: q.id, questionText: q.text, texts, total, moderated: { approved } }];
    });
  }

  /** Per question with comments: each approved comment's original text -> its redacted form. */
  private publishedForms(row: ConsultationRow): Map<string, Map<string, string>> {
    const forms = new Map<string, Map<string, string>>();
    for (const q of allQuestions(row.definition)) {
      const item = this.moderation?.itemOf(row, q.id);
      if (item === undefined) continue;
      const approved = this.moderation?.approved(row, item, APPROVED_LOOKUP) ?? [];
      forms.set(q.id, new Map(approved.map((a) => [a.original.trim(), a.redacted])));
    }
    return forms;
  }

  /** Every text question's answers, newest first, at most COMMENTS_SHOWN each, redacted. */
  comments(row: ConsultationRow): CommentInput[] {
    return allQuestions(row.definition).flatMap((q) => {
      if (q.kind !== "text") return [];
      const answers = this.results.comments(row, q.id, [], { limit: COMMENTS_SHOWN, offset: 0 });
      if (!answers) return [];
      return [
        {
          questionId: q.id,
          questionText: q.text,
          // A comment whose words the retention job deleted is '' (still counted in the total).
          texts: answers.rows.filter((r) => r.text !== "").map((r) => redact(r.text, QUICK)),
          total: answers.total,
        },
      ];
    });
  }

  entries(row: Pick<ConsultationRow, "id">): WeDidEntry[] {
    return this.weDid.list(row.id);
  }

  /** The entries the public sees: those an officer published, once the results are published. */
  published(consultation: Pick<ConsultationSummary, "id" | "status" | "resultsPublishedAt">): WeDidEntry[] {
    return resultsArePublic(consultation)
      ? this.weDid.list(consultation.id).filter((e) => e.publishedAt !== null)
      : [];
  }

  /** Publish an entry now, or (published false) take it back to a draft. */
  publishEntry(row: Pick<ConsultationRow, "id">, id: number, published: boolean): boolean {
    return this.weDid.publish(row.id, id, published ? this.clock() : null);
  }

  entry(row: Pick<ConsultationRow, "id">, id: number): WeDidEntry | undefined {
    return this.weDid.find(row.id, id);
  }

  addEntry(row: Pick<ConsultationRow, "id">, fields: WeDidFields): WeDidEntry {
    return this.weDid.add(row.id, fields, this.clock());
  }

  updateEntry(row: Pick<ConsultationRow, "id">, id: number, fields: WeDidFields): boolean {
    return this.weDid.update(row.id, id, fields, this.clock());
  }

  removeEntry(row: Pick<ConsultationRow, "id">, id: number): boolean {
    return this.weDid.remove(row.id, id);
  }

  moveEntry(row: Pick<ConsultationRow, "id">, id: number, direction: "up" | "down"): boolean {
    return this.weDid.move(row.id, id, direction);
  }
}
