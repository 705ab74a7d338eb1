import { parentPort, workerData } from "node:worker_threads";
import { type Candidate, discoverThemes } from "../../analysis/themes/discovery.js";
import { nearDuplicateGroups } from "../../analysis/themes/minhash.js";
import {
  lexiconStance,
  predictStance,
  STANCES,
  type Stance,
  trainStance,
  usableModel,
} from "../../analysis/themes/stance.js";
import { CommentInsightRepository } from "../../db/comment-insights.js";
import { openDatabase } from "../../db/connection.js";

/**
 * Worker thread for the costly comment analyses (campaigns over 100,000 comments, discovery,
 * stance), so the event loop that serves residents never runs them. One task per worker.
 *
 * With a database file (`InsightFileTask`) the worker also reads the comments and writes the
 * campaigns or stances through its own connection, in short transactions, and replies with a
 * summary only: at 100,000 comments reading the texts, the one transaction writing the results and
 * taking the reply apart each held the request loop. Which respondents count lives in the request
 * loop's memory (the results), so the worker sends the comments' response ids and is told which to
 * keep, and for stance each one's answer to the closed question beside it: a round trip of two
 * typed arrays.
 *
 * With an in-memory database (tests), the caller reads and writes, and sends texts (`InsightTask`).
 */
export type InsightTask =
  | { kind: "campaigns"; texts: string[]; threshold: number }
  | { kind: "discover"; uncovered: string[]; covered: string[] }
  | { kind: "stance"; texts: string[]; labels: (Stance | null)[] };

export interface InsightFileTask {
  kind: "campaigns" | "discover" | "stance";
  path: string;
  consultationId: number;
  itemId: number;
  /** When the run is recorded (the caller's clock), as an ISO string. */
  now: string;
  threshold?: number;
  /** For stance: the closed question it is learned from when it can be. */
  source?: string | null;
}

/** What the worker asks of the caller once it has read the comments: their response ids. */
export interface RowsRead {
  responseIds: Int32Array;
}
/** The caller's answer: 1 to keep each comment; for stance, each one's STANCES index or -1. */
export interface RowsKept {
  keep: Uint8Array;
  labels?: Int8Array;
}

/** A candidate theme with its sample texts and the comment ids its rule matches. */
export interface FoundCandidate extends Candidate {
  sampleTexts: string[];
  matchedComments: number[];
}

function stances(texts: string[], labels: (Stance | null)[]) {
  const examples = texts.flatMap((text, i) => {
    const stance = labels[i];
    return stance ? [{ text, stance }] : [];
  });
  const model = trainStance(examples);
  const learned = usableModel(model);
  return { learned, stances: texts.map((t) => (learned ? predictStance(model, t) : lexiconStance(t))) };
}

function runInMemoryTask(task: InsightTask): unknown {
  if (task.kind === "campaigns")
    return nearDuplicateGroups(task.texts, { threshold: task.threshold }).map((g) => g.members);
  if (task.kind === "discover") return discoverThemes(task.uncovered, task.covered);
  return stances(task.texts, task.labels);
}

/** Ask the caller which comments count (and, for stance, their labels). */
function askKept(responseIds: Int32Array): Promise<RowsKept> {
  return new Promise((resolve) => {
    parentPort?.once("message", (m: RowsKept) => resolve(m));
    parentPort?.postMessage({ responseIds } satisfies RowsRead, [responseIds.buffer as ArrayBuffer]);
  });
}

async function runFileTask(task: InsightFileTask): Promise<unknown> {
  const db = openDatabase(task.path);
  try {
    const repo = new CommentInsightRepository(db);
    const read = repo.texts(task.consultationId, task.itemId);
    const { keep, labels } = await askKept(Int32Array.from(read, (r) => r[1]));
    const rows: [number, number, string][] = [];
    const rowLabels: (Stance | null)[] = [];
    read.forEach((r, i) => {
      if (keep[i] !== 1) return;
      rows.push(r);
      rowLabels.push(STANCES[labels?.[i] ?? -1] ?? null);
    });
    const texts = rows.map((r) => r[2]);
    const commentIds = rows.map((r) => r[0]);
    const now = new Date(task.now);

    if (task.kind === "campaigns") {
      const groups = nearDuplicateGroups(texts, { threshold: task.threshold ?? 0.8 }).map((g) => g.members);
      repo.replaceCampaignsInSlices(
        task.consultationId,
        task.itemId,
        groups.map((g) => g.map((i) => commentIds[i] as number)),
        commentIds.length,
        now,
      );
      return { groups: groups.length };
    }
    if (task.kind === "discover") {
      const tagged = repo.tagged(task.consultationId, task.itemId);
      const uncovered = rows.filter((r) => !tagged.has(r[0]));
      const covered = rows.filter((r) => tagged.has(r[0]));
      return discoverThemes(
        uncovered.map((r) => r[2]),
        covered.map((r) => r[2]),
      ).map(
        (c): FoundCandidate => ({
          ...c,
          sampleTexts: c.samples.map((i) => uncovered[i]?.[2] ?? ""),
          matchedComments: c.matched.map((i) => uncovered[i]?.[0] as number),
        }),
      );
    }
    const out = stances(texts, rowLabels);
    const learnedFrom = out.learned && task.source ? task.source : null;
    repo.replaceStancesInSlices(
      task.consultationId,
      task.itemId,
      commentIds.map((commentId, i) => ({
        commentId,
        stance: out.stances[i]?.stance ?? "mixed",
        score: out.stances[i]?.score ?? 0,
      })),
      learnedFrom ?? "",
      now,
    );
    return { learnedFrom };
  } finally {
    db.close();
  }
}

const task = workerData as InsightTask | InsightFileTask;
if ("path" in task) void runFileTask(task).then((out) => parentPort?.postMessage({ done: out }));
else parentPort?.postMessage({ done: runInMemoryTask(task) });
