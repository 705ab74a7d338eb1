import { randomInt } from "node:crypto";
import {
  agreementWork,
  drawSample,
  MAX_SAMPLE,
  type OfficerAgreement,
  officerAgreement,
  type ThemeScope,
  type TwiceCoded,
} from "../../analysis/themes/double-coding.js";
import type { ConsultationRepository, ConsultationRow } from "../../db/consultations.js";
import type { BlindComment, DoubleCodingRepository } from "../../db/double-coding.js";
import type { Actor, ThemeRepository } from "../../db/themes.js";
import { startWorker } from "../workers.js";
import type { AgreementTask } from "./agreement-worker.js";
import type { ResultsService } from "./results.js";
import { commentQuestions, ThemeInputError, ThemeNotFoundError, type ThemeService } from "./themes.js";

export { MAX_SAMPLE };

/** Bootstrap work (pairs visited) done on the event loop: about 10 ms; more goes to a worker. */
const INLINE_WORK = 2_000_000;

/** Where one question's double-coded sample stands, for one officer. */
export interface DoubleCodingStatus {
  drawn: number;
  coded: number;
  /** The comments this officer may still code blind (not coded first by them), in the order drawn. */
  open: BlindComment[];
}

/** The officer-versus-officer agreement of a consultation, per theme. */
export interface OfficerAgreementView {
  /** Comments coded twice (by submitted respondents). */
  compared: number;
  themes: Map<number, OfficerAgreement["agreement"]>;
  /** New codings are being worked out in a worker: these figures are the last ones, if any. */
  pending?: boolean;
}

/**
 * A double-coded sample (issue 13, item 2): an analyst draws comments that officers have already
 * coded; another officer codes them blind; the two codings give the officer-versus-officer
 * agreement, the baseline beside the model's. Only comments with a decision (a confirmed tag, or
 * marked reviewed) are drawn: an uncoded comment's "no themes" is not a decision, so drawing it
 * would count every theme the second officer gives as a disagreement. The second codes never
 * become tags, so no count changes; drawing and coding go into the themes audit trail.
 */
export class DoubleCodingService {
  private readonly held = new Map<number, { key: string; view: OfficerAgreementView }>();

  constructor(
    private readonly repo: DoubleCodingRepository,
    private readonly themeRepo: ThemeRepository,
    private readonly themes: ThemeService,
    private readonly consultations: ConsultationRepository,
    private readonly answers: ResultsService,
    private readonly clock: () => Date,
    /** Bootstrap work done on the event loop before a worker takes it (a test may set 0). */
    private readonly inlineWork = INLINE_WORK,
  ) {}

  private itemOf(row: ConsultationRow, questionId: string): number {
    const known = commentQuestions(row.definition).some((q) => q.id === questionId);
    const itemId = known
      ? this.consultations.catalog(row.id).questions.get(questionId)?.items.get("")
      : undefined;
    if (itemId === undefined) throw new ThemeNotFoundError("No such question with comments");
    return itemId;
  }

  status(row: ConsultationRow, questionId: string, officerId: number): DoubleCodingStatus {
    const itemId = this.itemOf(row, questionId);
    const group = this.answers.respondents(row, []);
    const open = this.repo.openFor(row.id, itemId, officerId).filter((c) => group.has(c.responseId));
    return { ...this.repo.progress(row.id, itemId), open };
  }

  /**
   * Draw `size` coded comments of a question not drawn before, at random (the seed is stored with
   * the draw). Throws ThemeInputError("size") when the size is out of range or nothing is coded.
   */
  draw(row: ConsultationRow, questionId: string, size: number, actor: Actor): number {
    const itemId = this.itemOf(row, questionId);
    if (!Number.isInteger(size) || size < 1 || size > MAX_SAMPLE)
      throw new ThemeInputError("size", `Enter a whole number of comments from 1 to ${MAX_SAMPLE}`);
    const group = this.answers.respondents(row, []);
    const candidates = this.repo.drawable(row.id, itemId).filter(([, responseId]) => group.has(responseId));
    if (candidates.length === 0)
      throw new ThemeInputError(
        "size",
        "There are no coded comments left to draw: code some comments in the workbench first (a confirmed theme, or marked reviewed)",
      );
    const seed = randomInt(2 ** 31);
    const ids = drawSample(candidates.length, size, seed).map((k) => (candidates[k] as [number, number])[0]);
    const now = this.clock();
    this.themeRepo.transaction(() => {
      this.repo.addDraw(row.id, itemId, actor.id, seed, ids, now);
      this.themeRepo.changed(
        row.id,
        actor,
        "double-coded sample drawn",
        `${ids.length} coded comments of question ${questionId} for a second officer to code blind (seed ${seed})`,
        now,
      );
    });
    return ids.length;
  }

  /**
   * A second officer's themes for one comment of the sample. Throws ThemeNotFoundError when the
   * comment is not open to this officer in this question's sample (another consultation's, coded
   * already, or coded first by them) or a theme is not one of the question's.
   */
  code(
    row: ConsultationRow,
    questionId: string,
    commentId: number,
    themeIds: readonly number[],
    actor: Actor,
  ): void {
    const itemId = this.itemOf(row, questionId);
    const usable = new Map(this.themes.themesFor(row, questionId).map((t) => [t.id, t.name]));
    if (themeIds.some((t) => !usable.has(t))) throw new ThemeNotFoundError("No such theme for this question");
    const now = this.clock();
    this.themeRepo.transaction(() => {
      if (this.repo.record(row.id, itemId, commentId, themeIds, actor.id, now) === 0)
        throw new ThemeNotFoundError("That comment is not waiting for you in the double-coded sample");
      this.themeRepo.changed(
        row.id,
        actor,
        "comment double-coded",
        `comment ${commentId}, coded blind: ${themeIds.length ? themeIds.map((t) => `"${usable.get(t)}"`).join(", ") : "no theme applies"}`,
        now,
      );
    });
  }

  /** The two codings of every comment coded twice (by live respondents), and the themes' scopes. */
  private inputs(row: ConsultationRow) {
    const group = this.answers.respondents(row, []);
    const questionOf = new Map<number, string>();
    for (const [id, q] of this.consultations.catalog(row.id).questions) {
      const item = q.items.get("");
      if (item !== undefined) questionOf.set(item, id);
    }
    const comments: TwiceCoded[] = this.repo
      .coded(row.id)
      .filter((c) => group.has(c.responseId))
      .map((c) => ({
        question: questionOf.get(c.itemId) ?? "",
        first: [...c.first].sort((a, b) => a - b),
        second: [...c.second].sort((a, b) => a - b),
      }));
    const themes: ThemeScope[] = this.themes.codebook(row).map((t) => ({ id: t.id, questions: t.questions }));
    // The figures depend on these alone, so they are worked out again only when these change.
    return { key: JSON.stringify([comments, themes]), comments, themes };
  }

  private readonly running = new Map<string, Promise<OfficerAgreementView>>();

  private compute(rowId: number, key: string, comments: TwiceCoded[], themes: ThemeScope[]) {
    const running = this.running.get(key);
    if (running) return running;
    const done = new Promise<OfficerAgreement[]>((resolve, reject) => {
      const task: AgreementTask = { comments, themes };
      const worker = startWorker("agreement-worker", import.meta.url, { workerData: task });
      worker.once("message", (m) => {
        resolve(m as OfficerAgreement[]);
        void worker.terminate();
      });
      worker.once("error", reject);
      worker.once("exit", (code) => {
        if (code !== 0) reject(new Error(`agreement worker stopped with code ${code}`));
      });
    })
      .then((measured) => {
        const view = viewOf(comments.length, measured);
        this.held.set(rowId, { key, view });
        return view;
      })
      .finally(() => this.running.delete(key));
    this.running.set(key, done);
    return done;
  }

  /**
   * Per theme, the second officers against the first coding (the comment's confirmed tags now), with
   * bootstrap intervals. A small sample is worked out at once; a large one in a worker, meanwhile
   * the last figures are returned marked pending. Held until either coding of a sampled comment,
   * or the codebook, changes.
   */
  agreement(row: ConsultationRow): OfficerAgreementView {
    const { key, comments, themes } = this.inputs(row);
    const held = this.held.get(row.id);
    if (held && held.key === key) return held.view;
    if (agreementWork(comments.length, themes.length) <= this.inlineWork) {
      const view = viewOf(comments.length, officerAgreement(comments, themes));
      this.held.set(row.id, { key, view });
      return view;
    }
    this.compute(row.id, key, comments, themes).catch(() => {
      // Shown as still pending; the next page asks again.
    });
    return { ...(held?.view ?? { compared: 0, themes: new Map() }), pending: true };
  }

  /** The agreement once worked out (in a worker when large): for tests and reports that can wait. */
  agreementNow(row: ConsultationRow): Promise<OfficerAgreementView> {
    const first = this.agreement(row);
    if (!first.pending) return Promise.resolve(first);
    const { key, comments, themes } = this.inputs(row);
    return this.compute(row.id, key, comments, themes);
  }
}

const viewOf = (compared: number, measured: OfficerAgreement[]): OfficerAgreementView => ({
  compared,
  themes: new Map(measured.map((m) => [m.themeId, m.agreement])),
});
