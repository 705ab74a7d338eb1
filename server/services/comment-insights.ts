import type { ConsultationDefinition } from "../../analysis/definition.js";
import { scaleOf } from "../../analysis/definition.js";
import type { Candidate } from "../../analysis/themes/discovery.js";
import { parseRules } from "../../analysis/themes/rules.js";
import { STANCES, type Stance, stanceOfGroup } from "../../analysis/themes/stance.js";
import type { CampaignCounting, CommentInsightRepository, InsightRun } from "../../db/comment-insights.js";
import type { ConsultationRepository, ConsultationRow } from "../../db/consultations.js";
import type { Actor } from "../../db/themes.js";
import { startWorker } from "../workers.js";
import type { FoundCandidate, InsightFileTask, InsightTask, RowsKept, RowsRead } from "./insights-worker.js";
import type { ResultsService } from "./results.js";
import { commentQuestions, ThemeNotFoundError, type ThemeService } from "./themes.js";

export const CAMPAIGN_THRESHOLD = 0.8;
/** Candidates from discovery, held until the codebook or tags change. */
const HELD_DISCOVERIES = 20;

/** A campaign as the insights page shows it. */
export interface CampaignView {
  groupId: number;
  count: number;
  text: string;
  commentIds: number[];
}

export interface CandidateView extends Candidate {
  /** The sample comments' texts. */
  sampleTexts: string[];
  /** A name to start from: the two most distinctive terms. */
  name: string;
}

export interface ThemeStanceRow {
  themeId: number;
  name: string;
  counts: Record<Stance, number>;
}

/**
 * Run one analysis in a worker. A task on a database file asks, once it has read the comments,
 * which of them count (`answer`): see insights-worker.ts.
 */
function runInWorker<T>(
  task: InsightTask | InsightFileTask,
  answer?: (read: RowsRead) => RowsKept,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = startWorker("insights-worker", import.meta.url, { workerData: task });
    worker.on("message", (m: { done: unknown } | RowsRead) => {
      if ("done" in m) {
        resolve(m.done as T);
        void worker.terminate();
        return;
      }
      try {
        const kept = answer ? answer(m) : { keep: new Uint8Array(m.responseIds.length).fill(1) };
        const buffers = kept.labels ? [kept.keep.buffer, kept.labels.buffer] : [kept.keep.buffer];
        worker.postMessage(kept, buffers as ArrayBuffer[]);
      } catch (err) {
        reject(err);
        void worker.terminate();
      }
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`insights worker stopped with code ${code}`));
    });
  });
}

/**
 * Campaigns (near-identical comments), theme discovery and stance for a question's comments. The
 * analyses run in a worker thread; campaigns and stances are stored, so the dashboard and report
 * read them without recomputing. Only comments of submitted responses are used: an import still
 * being staged may yet be refused whole.
 */
export class CommentInsightService {
  private readonly discoveries = new Map<string, CandidateView[]>();
  private readonly heldMembers = new Map<string, Map<number, { groupId: number; count: number }>>();

  constructor(
    private readonly store: CommentInsightRepository,
    private readonly consultations: ConsultationRepository,
    private readonly answers: ResultsService,
    private readonly themes: ThemeService,
    private readonly clock: () => Date,
  ) {}

  itemOf(row: ConsultationRow, questionId: string): number {
    const q = commentQuestions(row.definition).find((x) => x.id === questionId);
    const itemId = q ? this.consultations.catalog(row.id).questions.get(q.id)?.items.get("") : undefined;
    if (itemId === undefined) throw new ThemeNotFoundError("No such question with comments");
    return itemId;
  }

  /** The comments of submitted responses to one question: [comment id, response id, text]. */
  private liveTexts(row: ConsultationRow, itemId: number) {
    const live = this.answers.respondents(row, []);
    return this.store.texts(row.id, itemId).filter(([, responseId]) => live.has(responseId));
  }

  /** The worker's question answered: which of the comments it read are of live respondents. */
  private keepLive(row: ConsultationRow): (read: RowsRead) => RowsKept {
    return ({ responseIds }) => {
      const live = this.answers.respondents(row, []);
      return { keep: Uint8Array.from(responseIds, (id) => (live.has(id) ? 1 : 0)) };
    };
  }

  /** A file task for the worker: it reads and writes through its own connection. */
  private fileTask(
    file: string,
    row: ConsultationRow,
    itemId: number,
    kind: InsightFileTask["kind"],
  ): InsightFileTask {
    return { kind, path: file, consultationId: row.id, itemId, now: this.clock().toISOString() };
  }

  counting(row: ConsultationRow): CampaignCounting {
    return this.store.counting(row.id);
  }

  countingOf(consultationId: number): CampaignCounting {
    return this.store.counting(consultationId);
  }

  setCounting(row: ConsultationRow, counting: CampaignCounting, actor: Actor): void {
    this.store.setCounting(row.id, counting, actor.id, this.clock());
    this.themes.insightsChanged(
      row,
      actor,
      counting === "once" ? "a campaign counts once" : "a campaign counts once per respondent",
    );
  }

  /** Response ids per item of campaign copies: every member of a campaign but its representative. */
  campaignCopies(consultationId: number): Map<number, Set<number>> {
    return this.store.campaignCopies(consultationId);
  }

  /** Response ids per item that a campaign counting once leaves out (none when each counts). */
  excludedFromCounts(consultationId: number): Map<number, Set<number>> {
    return this.store.counting(consultationId) === "once"
      ? this.store.campaignCopies(consultationId)
      : new Map();
  }

  lastRun(row: ConsultationRow, questionId: string, kind: "campaigns" | "stance"): InsightRun | undefined {
    return this.store.run(row.id, this.itemOf(row, questionId), kind);
  }

  /** Find the question's campaigns again (in a worker) and store them. */
  async findCampaigns(row: ConsultationRow, questionId: string, actor: Actor): Promise<number> {
    const itemId = this.itemOf(row, questionId);
    const file = this.store.file();
    let found: number;
    if (file) {
      const task = { ...this.fileTask(file, row, itemId, "campaigns"), threshold: CAMPAIGN_THRESHOLD };
      found = (await runInWorker<{ groups: number }>(task, this.keepLive(row))).groups;
    } else {
      const rows = this.liveTexts(row, itemId);
      const groups = await runInWorker<number[][]>({
        kind: "campaigns",
        texts: rows.map((r) => r[2]),
        threshold: CAMPAIGN_THRESHOLD,
      });
      this.store.replaceCampaigns(
        row.id,
        itemId,
        groups.map((g) => g.map((i) => rows[i]?.[0] as number)),
        rows.length,
        this.clock(),
      );
      found = groups.length;
    }
    this.themes.insightsChanged(row, actor, `${found} campaigns found in "${questionId}"`);
    return found;
  }

  /**
   * The stored campaigns of a question, with their representative's text (the first member still
   * counting: a campaign keeps its id when its first member is set aside as spam or a duplicate).
   */
  campaigns(row: ConsultationRow, questionId: string): CampaignView[] {
    const itemId = this.itemOf(row, questionId);
    const stored = this.store.campaigns(row.id, itemId);
    const heads = stored.map((g) => g.commentIds[0] ?? g.groupId);
    const texts = new Map(this.themes.commentRows(row, heads).map((c) => [c.id, c.text] as const));
    return stored.map((g, k) => ({
      groupId: g.groupId,
      count: g.commentIds.length,
      text: texts.get(heads[k] ?? g.groupId) ?? "",
      commentIds: g.commentIds,
    }));
  }

  /**
   * One item's campaign members among the live respondents: response id -> the campaign (its group
   * and how many of them sent it), for the workbench to list each campaign once. Held until the
   * themes or campaigns change (finding campaigns raises the themes' version).
   */
  membersOf(row: ConsultationRow, itemId: number): Map<number, { groupId: number; count: number }> {
    const live = this.answers.respondents(row, []);
    const key = `${row.id}:${itemId}:${this.themes.version(row)}:${live.count}`;
    const held = this.heldMembers.get(key);
    if (held) return held;
    const members = new Map<number, { groupId: number; count: number }>();
    for (const g of this.store.campaigns(row.id, itemId)) {
      const ids = g.responseIds.filter((r) => live.has(r));
      if (ids.length < 2) continue;
      const campaign = { groupId: g.groupId, count: ids.length };
      for (const r of ids) members.set(r, campaign);
    }
    if (this.heldMembers.size >= HELD_DISCOVERIES) this.heldMembers.clear();
    this.heldMembers.set(key, members);
    return members;
  }

  /** Code a whole campaign as one: the theme goes on every member, as one batch that can be undone. */
  codeCampaign(row: ConsultationRow, questionId: string, groupId: number, themeId: number, actor: Actor) {
    const campaign = this.campaigns(row, questionId).find((g) => g.groupId === groupId);
    if (!campaign) throw new ThemeNotFoundError("No such campaign");
    return this.themes.tagMany(
      row,
      questionId,
      campaign.commentIds,
      themeId,
      actor,
      `campaign of ${campaign.count}`,
    );
  }

  /**
   * Candidate themes for the question's comments that no theme covers (no tag at all), against
   * those that have one; computed in a worker and held until the codebook or a tag changes.
   */
  async discover(row: ConsultationRow, questionId: string): Promise<CandidateView[]> {
    const itemId = this.itemOf(row, questionId);
    const key = `${row.id}:${itemId}:${this.themes.version(row)}:${this.answers.respondents(row, []).count}`;
    const held = this.discoveries.get(key);
    if (held) return held;
    const file = this.store.file();
    const found = file
      ? await runInWorker<FoundCandidate[]>(this.fileTask(file, row, itemId, "discover"), this.keepLive(row))
      : await this.discoverHere(row, itemId);
    const views = found
      .filter((c) => parseRules(c.rule).ok)
      .map(({ sampleTexts, matchedComments, ...c }) => ({
        ...c,
        name: c.terms.slice(0, 2).join(", "),
        sampleTexts,
        matched: matchedComments,
      }));
    if (this.discoveries.size >= HELD_DISCOVERIES) this.discoveries.clear();
    this.discoveries.set(key, views);
    return views;
  }

  /** Discovery with an in-memory database: the comments read here, the analysis in a worker. */
  private async discoverHere(row: ConsultationRow, itemId: number): Promise<FoundCandidate[]> {
    const rows = this.liveTexts(row, itemId);
    const tagged = this.store.tagged(row.id, itemId);
    const uncovered = rows.filter((r) => !tagged.has(r[0]));
    const covered = rows.filter((r) => tagged.has(r[0]));
    const found = await runInWorker<Candidate[]>({
      kind: "discover",
      uncovered: uncovered.map((r) => r[2]),
      covered: covered.map((r) => r[2]),
    });
    return found.map((c) => ({
      ...c,
      sampleTexts: c.samples.map((i) => uncovered[i]?.[2] ?? ""),
      matchedComments: c.matched.map((i) => uncovered[i]?.[0] as number),
    }));
  }

  /**
   * The closed question a comment's stance is learned from: a question on 5-point-like scale
   * ("likert") on the same page as the comment's question, else the nearest such question before it.
   */
  stanceSource(def: ConsultationDefinition, questionId: string): { id: string; text: string } | undefined {
    let earlier: { id: string; text: string } | undefined;
    for (const page of def.pages) {
      const here = page.questions.some((q) => q.id === questionId);
      if (here) {
        const same = page.questions.find((q) => q.kind === "likert");
        if (same) return { id: same.id, text: same.text };
        return earlier;
      }
      for (const q of page.questions) if (q.kind === "likert") earlier = { id: q.id, text: q.text };
    }
    return undefined;
  }

  /**
   * Work out and store the stance of every comment on a question: learned from the respondents'
   * answers to the closed question beside it when enough of them agree and disagree, else with
   * natural's sentiment analyser. Returns how it was done.
   */
  async findStances(row: ConsultationRow, questionId: string): Promise<{ learnedFrom: string | null }> {
    const itemId = this.itemOf(row, questionId);
    const source = this.stanceSource(row.definition, questionId);
    const labelOf = this.stanceLabels(row, source?.id);
    const file = this.store.file();
    if (file) {
      const live = this.keepLive(row);
      return runInWorker<{ learnedFrom: string | null }>(
        { ...this.fileTask(file, row, itemId, "stance"), source: source?.id ?? null },
        (read) => ({
          keep: live(read).keep,
          labels: Int8Array.from(read.responseIds, (id) => {
            const stance = labelOf(id);
            return stance ? STANCES.indexOf(stance) : -1;
          }),
        }),
      );
    }
    const rows = this.liveTexts(row, itemId);
    const out = await runInWorker<{ learned: boolean; stances: { stance: Stance; score: number }[] }>({
      kind: "stance",
      texts: rows.map((r) => r[2]),
      labels: rows.map((r) => labelOf(r[1])),
    });
    const learnedFrom = out.learned && source ? source.id : null;
    this.store.replaceStances(
      row.id,
      itemId,
      rows.map((r, i) => ({
        commentId: r[0],
        stance: out.stances[i]?.stance ?? "mixed",
        score: out.stances[i]?.score ?? 0,
      })),
      learnedFrom ?? "",
      this.clock(),
    );
    return { learnedFrom };
  }

  /**
   * Each respondent's stance from their answer to the closed question `sourceId` (agree: supports,
   * disagree: opposes...), or null: what the stance model learns from.
   */
  private stanceLabels(
    row: ConsultationRow,
    sourceId: string | undefined,
  ): (responseId: number) => Stance | null {
    const q = sourceId
      ? row.definition.pages.flatMap((p) => p.questions).find((x) => x.id === sourceId)
      : undefined;
    const scale = q && q.kind === "likert" ? scaleOf(row.definition, q) : undefined;
    const groups: { stance: Stance; has: (id: number) => boolean }[] = [];
    for (const option of scale?.options ?? []) {
      const stance = stanceOfGroup(option.group);
      if (!stance || !q) continue;
      groups.push({
        stance,
        has: this.answers.respondents(row, [{ question: q.id, codes: [option.code] }]).has,
      });
    }
    // As before: a later option's group wins where a respondent is in two (they cannot be).
    return (responseId) => {
      let found: Stance | null = null;
      for (const g of groups) if (g.has(responseId)) found = g.stance;
      return found;
    };
  }

  /**
   * Theme x stance for each question whose stances were worked out: respondents per theme and
   * stance (confirmed tags), for the respondents `inGroup` keeps; plus every commenter's stance.
   */
  themeStance(
    row: ConsultationRow,
    inGroup: (responseId: number) => boolean = () => true,
  ): {
    question: { id: string; text: string };
    method: string;
    totals: Record<Stance, number>;
    themes: ThemeStanceRow[];
  }[] {
    const codebook = this.themes.codebook(row);
    const names = new Map(codebook.map((t) => [t.id, t.parentName ? `${t.parentName}: ${t.name}` : t.name]));
    const live = this.answers.respondents(row, []);
    const keep = (id: number) => live.has(id) && inGroup(id);
    const excluded = this.excludedFromCounts(row.id);
    return commentQuestions(row.definition).flatMap((q) => {
      const itemId = this.itemOf(row, q.id);
      const run = this.store.run(row.id, itemId, "stance");
      if (!run) return [];
      const skip = excluded.get(itemId);
      const counted = (id: number) => keep(id) && !skip?.has(id);
      const zero = () => Object.fromEntries(STANCES.map((s) => [s, 0])) as Record<Stance, number>;
      const totals = zero();
      for (const [responseId, stance] of this.store.stances(row.id, itemId))
        if (counted(responseId)) totals[stance]++;
      const byTheme = new Map<number, Record<Stance, number>>();
      for (const [themeId, responseId, stance] of this.store.themeStances(row.id, itemId)) {
        if (!counted(responseId)) continue;
        const c = byTheme.get(themeId) ?? zero();
        c[stance]++;
        byTheme.set(themeId, c);
      }
      const learned = run.detail !== "";
      const from = learned
        ? row.definition.pages.flatMap((p) => p.questions).find((x) => x.id === run.detail)
        : undefined;
      return [
        {
          question: { id: q.id, text: q.text },
          method: learned
            ? `Learned from each respondent's answer to "${from?.text ?? run.detail}", read from the words of the comment.`
            : "Read from the words of the comment with a sentiment word list (natural's SentimentAnalyzer): there was no closed question beside it with enough agreeing and disagreeing answers to learn from.",
          totals,
          themes: [...byTheme]
            .map(([themeId, counts]) => ({ themeId, name: names.get(themeId) ?? "", counts }))
            .filter((t) => t.name !== "")
            .sort((a, b) => a.name.localeCompare(b.name)),
        },
      ];
    });
  }
}
