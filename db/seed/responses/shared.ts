import { type AnswerSet, type AnswerValue, pruneHiddenAnswers } from "../../../analysis/answers.js";
import { firstIncompletePage } from "../../../analysis/completeness.js";
import type { ConsultationDefinition } from "../../../analysis/definition.js";
import { builtInScales } from "../../../analysis/scales.js";
import type { Channel } from "../../responses.js";

/**
 * Helpers for the demo responses of the closed demo consultations. Every count is decided by hand in
 * the consultation's module; the seeded generator only decides who gave which answer, when and how,
 * so two runs give the same responses.
 */

export interface DemoResponse {
  answers: AnswerSet;
  channel: Channel;
  submittedAt: Date;
}

/** mulberry32: a small, fast 32-bit PRNG; enough for shuffling demo data, never for secrets. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;

/** A standard normal draw (Box-Muller). */
export function normal(rand: Rand): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Fisher-Yates shuffle into a new array. */
export function shuffle<T>(items: readonly T[], rand: Rand): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

/** An exact count vector as a list: expand([["a", 2], ["b", 1]]) is ["a", "a", "b"]. */
export function expand<T>(counts: readonly (readonly [T, number])[]): T[] {
  const out: T[] = [];
  for (const [value, n] of counts) for (let i = 0; i < n; i++) out.push(value);
  return out;
}

/** Counts per option code of a scale, for example { "strongly-agree": 99, agree: 102, ... }. */
export type Tally = Readonly<Record<string, number>>;

export function total(tally: Tally): number {
  return Object.values(tally).reduce((a, b) => a + b, 0);
}

const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * The next demo reference in the format of server/services/references.ts (SND-XXXX-XXXX), drawn from
 * the seeded PRNG so that a fresh database always gets the same ones.
 */
export function demoReference(rand: Rand): string {
  let chars = "";
  for (let i = 0; i < 8; i++) chars += REFERENCE_ALPHABET[Math.floor(rand() * REFERENCE_ALPHABET.length)];
  return `SND-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

export interface Period {
  from: string;
  to: string;
  /** Relative share of the responses that arrive in this period. */
  weight: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * n submission times, in order, spread over the periods by weight: each on a random day of its period
 * at a random minute between 07:00 and 22:59 (UTC, which is UK time in these winter consultations).
 */
export function spreadTimes(n: number, periods: readonly Period[], rand: Rand): Date[] {
  const weights = periods.reduce((a, p) => a + p.weight, 0);
  const times: Date[] = [];
  for (let i = 0; i < n; i++) {
    let pick = rand() * weights;
    let period = periods[periods.length - 1] as Period;
    for (const p of periods) {
      if (pick < p.weight) {
        period = p;
        break;
      }
      pick -= p.weight;
    }
    const first = Date.parse(period.from);
    const days = Math.floor((Date.parse(period.to) - first) / DAY_MS) + 1;
    const day = first + Math.floor(rand() * days) * DAY_MS;
    const minute = 7 * 60 + Math.floor(rand() * 16 * 60);
    const second = Math.floor(rand() * 60);
    times.push(new Date(day + minute * 60_000 + second * 1000));
  }
  return times.sort((a, b) => a.getTime() - b.getTime());
}

/** A free-text comment and, optionally, who could plausibly have written it. */
export interface Comment {
  text: string;
  who?: (answers: AnswerSet) => boolean;
}

/**
 * Builds n respondents' answers from exact counts. Each respondent has a latent "warmth" towards the
 * proposals; scale answers are handed out in order of warmth plus noise, so one respondent's answers
 * hang together (someone who strongly agrees with the vision tends to agree with the outcomes)
 * without any count being left to chance.
 */
export class Crowd {
  readonly answers: AnswerSet[];
  private readonly warmth: number[];

  constructor(
    readonly size: number,
    readonly rand: Rand,
  ) {
    this.answers = Array.from({ length: size }, () => ({}));
    this.warmth = Array.from({ length: size }, () => normal(rand));
  }

  /** Nudge some respondents' warmth (for example staff towards "the Council is doing its best"). */
  warm(who: (answers: AnswerSet) => boolean, by: number): void {
    this.answers.forEach((a, i) => {
      if (who(a)) this.warmth[i] = (this.warmth[i] ?? 0) + by;
    });
  }

  /** Hand out exactly these values (one per respondent), in random order. */
  assign(questionId: string, values: readonly AnswerValue[]): void {
    this.check(questionId, values.length, this.size);
    shuffle(values, this.rand).forEach((value, i) => {
      (this.answers[i] as AnswerSet)[questionId] = value;
    });
  }

  /** Hand out whole partial answer sets (for example a role with its supplier details), in random order. */
  assignProfiles(profiles: readonly AnswerSet[]): void {
    this.check("profiles", profiles.length, this.size);
    shuffle(profiles, this.rand).forEach((profile, i) => {
      Object.assign(this.answers[i] as AnswerSet, structuredClone(profile));
    });
  }

  /**
   * Exact counts of a scale question (statement undefined) or of one statement of a grid or paired
   * question. Options that are excluded from the base (don't know) go to random respondents; the rest
   * in order of warmth plus noise.
   */
  scale(
    questionId: string,
    statement: string | undefined,
    scaleId: string,
    tally: Tally,
    noise = 1,
  ): number[] {
    const scores = scoreTable(scaleId, tally);
    this.check(`${questionId}${statement ? `/${statement}` : ""}`, total(tally), this.size);
    const excluded = expand(Object.entries(tally).filter(([code]) => scores.get(code) === null));
    const ranked = expand(Object.entries(tally).filter(([code]) => scores.get(code) !== null)).sort(
      (a, b) => (scores.get(a) ?? 0) - (scores.get(b) ?? 0),
    );
    const order = shuffle(
      Array.from({ length: this.size }, (_, i) => i),
      this.rand,
    );
    const dontKnow = order.slice(0, excluded.length);
    const keyed = order
      .slice(excluded.length)
      .map((i) => ({ i, key: (this.warmth[i] ?? 0) + noise * normal(this.rand) }))
      .sort((a, b) => a.key - b.key);
    const given: string[] = new Array(this.size);
    dontKnow.forEach((i, k) => {
      given[i] = excluded[k] as string;
    });
    keyed.forEach(({ i }, k) => {
      given[i] = ranked[k] as string;
    });
    given.forEach((code, i) => {
      this.set(i, questionId, statement, code);
    });
    return keyed.map(({ i }) => i);
  }

  /**
   * One statement of a paired before/after set: exact counts for each half. The "after" answers are
   * handed out in the order of the "before" ones, so when the after counts sit higher at every point
   * of the scale, every respondent's view stays the same or moves up: the shift is made of real
   * people changing their minds, not of different people answering.
   */
  paired(
    before: string,
    after: string,
    statement: string,
    scaleId: string,
    tallies: { before: Tally; after: Tally },
    noise = 1,
  ): void {
    const scores = scoreTable(scaleId, tallies.after);
    this.check(`${after}/${statement}`, total(tallies.after), this.size);
    const codes = [...Object.keys(tallies.before), ...Object.keys(tallies.after)];
    if (codes.some((c) => scores.get(c) === null)) {
      throw new Error(`${before}/${statement}: paired demo answers have no "don't know"`);
    }
    const ranked = this.scale(before, statement, scaleId, tallies.before, noise);
    const afterCodes = expand(Object.entries(tallies.after)).sort(
      (a, b) => (scores.get(a) ?? 0) - (scores.get(b) ?? 0),
    );
    ranked.forEach((i, k) => {
      this.set(i, after, statement, afterCodes[k] as string);
    });
  }

  /** Give each comment to a different respondent it suits (who has not answered this question yet). */
  comment(questionId: string, comments: readonly Comment[]): void {
    for (const c of comments) {
      const eligible = this.indexes((a) => a[questionId] === undefined && (c.who ? c.who(a) : true));
      if (eligible.length === 0) throw new Error(`No respondent left for a ${questionId} comment: ${c.text}`);
      const i = eligible[Math.floor(this.rand() * eligible.length)] as number;
      (this.answers[i] as AnswerSet)[questionId] = c.text;
    }
  }

  indexes(who: (answers: AnswerSet) => boolean): number[] {
    const out: number[] = [];
    this.answers.forEach((a, i) => {
      if (who(a)) out.push(i);
    });
    return out;
  }

  private set(i: number, questionId: string, statement: string | undefined, code: string): void {
    const answers = this.answers[i] as AnswerSet;
    if (statement === undefined) {
      answers[questionId] = code;
      return;
    }
    const existing = answers[questionId];
    const grid: Record<string, string> =
      typeof existing === "object" && !Array.isArray((existing as { codes?: unknown }).codes)
        ? (existing as Record<string, string>)
        : {};
    grid[statement] = code;
    answers[questionId] = grid;
  }

  private check(what: string, got: number, want: number): void {
    if (got !== want) throw new Error(`Demo counts for ${what} add up to ${got}, not ${want}`);
  }
}

function scoreTable(scaleId: string, tally: Tally): Map<string, number | null> {
  const scale = builtInScales.find((s) => s.id === scaleId);
  if (!scale) throw new Error(`Demo answers use the built-in scales; no scale "${scaleId}"`);
  const scores = new Map(scale.options.map((o) => [o.code, o.score]));
  for (const code of Object.keys(tally)) {
    if (!scores.has(code)) throw new Error(`"${code}" is not an option of the scale "${scaleId}"`);
  }
  return scores;
}

/** The code a respondent chose for a single-choice or Likert question, or one grid statement. */
export function codeOf(answers: AnswerSet, questionId: string, statement?: string): string | undefined {
  const value = answers[questionId];
  if (statement === undefined) return typeof value === "string" ? value : undefined;
  if (typeof value !== "object" || Array.isArray((value as { codes?: unknown }).codes)) return undefined;
  return (value as Record<string, string>)[statement];
}

/** The codes ticked for a multiple-choice question. */
export function ticked(answers: AnswerSet, questionId: string): string[] {
  const value = answers[questionId];
  if (typeof value === "object" && Array.isArray((value as { codes?: unknown }).codes)) {
    return (value as { codes: string[] }).codes;
  }
  return [];
}

/**
 * Why a demo response could not have been stored through the questionnaire (an answer to a question
 * it would not have shown, or a required question left unanswered), or undefined when it is fine.
 */
export function demoResponseProblem(
  definition: ConsultationDefinition,
  answers: AnswerSet,
): string | undefined {
  const kept = pruneHiddenAnswers(definition, answers);
  const hidden = Object.keys(answers).filter((k) => !(k in kept));
  if (hidden.length > 0) return `answers questions it would not show: ${hidden.join(", ")}`;
  const page = firstIncompletePage(definition, answers);
  if (page) return `page "${page}" is incomplete`;
  return undefined;
}

/** Put the crowd's answers together with their submission times and exact channel counts. */
export function responses(
  crowd: Crowd,
  times: readonly Date[],
  channels: readonly (readonly [Channel, number])[],
): DemoResponse[] {
  const channelList = shuffle(expand(channels), crowd.rand);
  if (times.length !== crowd.size || channelList.length !== crowd.size) {
    throw new Error(`Demo responses need ${crowd.size} times and channels`);
  }
  return crowd.answers.map((answers, i) => ({
    answers,
    channel: channelList[i] as Channel,
    submittedAt: times[i] as Date,
  }));
}
