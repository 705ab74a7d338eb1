import type {
  Condition,
  ConsultationDefinition,
  Page,
  PairedSet,
  Question,
} from "../../analysis/definition.js";
import {
  allQuestions,
  findPairedSet,
  findQuestion,
  momentsOf,
  pairedHalves,
  scaleOf,
  statementsOf,
} from "../../analysis/definition.js";
import { InvalidRequestError } from "../../analysis/errors.js";
import { multipleChoice, singleChoice } from "../../analysis/results/choice.js";
import { likertDistribution } from "../../analysis/results/likert.js";
import type { ConsultationResults, PairedSetResult, QuestionResult } from "../../analysis/results/model.js";
import { pairedShift, rankShifts } from "../../analysis/results/paired.js";
import { canSplitBy, splitGroups } from "../../analysis/results/segments.js";
import type { Scale } from "../../analysis/scales.js";
import type {
  Catalog,
  CatalogQuestion,
  ConsultationRepository,
  ConsultationRow,
} from "../../db/consultations.js";
import type { AnswerMatrix, ResponseFilter, ResultsRepository } from "../../db/results.js";

export type { ConsultationResults, PairedSetResult, QuestionResult };

/** "Only respondents who answered <question> with one of <codes>", as chosen on the dashboard. */
export interface FilterChoice {
  question: string;
  codes: string[];
}

export class FilterError extends InvalidRequestError {}

/** Closed answers the comments page can narrow by at once. */
export const MAX_COMMENT_FILTERS = 3;

/** Text questions and multiple choices with "Other, please specify": the questions with comments. */
function hasComments(q: Question): boolean {
  return q.kind === "text" || (q.kind === "multiple" && q.other !== undefined);
}

/**
 * Turns stored answers into the analysis results for one consultation, optionally for one group of
 * respondents. The answers held in memory (db/answer-matrix.ts) give the counts; analysis/
 * computes every share, interval and test.
 */
export class ResultsService {
  constructor(
    private readonly results: ResultsRepository,
    private readonly consultations: ConsultationRepository,
  ) {}

  /** Changes whenever the consultation's submitted responses change (one index seek). */
  answersVersion(row: Pick<ConsultationRow, "id">): number {
    return this.results.latestEvent(row.id);
  }

  /** Closed questions that can split or filter the results, with their options. */
  filterableQuestions(
    def: ConsultationDefinition,
  ): { id: string; text: string; options: { code: string; label: string }[] }[] {
    return allQuestions(def).flatMap((q) => {
      const options = choiceOptions(def, q);
      return options ? [{ id: q.id, text: q.text, options }] : [];
    });
  }

  compute(row: ConsultationRow, filterChoice: FilterChoice | null = null): ConsultationResults {
    const def = row.definition;
    const catalog = this.consultations.catalog(row.id);
    const filter = filterChoice ? resolveFilter(def, catalog, filterChoice) : null;
    const filters = filter ? [filter.sql] : [];
    // One up-to-date snapshot of the answers for the whole computation.
    const matrix = this.results.matrix(catalog);
    const questions: QuestionResult[] = [];
    for (const page of def.pages) {
      for (const question of page.questions) {
        questions.push(this.question(matrix, def, catalog, page, question, filters));
      }
    }
    return {
      slug: row.slug,
      title: row.title,
      respondents: matrix.select(filters).count,
      filter: filter?.describe ?? null,
      byDay: matrix.byDay(matrix.select(filters)),
      questions,
      paired: def.pairedSets.map((set) => this.paired(matrix, def, catalog, set, filters)),
    };
  }

  /**
   * Read the answers of the most recently answered consultations into memory (as many as are held
   * at once, and no more respondents than `budget` beyond the most recent consultation), so that
   * the first results request after a start does not wait for them. Reading takes about 4 s per
   * million respondents with the file in the OS cache and twice that from disk (npm run bench --
   * results-matrix): the budget bounds how long a start can take. Least recently answered first, so
   * the most recent stay held longest.
   */
  warm(budget = 1_000_000): { consultationId: number; respondents: number }[] {
    const chosen: number[] = [];
    let total = 0;
    for (const c of this.results.recentlyAnswered()) {
      if (chosen.length > 0 && total + c.respondents > budget) break;
      chosen.push(c.consultationId);
      total += c.respondents;
    }
    return chosen.reverse().map((consultationId) => ({
      consultationId,
      respondents: this.results.matrix(this.consultations.catalog(consultationId)).respondents,
    }));
  }

  /**
   * The comments to one question (a text question, or a multiple choice's "Other" texts) from the
   * respondents who gave all of up to three closed answers, newest first, a page at a time, with
   * how many there are. Throws FilterError for a filter it cannot use; returns undefined for a
   * question without comments.
   */
  comments(
    row: ConsultationRow,
    questionId: string,
    choices: readonly FilterChoice[],
    page: { limit: number; offset: number },
  ):
    | {
        question: { id: string; text: string };
        filters: NonNullable<ConsultationResults["filter"]>[];
        total: number;
        rows: { reference: string; text: string }[];
      }
    | undefined {
    const def = row.definition;
    const q = findQuestion(def, questionId);
    if (!q || !hasComments(q)) return undefined;
    if (choices.length > MAX_COMMENT_FILTERS)
      throw new FilterError(`Choose at most ${MAX_COMMENT_FILTERS} answers to narrow the comments by`);
    const catalog = this.consultations.catalog(row.id);
    const resolved = choices.map((c) => resolveFilter(def, catalog, c));
    const itemId = mustQuestion(catalog, q.id).items.get("") ?? -1;
    const found = this.results.texts(
      this.results.matrix(catalog),
      itemId,
      resolved.map((f) => f.sql),
      page,
    );
    return {
      question: { id: q.id, text: q.text },
      filters: resolved.map((f) => f.describe),
      total: found.total,
      rows: found.rows.map((r) => ({ reference: r.reference, text: r.text })),
    };
  }

  /**
   * The respondents who gave all of these closed answers (none: everyone), as a test on response
   * ids, and how many they are. Throws FilterError for a filter it cannot use. The comment themes
   * count and list comments for a group with it.
   */
  respondents(
    row: ConsultationRow,
    choices: readonly FilterChoice[],
  ): {
    count: number;
    has: (responseId: number) => boolean;
    filters: NonNullable<ConsultationResults["filter"]>[];
    /** How many of them commented on a question's item. */
    commented: (itemId: number) => number;
    /** A page of the response ids among them that commented on an item, newest first, and how many. */
    textPage: (
      itemId: number,
      page: { limit: number; offset: number },
    ) => { total: number; responseIds: number[] };
  } {
    const catalog = this.consultations.catalog(row.id);
    const resolved = choices.map((c) => resolveFilter(row.definition, catalog, c));
    const matrix = this.results.matrix(catalog);
    const selection = matrix.select(resolved.map((f) => f.sql));
    return {
      count: selection.count,
      has: (responseId) => matrix.includes(selection, responseId),
      filters: resolved.map((f) => f.describe),
      commented: (itemId) => matrix.textCount(itemId, selection),
      textPage: (itemId, page) => matrix.textPage(itemId, selection, page),
    };
  }

  /**
   * For each answer to a closed question (by code), how many of these respondents gave it, counting
   * only respondents the results count (a response set aside or withdrawn is not held as live); or,
   * with `{ commentedOn }`, how many respondents who commented on that item gave it.
   */
  answerCounts(
    row: ConsultationRow,
    questionId: string,
    who: ArrayLike<number> | { commentedOn: number },
  ): Map<string, number> {
    const catalog = this.consultations.catalog(row.id);
    const cq = mustQuestion(catalog, questionId);
    const itemId = cq.items.get("");
    if (itemId === undefined) return new Map();
    const matrix = this.results.matrix(catalog);
    const byOption =
      "commentedOn" in who
        ? matrix.countTextByOption(itemId, who.commentedOn)
        : matrix.countByOption(itemId, who);
    return new Map([...cq.options].map(([code, optionId]) => [code, byOption.get(optionId) ?? 0]));
  }

  /** Questions whose comments can be read: text questions and multiple choices with "Other". */
  commentQuestions(def: ConsultationDefinition): { id: string; text: string }[] {
    return allQuestions(def)
      .filter(hasComments)
      .map((q) => ({ id: q.id, text: q.text }));
  }

  /** Respondents (of the filtered group) who were shown a question: its base. */
  private shown(
    matrix: AnswerMatrix,
    def: ConsultationDefinition,
    catalog: Catalog,
    page: Page,
    q: Question,
    filters: ResponseFilter[],
  ): number {
    const conditions = [page.showIf, q.showIf].filter((c): c is Condition => c !== undefined);
    const extra = conditions.map((c) => conditionFilter(def, catalog, c));
    return matrix.select([...filters, ...extra]).count;
  }

  private question(
    matrix: AnswerMatrix,
    def: ConsultationDefinition,
    catalog: Catalog,
    page: Page,
    q: Question,
    filters: ResponseFilter[],
  ): QuestionResult {
    const cq = mustQuestion(catalog, q.id);
    const base = { question: { id: q.id, text: q.text, pageTitle: page.title } };
    const codeOf = invert(cq.options);
    const selection = matrix.select(filters);
    const countsFor = (itemId: number) => {
      const byCode: Record<string, number> = {};
      let answered = 0;
      for (const [optionId, n] of matrix.optionCounts(itemId, selection)) {
        byCode[codeOf.get(optionId) ?? String(optionId)] = n;
        answered += n;
      }
      return { byCode, answered };
    };
    const single = cq.items.get("") ?? -1;
    switch (q.kind) {
      case "likert": {
        const scale = mustScale(def, q);
        const { byCode, answered } = countsFor(single);
        const shown = this.shown(matrix, def, catalog, page, q, filters);
        return {
          ...base,
          kind: "likert",
          scale,
          distribution: likertDistribution(scale, byCode, Math.max(0, shown - answered)),
        };
      }
      case "grid":
      case "paired": {
        const scale = mustScale(def, q);
        const shown = this.shown(matrix, def, catalog, page, q, filters);
        const statements = statementsOf(def, q).map((s) => {
          const { byCode, answered } = countsFor(cq.items.get(s.id) ?? -1);
          return {
            id: s.id,
            text: s.text,
            distribution: likertDistribution(scale, byCode, Math.max(0, shown - answered)),
          };
        });
        if (q.kind === "grid") return { ...base, kind: "grid", scale, statements };
        const set = findPairedSet(def, q.set) as PairedSet;
        return {
          ...base,
          kind: "paired",
          phase: q.phase,
          set,
          moments: momentsOf(def, q.set),
          scale,
          statements,
        };
      }
      case "single": {
        const { byCode, answered } = countsFor(single);
        const shown = this.shown(matrix, def, catalog, page, q, filters);
        return {
          ...base,
          kind: "single",
          result: singleChoice(q.options, byCode, Math.max(0, shown - answered)),
        };
      }
      case "multiple": {
        const { byCode } = countsFor(single);
        const respondents = matrix.respondentsAnswering(single, selection);
        const shown = this.shown(matrix, def, catalog, page, q, filters);
        const others = q.other
          ? this.results.texts(matrix, single, filters, { limit: 200, offset: 0 }).rows.map((r) => r.text)
          : [];
        return {
          ...base,
          kind: "multiple",
          result: multipleChoice(q.options, byCode, respondents, others, {
            other: q.other,
            notAnswered: Math.max(0, shown - respondents),
          }),
        };
      }
      case "text": {
        const texts = this.results.texts(matrix, single, filters, { limit: 5, offset: 0 });
        return {
          ...base,
          kind: "text",
          total: texts.total,
          latest: texts.rows.map((r) => ({ reference: r.reference, text: r.text })),
        };
      }
      case "number": {
        const stats = matrix.numberSummary(single, selection);
        return { ...base, kind: "number", count: stats.count, mean: stats.mean };
      }
    }
  }

  private paired(
    matrix: AnswerMatrix,
    def: ConsultationDefinition,
    catalog: Catalog,
    set: PairedSet,
    filters: ResponseFilter[],
  ): PairedSetResult {
    const scale = mustScale(def, set);
    const halves = pairedHalves(def, set.id);
    const before = halves.before?.question as Question;
    const after = halves.after?.question as Question;
    const cb = mustQuestion(catalog, before.id);
    const ca = mustQuestion(catalog, after.id);
    const codeOf = invert(cb.options);
    // Everyone shown both halves is either a complete pair or left out of the shift: those who left
    // both halves blank have no cell in the transitions, so they are counted from this.
    const conditions = [halves.before?.page.showIf, before.showIf, halves.after?.page.showIf, after.showIf]
      .filter((c): c is Condition => c !== undefined)
      .map((c) => conditionFilter(def, catalog, c));
    const shownBoth = matrix.select([...filters, ...conditions]).count;
    const shifts = set.statements.map((s) => {
      const rows = matrix.pairedTransitions(
        cb.items.get(s.id) ?? -1,
        ca.items.get(s.id) ?? -1,
        matrix.select(filters),
      );
      const transitions: Record<string, Record<string, number>> = {};
      let blank = 0;
      let answered = 0;
      for (const r of rows) {
        answered += r.n;
        if (r.before === null || r.after === null) {
          blank += r.n;
          continue;
        }
        const b = codeOf.get(r.before) ?? "";
        const a = codeOf.get(r.after) ?? "";
        transitions[b] = { ...(transitions[b] ?? {}), [a]: r.n };
      }
      return pairedShift(scale, s, transitions, blank + Math.max(0, shownBoth - answered));
    });
    return {
      set,
      moments: momentsOf(def, set.id),
      scale,
      before: { id: before.id, text: before.text },
      after: { id: after.id, text: after.text },
      shifts,
      ranked: rankShifts(shifts),
    };
  }
}

function invert(map: Map<string, number>): Map<number, string> {
  return new Map([...map].map(([code, id]) => [id, code]));
}

function mustQuestion(catalog: Catalog, id: string): CatalogQuestion {
  const q = catalog.questions.get(id);
  if (!q) throw new Error(`Question "${id}" is not in the database`);
  return q;
}

function mustScale(def: ConsultationDefinition, item: Question | PairedSet): Scale {
  const scale = scaleOf(def, item);
  if (!scale) throw new Error(`No scale for "${item.id}"`);
  return scale;
}

/** The options a closed question offers, or undefined for questions that cannot split results. */
export function choiceOptions(
  def: ConsultationDefinition,
  q: Question,
): { code: string; label: string }[] | undefined {
  return canSplitBy(q) ? splitGroups(def, q) : undefined;
}

function conditionFilter(def: ConsultationDefinition, catalog: Catalog, c: Condition): ResponseFilter {
  return resolveFilter(def, catalog, { question: c.question, codes: c.anyOf }).sql;
}

function resolveFilter(def: ConsultationDefinition, catalog: Catalog, choice: FilterChoice) {
  const q = findQuestion(def, choice.question);
  const options = q ? choiceOptions(def, q) : undefined;
  const cq = catalog.questions.get(choice.question);
  const itemId = cq?.items.get("");
  if (!q || !options || !cq || itemId === undefined)
    throw new FilterError(`"${choice.question}" cannot be used to filter`);
  const unknown = choice.codes.filter((c) => !cq.options.has(c));
  if (choice.codes.length === 0 || unknown.length > 0)
    throw new FilterError(`Choose options of "${q.text}" to filter by`);
  return {
    sql: { itemId, optionIds: choice.codes.map((c) => cq.options.get(c) as number) },
    describe: {
      question: q.id,
      questionText: q.text,
      codes: choice.codes,
      labels: choice.codes.map((c) => options.find((o) => o.code === c)?.label ?? c),
    },
  };
}
