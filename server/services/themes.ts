import Papa from "papaparse";
import type { ConsultationDefinition, Question } from "../../analysis/definition.js";
import { NotFoundError } from "../../analysis/errors.js";
import type { ReportTheme } from "../../analysis/report/types.js";
import {
  CODEBOOK_COLUMNS,
  type CodebookError,
  type CodebookRow,
  type CodebookTheme,
  checkCodebook,
  questionList,
} from "../../analysis/themes/codebook.js";
import { type ThemeQuestionResult, themeQuestionResult } from "../../analysis/themes/results.js";
import { matcher, parseRule, parseRules, searchQuery } from "../../analysis/themes/rules.js";
import type { ConsultationRepository, ConsultationRow } from "../../db/consultations.js";
import { CODED, type ConfirmedTags } from "../../db/confirmed-tags.js";
import type { CommentQuery, CommentRow, TagRepository } from "../../db/tags.js";
import type { ThemeModelRepository } from "../../db/theme-models.js";
import { type Actor, ThemeNameTakenError, type ThemeRepository, type ThemeRow } from "../../db/themes.js";
import { BOM, toCsv } from "./csv.js";
import type { FilterChoice, ResultsService } from "./results.js";
import { ThemeQuotes } from "./theme-quotes.js";

export type { ThemeQuestionResult, ThemeRow };

/** A form field an officer must correct, with the message to show beside it. */
export class ThemeInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Something the request names (a comment, theme or batch) is not in this consultation. */
export class ThemeNotFoundError extends NotFoundError {}

/**
 * Whether a workbench query narrows by closed answers only (no theme, coding, review, flag or
 * search) and lists newest first.
 */
const onlyGroups = (q: WorkbenchQuery) =>
  !q.leastSureFirst &&
  q.themeId === undefined &&
  !q.untagged &&
  !q.unconfirmed &&
  q.reviewed === undefined &&
  !q.flagged &&
  (q.search === undefined || q.search.trim() === "");

/** The campaign (near-identical comments) a comment belongs to: its group and how many sent it. */
export interface CampaignOfComment {
  groupId: number;
  count: number;
}

/** What the workbench lists: one question's comments, narrowed by every filter given. */
export interface WorkbenchQuery {
  question: string;
  filters: FilterChoice[];
  themeId?: number;
  untagged?: boolean;
  unconfirmed?: boolean;
  reviewed?: boolean;
  flagged?: boolean;
  /** Words, "phrases" and -exclusions as the officer typed them. */
  search?: string;
  /** The comments the theme model is least sure about first (then newest first). */
  leastSureFirst?: boolean;
}

/** A theme as a form gives it (the parent by id). */
export interface ThemeFields {
  name: string;
  description: string;
  parentId: number | null;
  questions: string[];
  rules: string;
}

export type TagAction = "apply" | "confirm" | "remove" | "quote" | "unquote";
const TAG_ACTIONS: Record<TagAction, string> = {
  apply: "tag applied",
  confirm: "tag confirmed",
  remove: "tag removed (kept as a rejection)",
  quote: "quote picked",
  unquote: "quote unpicked",
};

/** How many matching comments a rule preview lists. */
export const RULE_SAMPLE = 5;
/** Work done between yields when rules are tested on many comments (keeps the event loop free). */
const SLICE_MS = 20;

/** Text questions and multiple choices with "Other, please specify": the questions with comments. */
export function commentQuestions(def: ConsultationDefinition): Question[] {
  return def.pages.flatMap((p) =>
    p.questions.filter((q) => q.kind === "text" || (q.kind === "multiple" && q.other !== undefined)),
  );
}

/** Whether a theme applies to a question (no questions listed: every question with comments). */
export const appliesTo = (theme: Pick<ThemeRow, "questions">, questionId: string) =>
  theme.questions.length === 0 || theme.questions.includes(questionId);

/** A rule's parse error reworded for the search box (which already shows what was typed). */
function searchMessage(typed: string, error: string): string {
  const prefix = `In "${typed}", `;
  if (error.startsWith(prefix)) {
    const rest = error.slice(prefix.length);
    return rest.charAt(0).toUpperCase() + rest.slice(1);
  }
  if (error.includes("only leaves words out"))
    return 'Add a word or "phrase" to search for, not only -words to leave out';
  return error.replace(`"${typed}" `, "The search ");
}

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The codebook, the coding of comments and the audit trail. Every change is one transaction that
 * also raises the consultation's theme version and writes the audit trail; ids from a form are
 * looked up within the consultation, so another consultation's comment or theme is "not found".
 */
export class ThemeService {
  private readonly quotePicker: ThemeQuotes;
  private readonly heldCopies = new Map<
    number,
    { key: string; copies: Map<number, Set<number>>; serial: number }
  >();
  /** Serial of the campaign copies read, raised only when what they hold changes. */
  private copiesSerial = 0;
  /**
   * Theme counts kept per consultation, item, group and grouping question, each current to a
   * position in the held tags' change journal: a request after a tag change tests only the
   * respondents that changed, not every tagged respondent of every theme.
   */
  private readonly heldCounts = new Map<string, HeldCounts>();

  constructor(
    private readonly themes: ThemeRepository,
    private readonly tags: TagRepository,
    private readonly consultations: ConsultationRepository,
    private readonly answers: ResultsService,
    private readonly clock: () => Date,
    /** The stored theme models, for the report's note on how far the model agreed. */
    private readonly models?: ThemeModelRepository,
  ) {
    this.quotePicker = new ThemeQuotes(tags);
  }

  /**
   * How campaigns count (set by the comment insights service, which depends on this one): the
   * response ids per item of campaign copies (every member of a campaign but the one that stands
   * for it: left out of the counts when a campaign counts once, and never quoted), and which way
   * was chosen, for the pages and files that state it.
   */
  private campaignCounting: {
    copies: (consultationId: number) => Map<number, Set<number>>;
    counting: (consultationId: number) => "each" | "once";
    /** Question id -> theme id -> respondents by stance, where stance was worked out. */
    stances: (
      row: ConsultationRow,
    ) => Map<string, Map<number, Record<"supports" | "mixed" | "opposes", number>>>;
    /** An item's campaign members: response id -> its campaign, for the workbench to show once. */
    members: (row: ConsultationRow, itemId: number) => Map<number, CampaignOfComment>;
  } = {
    copies: () => new Map(),
    counting: () => "each",
    stances: () => new Map(),
    members: () => new Map(),
  };

  countCampaignsWith(provider: ThemeService["campaignCounting"]): void {
    this.campaignCounting = provider;
  }

  /** The officer-versus-officer agreement on a blind double-coded sample (none until one is coded). */
  private officersAgreement: (row: ConsultationRow) => {
    compared: number;
    themes: ReadonlyMap<number, { f1: { value: number }; kappa: { value: number } }>;
  } = () => ({ compared: 0, themes: new Map() });

  measureOfficersWith(provider: ThemeService["officersAgreement"]): void {
    this.officersAgreement = provider;
  }

  /** Whether a campaign counts once or once per respondent in this consultation's theme counts. */
  campaignsCount(row: ConsultationRow): "each" | "once" {
    return this.campaignCounting.counting(row.id);
  }

  /** Campaigns or their counting changed: raise the version, so counts and quotes are read again. */
  insightsChanged(row: ConsultationRow, actor: Actor | null, detail: string): void {
    this.themes.transaction(() =>
      this.themes.changed(row.id, actor, "campaigns changed", detail, this.clock()),
    );
  }

  /** Tag these comments of one question with a theme, as one batch that can be undone. */
  tagMany(
    row: ConsultationRow,
    questionId: string,
    commentIds: readonly number[],
    themeId: number,
    actor: Actor,
    what: string,
  ): { batchId: number; tagged: number } {
    const theme = this.theme(row, themeId);
    if (!appliesTo(theme, questionId))
      throw new ThemeNotFoundError("That theme is not used for this question");
    return this.batch(row, theme, commentIds, "bulk", `"${theme.name}" on a ${what}`, actor, true, "officer");
  }

  codebook(row: ConsultationRow): ThemeRow[] {
    return this.themes.list(row.id);
  }

  theme(row: ConsultationRow, themeId: number): ThemeRow {
    const theme = this.themes.find(row.id, themeId);
    if (!theme) throw new ThemeNotFoundError("No such theme");
    return theme;
  }

  /** The themes an officer can apply to a question's comments. */
  themesFor(row: ConsultationRow, questionId: string): ThemeRow[] {
    return this.themes.list(row.id, false).filter((t) => appliesTo(t, questionId));
  }

  audit(row: ConsultationRow) {
    return this.themes.audit(row.id);
  }

  /** The officers' rejections, as [comment id, theme id]: negatives for the model. */
  tagRejections(row: ConsultationRow): [number, number][] {
    return this.tags.rejections(row.id);
  }

  batches(row: ConsultationRow) {
    return this.tags.batches(row.id);
  }

  /** Check a theme's fields against the codebook; throws ThemeInputError naming the field. */
  private check(row: ConsultationRow, f: ThemeFields, self: number | null): void {
    const known = new Set(commentQuestions(row.definition).map((q) => q.id));
    const unknown = f.questions.find((q) => !known.has(q));
    if (unknown) throw new ThemeInputError("questions", `"${unknown}" is not a question with comments`);
    if (f.parentId !== null) {
      if (f.parentId === self) throw new ThemeInputError("parentId", "A theme cannot be its own parent");
      const parent = this.themes.find(row.id, f.parentId);
      if (!parent) throw new ThemeInputError("parentId", "Choose a parent theme from the list");
      if (parent.parentId !== null)
        throw new ThemeInputError(
          "parentId",
          `"${parent.name}" has a parent itself: themes go one level deep`,
        );
      if (self !== null && this.themes.childCount(row.id, self) > 0)
        throw new ThemeInputError(
          "parentId",
          "This theme has themes under it, so it cannot go under another",
        );
    }
    const rules = parseRules(f.rules);
    if (!rules.ok) throw new ThemeInputError("rules", rules.error);
  }

  create(row: ConsultationRow, f: ThemeFields, actor: Actor): number {
    this.check(row, f, null);
    const now = this.clock();
    return this.themes.transaction(() => {
      const id = this.nameSafe(() => this.themes.create(row.id, f, now));
      this.themes.changed(row.id, actor, "theme created", `"${f.name}"`, now);
      return id;
    });
  }

  update(row: ConsultationRow, themeId: number, f: ThemeFields, actor: Actor): void {
    const before = this.theme(row, themeId);
    this.check(row, f, themeId);
    const now = this.clock();
    this.themes.transaction(() => {
      this.nameSafe(() => this.themes.update(row.id, themeId, f, now));
      const renamed = before.name !== f.name ? `"${before.name}" renamed "${f.name}"` : `"${f.name}"`;
      this.themes.changed(row.id, actor, "theme changed", renamed, now);
    });
  }

  private nameSafe<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ThemeNameTakenError) throw new ThemeInputError("name", e.message);
      throw e;
    }
  }

  /** Merge a theme into another: its tags move to the survivor. Returns the tags moved. */
  merge(row: ConsultationRow, fromId: number, intoId: number, actor: Actor): number {
    const from = this.theme(row, fromId);
    const into = this.theme(row, intoId);
    if (fromId === intoId) throw new ThemeInputError("into", "Choose another theme to merge it into");
    const now = this.clock();
    return this.themes.transaction(() => {
      const moved = this.themes.merge(row.id, fromId, intoId);
      this.themes.changed(
        row.id,
        actor,
        "themes merged",
        `"${from.name}" merged into "${into.name}" (${moved} tags)`,
        now,
      );
      return moved;
    });
  }

  remove(row: ConsultationRow, themeId: number, actor: Actor): void {
    const theme = this.theme(row, themeId);
    const now = this.clock();
    this.themes.transaction(() => {
      this.themes.delete(row.id, themeId);
      this.themes.changed(row.id, actor, "theme deleted", `"${theme.name}" (${theme.tags} tags)`, now);
    });
  }

  /**
   * The workbench: one question's comments that pass every filter and the search, newest first, a
   * page at a time, with how many there are. Throws ThemeInputError for a search that cannot parse.
   */
  workbench(
    row: ConsultationRow,
    q: WorkbenchQuery,
    page: { limit: number; offset: number },
  ): {
    total: number;
    rows: CommentRow[];
    filters: ReturnType<ResultsService["respondents"]>["filters"];
    /** The comments selected before campaigns were collapsed (a bulk apply tags them all). */
    comments: number;
    /** The campaign of each comment shown that belongs to one. */
    campaigns: Map<number, CampaignOfComment>;
  } {
    const itemId = this.itemOf(row, q.question);
    const members = this.campaignCounting.members(row, itemId);
    if (members.size > 0) return this.collapsedWorkbench(row, q, itemId, members, page);
    if (onlyGroups(q)) {
      // Nothing to ask the database but the page's texts: the answers in memory know who commented.
      const group = this.answers.respondents(row, q.filters);
      const found = group.textPage(itemId, page);
      const pageIds = this.tags.commentIds(row.id, itemId, found.responseIds);
      return {
        total: found.total,
        rows: this.tags.rows(row.id, pageIds),
        filters: group.filters,
        comments: found.total,
        campaigns: new Map(),
      };
    }
    const { responseIds, filters } = this.selection(row, q);
    const pageIds = this.tags.commentIds(
      row.id,
      itemId,
      responseIds.slice(page.offset, page.offset + page.limit),
    );
    const total = responseIds.length;
    return { total, rows: this.tags.rows(row.id, pageIds), filters, comments: total, campaigns: new Map() };
  }

  /**
   * The workbench with each campaign shown once (issue 13, item 6): of a campaign's comments that
   * the filters select, the first in the page's order stands for the rest, with the campaign's size;
   * the others are left out of the list (a bulk apply still tags them all).
   */
  private collapsedWorkbench(
    row: ConsultationRow,
    q: WorkbenchQuery,
    itemId: number,
    members: Map<number, CampaignOfComment>,
    page: { limit: number; offset: number },
  ) {
    const found = onlyGroups(q)
      ? (() => {
          const group = this.answers.respondents(row, q.filters);
          return {
            responseIds: group.textPage(itemId, { limit: Number.POSITIVE_INFINITY, offset: 0 }).responseIds,
            filters: group.filters,
          };
        })()
      : this.selection(row, q);
    const seen = new Set<number>();
    const listed: number[] = [];
    for (const responseId of found.responseIds) {
      const campaign = members.get(responseId);
      if (campaign) {
        if (seen.has(campaign.groupId)) continue;
        seen.add(campaign.groupId);
      }
      listed.push(responseId);
    }
    const shown = listed.slice(page.offset, page.offset + page.limit);
    const rows = this.tags.rows(row.id, this.tags.commentIds(row.id, itemId, shown));
    const campaigns = new Map<number, CampaignOfComment>();
    for (const r of rows) {
      const campaign = members.get(r.responseId);
      if (campaign) campaigns.set(r.id, campaign);
    }
    return {
      total: listed.length,
      rows,
      filters: found.filters,
      comments: found.responseIds.length,
      campaigns,
    };
  }

  /** The campaign a response's comment on a question belongs to, if any (for one comment's HTML). */
  campaignOf(row: ConsultationRow, questionId: string, responseId: number): CampaignOfComment | null {
    return this.campaignCounting.members(row, this.itemOf(row, questionId)).get(responseId) ?? null;
  }

  /** These comments of the consultation, with their texts, state and tags. */
  commentRows(row: ConsultationRow, commentIds: readonly number[]): CommentRow[] {
    return this.tags.rows(row.id, commentIds);
  }

  /**
   * The responses whose comment the query selects, newest first (the group filters from the answers
   * in memory); comment ids are looked up only for those a page shows or a bulk apply tags.
   */
  private selection(row: ConsultationRow, q: WorkbenchQuery) {
    const itemId = this.itemOf(row, q.question);
    const query: CommentQuery = { itemId };
    if (q.themeId !== undefined) query.themeId = q.themeId;
    if (q.untagged) query.untagged = true;
    if (q.unconfirmed) query.unconfirmed = true;
    if (q.reviewed !== undefined) query.reviewed = q.reviewed;
    if (q.flagged) query.flagged = true;
    if (q.leastSureFirst) query.leastSureFirst = true;
    if (q.search !== undefined && q.search.trim() !== "") {
      const typed = q.search.trim();
      const parsed = parseRule(typed);
      if (!parsed.ok) throw new ThemeInputError("search", searchMessage(typed, parsed.error));
      query.search = searchQuery([parsed.rule], true);
    }
    const group = this.answers.respondents(row, q.filters);
    const found = this.tags.select(row.id, query);
    const responseIds: number[] = [];
    for (const responseId of found) if (group.has(responseId)) responseIds.push(responseId);
    return { itemId, responseIds, filters: group.filters };
  }

  private itemOf(row: ConsultationRow, questionId: string): number {
    const q = commentQuestions(row.definition).find((x) => x.id === questionId);
    const itemId = q ? this.consultations.catalog(row.id).questions.get(q.id)?.items.get("") : undefined;
    if (itemId === undefined) throw new ThemeNotFoundError("No such question with comments");
    return itemId;
  }

  /** How many comments a bulk apply of the current filters and search would tag. */
  selectionCount(row: ConsultationRow, q: WorkbenchQuery): number {
    return this.selection(row, q).responseIds.length;
  }

  /** Apply, confirm or remove one theme on one comment, or pick it as a quote. */
  tag(row: ConsultationRow, commentId: number, themeId: number, action: TagAction, actor: Actor): void {
    const comment = this.tags.comment(row.id, commentId);
    // Without its tag counts: a count of the theme's tags is not needed to tag one comment.
    const theme = this.themes.find(row.id, themeId, false);
    if (!comment || !theme) throw new ThemeNotFoundError("No such comment or theme");
    const question = this.questionOfItem(row, comment.itemId);
    if (!appliesTo(theme, question)) throw new ThemeNotFoundError("That theme is not used for this question");
    const now = this.clock();
    this.themes.transaction(() => {
      const changes =
        action === "apply"
          ? this.tags.tag(row.id, commentId, themeId, {
              source: "officer",
              confirmed: true,
              officerId: actor.id,
              now,
            })
          : action === "confirm"
            ? this.tags.confirm(row.id, commentId, themeId, actor.id, now)
            : action === "remove"
              ? this.tags.remove(row.id, commentId, themeId, actor.id, now)
              : this.tags.setQuote(row.id, commentId, themeId, action === "quote");
      if (changes > 0)
        this.themes.changed(
          row.id,
          actor,
          TAG_ACTIONS[action],
          `"${theme.name}" on comment ${commentId}`,
          now,
        );
    });
  }

  private questionOfItem(row: ConsultationRow, itemId: number): string {
    for (const [key, q] of this.consultations.catalog(row.id).questions)
      if (q.items.get("") === itemId) return key;
    return "";
  }

  review(row: ConsultationRow, commentId: number, reviewed: boolean, actor: Actor): void {
    const now = this.clock();
    this.themes.transaction(() => {
      if (this.tags.setReviewed(row.id, commentId, reviewed, actor.id, now) === 0)
        throw new ThemeNotFoundError("No such comment");
      this.themes.changed(
        row.id,
        actor,
        reviewed ? "comment reviewed" : "comment not reviewed",
        `comment ${commentId}`,
        now,
      );
    });
  }

  /** Flag a comment for follow-up with a note, or clear the flag (note null). */
  flag(row: ConsultationRow, commentId: number, note: string | null, actor: Actor): void {
    const now = this.clock();
    this.themes.transaction(() => {
      if (this.tags.setFlag(row.id, commentId, note, actor.id, now) === 0)
        throw new ThemeNotFoundError("No such comment");
      this.themes.changed(
        row.id,
        actor,
        note === null ? "flag cleared" : "comment flagged",
        `comment ${commentId}${note ? `: ${note}` : ""}`,
        now,
      );
    });
  }

  /** Tag every comment the query selects with one theme, as one batch that can be undone. */
  bulkApply(
    row: ConsultationRow,
    q: WorkbenchQuery,
    themeId: number,
    actor: Actor,
  ): { batchId: number; tagged: number } {
    const theme = this.theme(row, themeId);
    if (!appliesTo(theme, q.question))
      throw new ThemeNotFoundError("That theme is not used for this question");
    const { itemId, responseIds } = this.selection(row, q);
    const ids = this.tags.commentIds(row.id, itemId, responseIds);
    return this.batch(
      row,
      theme,
      ids,
      "bulk",
      `"${theme.name}" on ${ids.length} selected comments`,
      actor,
      true,
      "officer",
    );
  }

  private batch(
    row: ConsultationRow,
    theme: ThemeRow,
    ids: readonly number[],
    kind: "bulk" | "rule",
    description: string,
    actor: Actor,
    confirmed: boolean,
    source: "officer" | "rule",
  ): { batchId: number; tagged: number } {
    const now = this.clock();
    return this.themes.transaction(() => {
      const batchId = this.tags.startBatch(row.id, theme.id, kind, description, actor.id, now);
      let tagged = 0;
      for (const id of ids)
        tagged += this.tags.tag(row.id, id, theme.id, {
          source,
          confirmed,
          officerId: actor.id,
          now,
          batchId,
        });
      this.tags.finishBatch(batchId, tagged);
      this.themes.changed(
        row.id,
        actor,
        kind === "bulk" ? "bulk tagged" : "rule applied",
        `${description}: ${tagged} tagged (batch ${batchId})`,
        now,
      );
      return { batchId, tagged };
    });
  }

  /** Remove every tag a batch added that is still there. */
  undoBatch(row: ConsultationRow, batchId: number, actor: Actor): number {
    const now = this.clock();
    return this.themes.transaction(() => {
      const removed = this.tags.undoBatch(row.id, batchId, actor.id, now);
      if (removed < 0) throw new ThemeNotFoundError("No such batch, or it was already undone");
      this.themes.changed(
        row.id,
        actor,
        "batch undone",
        `batch ${batchId}: ${removed} tags removed or unconfirmed`,
        now,
      );
      return removed;
    });
  }

  /**
   * The comments a theme's rules match, over the questions it applies to: the database narrows
   * them with the full-text index, then each candidate is tested exactly on its stems, in slices
   * that give the event loop back every 20 ms.
   */
  async ruleMatches(row: ConsultationRow, themeId: number): Promise<{ id: number; text: string }[]> {
    const theme = this.theme(row, themeId);
    const parsed = parseRules(theme.rules);
    if (!parsed.ok) throw new ThemeInputError("rules", parsed.error);
    if (parsed.rules.length === 0) throw new ThemeInputError("rules", "Add a rule to the theme first");
    const test = matcher(parsed.rules);
    const loose = searchQuery(parsed.rules, false);
    // Submitted responses only: a file still being imported may yet be refused whole.
    const live = this.answers.respondents(row, []);
    const candidates = commentQuestions(row.definition)
      .filter((q) => appliesTo(theme, q.id))
      .flatMap((q) => {
        const itemId = this.itemOf(row, q.id);
        const responseIds = this.tags.select(row.id, { itemId, search: loose }).filter(live.has);
        return this.tags.commentIds(row.id, itemId, responseIds);
      });
    const matched: { id: number; text: string }[] = [];
    let started = performance.now();
    for (let k = 0; k < candidates.length; k += 500) {
      for (const [id, text] of this.tags.texts(row.id, candidates.slice(k, k + 500)))
        if (test(text)) matched.push({ id, text });
      if (performance.now() - started > SLICE_MS) {
        await yieldNow();
        started = performance.now();
      }
    }
    return matched;
  }

  /** Apply a theme's rules: the comments they match get rule-made, unconfirmed tags, as one batch. */
  async applyRules(
    row: ConsultationRow,
    themeId: number,
    actor: Actor,
  ): Promise<{ batchId: number; tagged: number }> {
    const matched = await this.ruleMatches(row, themeId);
    const theme = this.theme(row, themeId);
    return this.batch(
      row,
      theme,
      matched.map((m) => m.id),
      "rule",
      `rules of "${theme.name}" matched ${matched.length} comments`,
      actor,
      false,
      "rule",
    );
  }

  /**
   * Theme results for every question with comments that has themes: respondents per theme
   * (confirmed tags only) as a count and a share of those who commented, for the group the filter
   * selects, how many comments are still uncoded, representative quotes, and (with `groupBy`, a
   * closed question) the theme x group table with a column per answer to it.
   */
  results(row: ConsultationRow, filter: FilterChoice | null, groupBy?: string): ThemeQuestionResult[] {
    const codebook = this.themes.list(row.id, false);
    if (codebook.length === 0) return [];
    // Held in memory and brought up to date from the tag change log: no read of every tag.
    const tags = this.tags.confirmed(row.id);
    const group = this.answers.respondents(row, filter ? [filter] : []);
    const split = groupBy ? this.groupColumns(row, groupBy) : null;
    const copies = this.campaignCopies(row);
    const once = this.campaignCounting.counting(row.id) === "once";
    // Quotes are chosen again after any tag change (the log's position, whoever made it), a response
    // coming or going (one set aside must not stay quoted) or a campaign or codebook change.
    const answersVersion = this.answers.answersVersion(row);
    const quotesVersion = `${tags.seen}:${answersVersion}:${this.themes.version(row.id)}`;
    const groupKey = filter ? JSON.stringify([filter.question, [...filter.codes].sort()]) : "";
    const out: ThemeQuestionResult[] = [];
    for (const q of commentQuestions(row.definition)) {
      const themes = codebook.filter((t) => appliesTo(t, q.id));
      if (themes.length === 0) continue;
      const itemId = this.itemOf(row, q.id);
      // A campaign's copies (all its comments but the one that stands for it): left out of the
      // counts and the base alike when a campaign counts once, and never quoted.
      const copiesHere = copies.get(itemId);
      const skip = once ? copiesHere : undefined;
      const has = skip ? (id: number) => group.has(id) && !skip.has(id) : group.has;
      let commented = group.commented(itemId);
      if (skip) for (const id of skip) if (group.has(id)) commented--;
      const counted = this.countsFor(row, tags, {
        key: `${row.id}:${itemId}:${groupKey}:${split?.questionId ?? ""}`,
        basis: `${answersVersion}:${skip ? this.heldCopies.get(row.id)?.serial : "each"}`,
        itemId,
        themes,
        has,
        skip,
        splitQuestion: split?.questionId ?? null,
      });
      out.push(
        themeQuestionResult({
          question: { id: q.id, text: q.text },
          commented,
          coded: counted.coded,
          themes: themes.map((t) => ({
            themeId: t.id,
            name: t.name,
            description: t.description,
            parent: t.parentName,
            count: counted.counts.get(t.id) ?? 0,
          })),
          ...(split
            ? {
                groups: {
                  questionId: split.questionId,
                  questionText: split.questionText,
                  columns: this.splitColumns(row, split, itemId, themes, counted.columns, skip),
                },
              }
            : {}),
          quotes: this.quotePicker.quotes(
            row.id,
            quotesVersion,
            `${itemId}:${groupKey}`,
            { itemId, themeIds: themes.map((t) => t.id), tags },
            copiesHere ? (id: number) => group.has(id) && !copiesHere.has(id) : group.has,
          ),
        }),
      );
    }
    return out;
  }

  /**
   * Campaign copies per item, read once per change of campaigns (which raises the theme version) or
   * of responses (one set aside leaves its campaign), not on every dashboard request.
   */
  private campaignCopies(row: ConsultationRow): Map<number, Set<number>> {
    const key = `${this.themes.version(row.id)}:${this.answers.answersVersion(row)}`;
    const held = this.heldCopies.get(row.id);
    if (held?.key === key) return held.copies;
    const copies = this.campaignCounting.copies(row.id);
    // The theme version rises with every tag change: the counts kept for groups stay good while
    // the copies read again are the ones held.
    if (held && sameCopies(held.copies, copies)) {
      held.key = key;
      return held.copies;
    }
    this.heldCopies.set(row.id, { key, copies, serial: ++this.copiesSerial });
    return copies;
  }

  /**
   * The theme counts of one item for one group (and each theme's tagged respondents by answer to
   * the grouping question, if any), kept between requests and brought up to date from the held
   * tags' change journal: each change tests one respondent against the group. Counted from the
   * tags again only when the group's basis changed (responses, campaign copies), the tags were read
   * whole again, or the journal no longer reaches back far enough.
   */
  private countsFor(
    row: ConsultationRow,
    tags: ConfirmedTags,
    want: {
      key: string;
      basis: string;
      itemId: number;
      themes: readonly ThemeRow[];
      has: (responseId: number) => boolean;
      skip: Set<number> | undefined;
      splitQuestion: string | null;
    },
  ): HeldCounts {
    const { itemId, has, skip, splitQuestion } = want;
    const end = tags.journalEnd(itemId);
    const byAnswer = (ids: ArrayLike<number>) =>
      splitQuestion === null ? new Map<string, number>() : this.answers.answerCounts(row, splitQuestion, ids);
    let held = this.heldCounts.get(want.key);
    // Many changes since (a bulk tag): counting whole is as quick as testing each one.
    if (held && (held.tags !== tags || held.basis !== want.basis || end - held.at > RECOUNT_AFTER))
      held = undefined;
    if (held && held.at !== end) {
      const h = held;
      const caughtUp = tags.changesSince(itemId, h.at, (themeId, responseId, delta) => {
        if (themeId === CODED) {
          if (has(responseId)) h.coded += delta;
          return;
        }
        const n = h.counts.get(themeId);
        // A theme not counted yet is counted whole when asked for.
        if (n === undefined) return;
        if (has(responseId)) h.counts.set(themeId, n + delta);
        const columns = h.columns.get(themeId);
        if (columns && !skip?.has(responseId))
          for (const [code, c] of byAnswer([responseId]))
            if (c > 0) columns.set(code, (columns.get(code) ?? 0) + delta * c);
      });
      if (caughtUp) h.at = end;
      else held = undefined;
    }
    if (!held) {
      held = {
        tags,
        basis: want.basis,
        at: end,
        coded: tags.count(itemId, null, has),
        counts: new Map(),
        columns: new Map(),
      };
      if (this.heldCounts.size >= COUNTS_KEPT) this.heldCounts.clear();
      this.heldCounts.set(want.key, held);
    }
    for (const t of want.themes) {
      if (held.counts.has(t.id)) continue;
      held.counts.set(t.id, tags.count(itemId, t.id, has));
      if (splitQuestion !== null) {
        const ids = tags.responseIds(itemId, t.id);
        held.columns.set(t.id, byAnswer(skip ? ids.filter((id) => !skip.has(id)) : ids));
      }
    }
    return held;
  }

  /** Changes whenever a theme or tag of the consultation does (for caches of what is built from them). */
  version(row: ConsultationRow): number {
    return this.themes.version(row.id);
  }

  /**
   * The report's themes section: each theme with respondents coded to it (confirmed tags), the
   * share of those who commented, and its quotes (redacted by the report). A theme used on more
   * than one question is listed once per question, named with it.
   */
  reportThemes(row: ConsultationRow): ReportTheme[] {
    const results = this.results(row, null);
    const made = new Map<string, { officer: number; rule: number; model: number }>();
    for (const [itemId, themeId, source, n] of this.tags.confirmedBySource(row.id)) {
      const key = `${itemId}:${themeId}`;
      const m = made.get(key) ?? { officer: 0, rule: 0, model: 0 };
      m[source] += n;
      made.set(key, m);
    }
    const latest = this.models?.latest(row.id);
    const agreement = latest
      ? (JSON.parse(latest.agreement) as Record<string, { overall: { f1: { value: number } } } | null>)
      : {};
    const officers = this.officersAgreement(row);
    const counts = new Map<number, number>();
    for (const r of results)
      for (const t of r.themes) counts.set(t.themeId, (counts.get(t.themeId) ?? 0) + 1);
    const counting = this.campaignCounting.counting(row.id);
    const stances = this.campaignCounting.stances(row);
    const campaigns =
      counting === "once"
        ? "Campaigns (near-identical comments sent by several respondents) are counted once, however many sent them."
        : "Campaigns (near-identical comments sent by several respondents) are counted once per respondent who sent them.";
    return results.flatMap((r) =>
      r.themes.map((t) => ({
        campaigns,
        ...(stances.get(r.question.id)?.get(t.themeId)
          ? { stance: stances.get(r.question.id)?.get(t.themeId) }
          : {}),
        label: `${t.parent ? `${t.parent}: ` : ""}${t.name}${(counts.get(t.themeId) ?? 0) > 1 ? ` (${r.question.text})` : ""}`,
        count: t.count,
        questionIds: [r.question.id],
        ...(t.description ? { description: t.description } : {}),
        quotes: r.quotes[t.themeId] ?? [],
        base: r.commented,
        uncoded: r.uncoded,
        coding: this.codingOf(
          made.get(`${this.itemOf(row, r.question.id)}:${t.themeId}`),
          agreement[String(t.themeId)],
          officers.compared > 0 ? officers.themes.get(t.themeId) : undefined,
          officers.compared,
          t.themeId,
        ),
      })),
    );
  }

  private codingOf(
    made: { officer: number; rule: number; model: number } | undefined,
    agreement: { overall: { f1: { value: number } } } | null | undefined,
    officers: { f1: { value: number }; kappa: { value: number } } | undefined,
    sample: number,
    themeId: number,
  ): NonNullable<ReportTheme["coding"]> {
    return {
      ...(made ?? { officer: 0, rule: 0, model: 0 }),
      ...(agreement ? { modelF1: agreement.overall.f1.value } : {}),
      ...(officers
        ? { officers: { themeId, f1: officers.f1.value, kappa: officers.kappa.value, sample } }
        : {}),
    };
  }

  /**
   * The theme x group table's columns, from the answers held in memory: each column's base (those
   * who commented and gave that answer) and each theme's tagged respondents by their answer (kept
   * by countsFor). `skip`: campaign copies, when a campaign counts once.
   */
  private splitColumns(
    row: ConsultationRow,
    split: ReturnType<ThemeService["groupColumns"]>,
    itemId: number,
    themes: readonly ThemeRow[],
    byAnswer: ReadonlyMap<number, ReadonlyMap<string, number>>,
    skip: Set<number> | undefined,
  ) {
    const counts = (who: ArrayLike<number> | { commentedOn: number }) =>
      this.answers.answerCounts(row, split.questionId, who);
    const commented = counts({ commentedOn: itemId });
    const skipped = skip ? counts(Int32Array.from(skip)) : new Map<string, number>();
    const byTheme = themes.map((t) => [t.id, byAnswer.get(t.id) ?? new Map<string, number>()] as const);
    return split.columns.map((c) => ({
      code: c.code,
      label: c.label,
      commented: (commented.get(c.code) ?? 0) - (skipped.get(c.code) ?? 0),
      counts: new Map(byTheme.map(([id, n]) => [id, n.get(c.code) ?? 0])),
    }));
  }

  /** A column per answer to a closed question that can split the results. */
  private groupColumns(row: ConsultationRow, questionId: string) {
    const q = this.answers.filterableQuestions(row.definition).find((x) => x.id === questionId);
    if (!q) throw new ThemeInputError("groupBy", `"${questionId}" cannot split the results`);
    return { questionId: q.id, questionText: q.text, columns: q.options };
  }

  /** The codebook as CSV: name, description, parent, questions, rules (one per line). */
  exportCodebook(row: ConsultationRow): string {
    return toCsv(
      [...CODEBOOK_COLUMNS],
      this.themes
        .list(row.id)
        .map((t) => [t.name, t.description, t.parentName ?? "", t.questions.join(";"), t.rules]),
    );
  }

  /**
   * Import a codebook CSV: all or nothing, every bad line named. Themes are matched by name: a
   * name already in the codebook is updated (its tags kept), a new one is added; themes the file
   * does not name are left as they are.
   */
  importCodebook(
    row: ConsultationRow,
    csv: string,
    actor: Actor,
  ): { ok: true; added: number; updated: number } | { ok: false; errors: CodebookError[] } {
    const parsed = parseCodebookCsv(csv);
    if ("errors" in parsed) return { ok: false, errors: parsed.errors };
    const existing = this.themes.list(row.id);
    const checked = checkCodebook(
      parsed.rows,
      new Set(commentQuestions(row.definition).map((q) => q.id)),
      new Map(existing.map((t) => [t.name, { parent: t.parentName ?? "" }])),
    );
    if (!checked.ok) return checked;
    const now = this.clock();
    return this.themes.transaction(() => {
      const byName = new Map(existing.map((t) => [t.name.toLowerCase(), t.id]));
      let added = 0;
      let updated = 0;
      // Names first (no parents), then parents, so a parent may come later in the file.
      for (const t of checked.themes) {
        const fields = { ...t, parentId: null };
        const id = byName.get(t.name.toLowerCase());
        if (id === undefined) {
          byName.set(t.name.toLowerCase(), this.themes.create(row.id, fields, now));
          added++;
        } else {
          this.themes.update(row.id, id, fields, now);
          updated++;
        }
      }
      for (const t of checked.themes) {
        const id = byName.get(t.name.toLowerCase()) as number;
        const parentId = t.parent === "" ? null : (byName.get(t.parent.toLowerCase()) ?? null);
        this.themes.update(row.id, id, { ...t, parentId }, now);
      }
      this.themes.changed(row.id, actor, "codebook imported", `${added} added, ${updated} updated`, now);
      return { ok: true as const, added, updated };
    });
  }
}

/** Groups whose theme counts are kept, across consultations and items. */
const COUNTS_KEPT = 200;
/** Count changes past which a group's counts are counted whole again rather than caught up. */
const RECOUNT_AFTER = 4_096;

/** One group's theme counts on one item, current to position `at` of the held tags' journal. */
interface HeldCounts {
  tags: ConfirmedTags;
  basis: string;
  at: number;
  coded: number;
  counts: Map<number, number>;
  /** Theme id -> answer code -> tagged respondents (not campaign copies) who gave it. */
  columns: Map<number, Map<string, number>>;
}

/** Whether two reads of the campaign copies hold the same respondents per item. */
function sameCopies(a: Map<number, Set<number>>, b: Map<number, Set<number>>): boolean {
  if (a.size !== b.size) return false;
  for (const [itemId, ids] of a) {
    const other = b.get(itemId);
    if (!other || other.size !== ids.size) return false;
    for (const id of ids) if (!other.has(id)) return false;
  }
  return true;
}

/** A cell a spreadsheet export guarded with an apostrophe ('-paid) is read as what it guarded. */
const unguard = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);

/** Read a codebook CSV into rows with the line each starts on, or say why it cannot be read. */
export function parseCodebookCsv(text: string): { rows: CodebookRow[] } | { errors: CodebookError[] } {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const records: { cells: string[]; line: number }[] = [];
  const errors: CodebookError[] = [];
  let line = 1;
  let consumed = 0;
  Papa.parse<string[]>(body, {
    delimiter: ",",
    skipEmptyLines: false,
    step: (result) => {
      // The cursor is just past the row and its line break: count the lines the row spans.
      const end = result.meta.cursor;
      if (result.errors.some((e) => e.type === "Quotes"))
        errors.push({
          line,
          column: "",
          reason: 'A quoted value is not closed: check for a stray " on this line',
        });
      else if (result.data.some((c) => c.trim() !== "")) records.push({ cells: result.data, line });
      for (let i = consumed; i < end; i++) if (body.charCodeAt(i) === 10) line++;
      consumed = end;
    },
  });
  if (errors.length > 0) return { errors };
  const [head, ...rest] = records;
  if (!head) return { errors: [{ line: 1, column: "", reason: "The file is empty" }] };
  const headings = head.cells.map((c) => c.trim().toLowerCase());
  const col = new Map(headings.map((h, k) => [h, k]));
  const missing = CODEBOOK_COLUMNS.filter(
    (c) => c !== "description" && c !== "parent" && c !== "questions" && c !== "rules" && !col.has(c),
  );
  if (missing.length > 0)
    return {
      errors: [
        {
          line: head.line,
          column: "",
          reason: `The first line must name the columns: ${CODEBOOK_COLUMNS.join(", ")}`,
        },
      ],
    };
  const unknown = headings.filter((h) => h !== "" && !(CODEBOOK_COLUMNS as readonly string[]).includes(h));
  if (unknown.length > 0)
    return {
      errors: [
        {
          line: head.line,
          column: unknown[0] ?? "",
          reason: `Unknown column "${unknown[0]}": use ${CODEBOOK_COLUMNS.join(", ")}`,
        },
      ],
    };
  const cell = (cells: string[], name: string) => unguard((cells[col.get(name) ?? -1] ?? "").trim());
  const rows: CodebookRow[] = rest.map((r) => ({
    line: r.line,
    name: cell(r.cells, "name"),
    description: cell(r.cells, "description"),
    parent: cell(r.cells, "parent"),
    questions: questionList(cell(r.cells, "questions")),
    rules: cell(r.cells, "rules"),
  }));
  return { rows };
}

export type { CodebookTheme };
