import type { PairedSet } from "../definition.js";
import type { Scale } from "../scales.js";
import type { MultipleChoiceResult, SingleChoiceResult } from "./choice.js";
import type { LikertDistribution } from "./likert.js";
import type { PairedShiftResult } from "./paired.js";

/**
 * The results of one consultation (optionally for one group of respondents), question by question,
 * as the results service assembles them from count tables. Plain data: the dashboard, the summary
 * CSV and the published report all present this, and none computes a figure of its own.
 */
export interface QuestionBase {
  question: { id: string; text: string; pageTitle: string };
}
export type QuestionResult =
  | (QuestionBase & { kind: "likert"; scale: Scale; distribution: LikertDistribution })
  | (QuestionBase & {
      kind: "grid";
      scale: Scale;
      statements: { id: string; text: string; distribution: LikertDistribution }[];
    })
  | (QuestionBase & { kind: "single"; result: SingleChoiceResult })
  | (QuestionBase & { kind: "multiple"; result: MultipleChoiceResult })
  | (QuestionBase & {
      kind: "paired";
      phase: "before" | "after";
      set: PairedSet;
      /** When each half was asked, in words (see momentsOf): "before the workshop". */
      moments: Moments;
      scale: Scale;
      statements: { id: string; text: string; distribution: LikertDistribution }[];
    })
  | (QuestionBase & { kind: "text"; total: number; latest: { reference: string; text: string }[] })
  | (QuestionBase & { kind: "number"; count: number; mean: number | null });

export interface Moments {
  before: string;
  after: string;
}

export interface PairedSetResult {
  set: PairedSet;
  moments: Moments;
  scale: Scale;
  before: { id: string; text: string };
  after: { id: string; text: string };
  shifts: PairedShiftResult[];
  ranked: PairedShiftResult[];
}

export interface ConsultationResults {
  slug: string;
  title: string;
  respondents: number;
  filter: { question: string; questionText: string; codes: string[]; labels: string[] } | null;
  byDay: { day: string; channel: string; n: number }[];
  questions: QuestionResult[];
  paired: PairedSetResult[];
}
