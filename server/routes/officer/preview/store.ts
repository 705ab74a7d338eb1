import type { AnswerSet } from "../../../../analysis/answers.js";

/** How many previews are kept at once, and for how long: a preview is a few minutes' look. */
const MAX_PREVIEWS = 200;
const KEEP_MS = 2 * 60 * 60 * 1000;

/**
 * The answers typed into previews, held in this process's memory only, so a preview stores nothing
 * in the database and cannot be counted as a response. Keyed by officer and consultation; the
 * oldest are forgotten first. Losing them (a restart, another process) only restarts a preview.
 */
export class PreviewAnswers {
  private readonly held = new Map<string, { answers: AnswerSet; at: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  get(key: string): AnswerSet {
    const entry = this.held.get(key);
    if (!entry || this.clock() - entry.at > KEEP_MS) return {};
    return entry.answers;
  }

  set(key: string, answers: AnswerSet): void {
    this.held.delete(key);
    this.held.set(key, { answers, at: this.clock() });
    while (this.held.size > MAX_PREVIEWS) {
      const oldest = this.held.keys().next().value;
      if (oldest === undefined) break;
      this.held.delete(oldest);
    }
  }

  clear(key: string): void {
    this.held.delete(key);
  }
}
