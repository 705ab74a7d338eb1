import type { ThemeAgreement } from "../../analysis/themes/suggest.js";
import { MIN_CONFIRMED } from "../../analysis/themes/suggest.js";
import type { ConsultationRepository, ConsultationRow } from "../../db/consultations.js";
import type { TagRepository } from "../../db/tags.js";
import type { ThemeModelRepository } from "../../db/theme-models.js";
import type { Actor, ThemeRepository } from "../../db/themes.js";
import { startWorker } from "../workers.js";
import { codedComments } from "./coded-comments.js";
import type { StoredSummary, TrainInput, TrainResult } from "./theme-train-worker.js";
import { appliesTo, ThemeNotFoundError } from "./themes.js";

/** Learn again after this many newly confirmed tags. */
export const RETRAIN_EVERY = 20;

export interface ThemeSuggestionStatus {
  id: number;
  name: string;
  confirmed: number;
  /** Confirmed comments still needed before the model suggests this theme (0: enough). */
  needed: number;
  suggestions: number;
  agreement: ThemeAgreement | null;
}

export interface SuggestionStatus {
  training: boolean;
  model: { createdAt: string; confirmedTags: number; trainMs: number } | null;
  /** Tags confirmed since the model learned. */
  newConfirmations: number;
  retrainEvery: number;
  themes: ThemeSuggestionStatus[];
  /** Why the last training failed, if it did. */
  failure: string | null;
}

/** One training in a worker thread, resolving with its one message. */
function runWorker<T>(input: TrainInput): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = startWorker("theme-train-worker", import.meta.url, { workerData: input });
    worker.once("message", (m: T) => resolve(m));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the training worker stopped with code ${code}`));
    });
  });
}

/**
 * Suggestions learned from the officers' own coding. Training runs in a worker thread, which with a
 * database file also reads the comments and writes the suggestions through its own connection; one
 * training at a time per consultation. Suggestions are tags with source "model", a score and confirmed = 0, so they
 * never reach a count until an officer accepts them.
 */
export class ThemeSuggestionService {
  private readonly running = new Map<number, Promise<void>>();
  private readonly failures = new Map<number, string>();

  constructor(
    private readonly models: ThemeModelRepository,
    private readonly themes: ThemeRepository,
    private readonly tags: TagRepository,
    private readonly consultations: ConsultationRepository,
    private readonly clock: () => Date,
    private readonly retrainEvery = RETRAIN_EVERY,
  ) {}

  isTraining(row: Pick<ConsultationRow, "id">): boolean {
    return this.running.has(row.id);
  }

  /** Learn now (or join the training already under way); resolves when the suggestions are stored. */
  train(row: ConsultationRow): Promise<void> {
    const under = this.running.get(row.id);
    if (under) return under;
    const job = this.runTraining(row).finally(() => this.running.delete(row.id));
    this.running.set(row.id, job);
    return job;
  }

  /**
   * Learn again in the background when `retrainEvery` tags have been confirmed since the last
   * model. Returns whether it started. The first model is asked for by an officer ("learn from the
   * coding now"), so that nobody gets suggestions they did not turn on.
   */
  maybeRetrain(row: ConsultationRow): boolean {
    if (this.running.has(row.id)) return false;
    const latest = this.models.latest(row.id);
    if (!latest || this.models.confirmedCount(row.id) - latest.confirmedTags < this.retrainEvery)
      return false;
    this.train(row).catch(() => {
      // Kept in failures and shown on the page; the next trigger tries again.
    });
    return true;
  }

  private async runTraining(row: ConsultationRow): Promise<void> {
    const themes = this.themes.list(row.id);
    const themeIds = themes.map((t) => t.id);
    const themesByItem: [number, number[]][] = [];
    for (const [key, q] of this.consultations.catalog(row.id).questions) {
      const applying = themes.filter((t) => appliesTo(t, key)).map((t) => t.id);
      for (const itemId of q.items.values()) themesByItem.push([itemId, applying]);
    }
    try {
      const file = this.models.file();
      const { decisions, suggestions } = file
        ? await this.trainFromFile(row, file, themesByItem, themeIds)
        : await this.trainHere(row, themesByItem, themeIds);
      this.themes.changed(
        row.id,
        null,
        "model trained",
        `learned from ${decisions} officer decisions; ${suggestions} suggestions`,
        this.clock(),
      );
      this.failures.delete(row.id);
    } catch (e) {
      this.failures.set(row.id, e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  /**
   * The worker reads the comments, learns and stores the suggestions through its own connection
   * (in short transactions): at 100,000 comments, reading and storing on this thread each held
   * the request loop for seconds.
   */
  private async trainFromFile(
    row: ConsultationRow,
    path: string,
    themesByItem: [number, number[]][],
    themeIds: number[],
  ): Promise<{ decisions: number; suggestions: number }> {
    return runWorker<StoredSummary>({
      kind: "file",
      path,
      consultationId: row.id,
      themesByItem,
      themeIds,
      seed: 1,
      createdAt: this.clock().toISOString(),
    });
  }

  /** An in-memory database (tests): read and store here, learn in the worker. */
  private async trainHere(
    row: ConsultationRow,
    themesByItem: [number, number[]][],
    themeIds: number[],
  ): Promise<{ decisions: number; suggestions: number }> {
    const byItem = new Map(themesByItem);
    const comments = codedComments(this.models.comments(row.id), (item) => byItem.get(item) ?? []);
    const confirmedTags = this.models.confirmedCount(row.id);
    const out = await runWorker<TrainResult>({ kind: "data", comments, themeIds, seed: 1 });
    this.models.store(
      row.id,
      {
        createdAt: this.clock().toISOString(),
        confirmedTags,
        themes: themeIds,
        model: out.model,
        agreement: JSON.stringify(out.agreement),
        trainMs: out.trainMs,
        training: out.decisions,
      },
      out.suggestions,
      out.margins,
    );
    return { decisions: out.decisions.length, suggestions: out.suggestions.length };
  }

  status(row: ConsultationRow, questionId?: string): SuggestionStatus {
    const latest = this.models.latest(row.id);
    const agreement = latest ? (JSON.parse(latest.agreement) as Record<string, ThemeAgreement | null>) : {};
    const confirmed = this.models.confirmedByTheme(row.id);
    const suggestions = this.models.suggestionCounts(row.id);
    const themes = this.themes
      .list(row.id, false)
      .filter((t) => questionId === undefined || appliesTo(t, questionId))
      .map((t) => {
        const n = confirmed.get(t.id) ?? 0;
        return {
          id: t.id,
          name: t.name,
          confirmed: n,
          needed: Math.max(0, MIN_CONFIRMED - n),
          suggestions: suggestions.get(t.id) ?? 0,
          agreement: agreement[String(t.id)] ?? null,
        };
      });
    return {
      training: this.running.has(row.id),
      model: latest
        ? { createdAt: latest.createdAt, confirmedTags: latest.confirmedTags, trainMs: latest.trainMs }
        : null,
      newConfirmations: latest ? this.models.confirmedCount(row.id) - latest.confirmedTags : 0,
      retrainEvery: this.retrainEvery,
      themes,
      failure: this.failures.get(row.id) ?? null,
    };
  }

  /** Accept every suggestion of a theme with at least this score, as one batch that can be undone. */
  acceptAbove(
    row: ConsultationRow,
    themeId: number,
    minScore: number,
    actor: Actor,
  ): { batchId: number; tagged: number } {
    const theme = this.themes.find(row.id, themeId);
    if (!theme) throw new ThemeNotFoundError("No such theme");
    const now = this.clock();
    return this.themes.transaction(() => {
      const ids = this.models.suggestionsAbove(row.id, themeId, minScore);
      const description = `"${theme.name}" suggestions scored ${minScore.toFixed(2)} or more accepted`;
      const batchId = this.tags.startBatch(row.id, themeId, "bulk", description, actor.id, now);
      let tagged = 0;
      for (const id of ids)
        tagged += this.tags.tag(row.id, id, themeId, {
          source: "officer",
          confirmed: true,
          officerId: actor.id,
          now,
          batchId,
        });
      this.tags.finishBatch(batchId, tagged);
      this.themes.changed(
        row.id,
        actor,
        "suggestions accepted",
        `${description}: ${tagged} (batch ${batchId})`,
        now,
      );
      return { batchId, tagged };
    });
  }
}
