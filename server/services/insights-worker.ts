import { parentPort, workerData } from "node:worker_threads";
import { discoverThemes } from "../../analysis/themes/discovery.js";
import { nearDuplicateGroups } from "../../analysis/themes/minhash.js";
import {
  lexiconStance,
  predictStance,
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
 * With `store` (a database file), the worker also writes the campaigns or stances through its own
 * connection in short transactions, and replies with a summary only: at 100,000 comments the one
 * transaction writing them, and taking the reply apart, held the request loop.
 */
export interface InsightStore {
  path: string;
  consultationId: number;
  itemId: number;
  /** The comment id of each text, in the same order. */
  commentIds: number[];
  /** When the run is recorded (the caller's clock), as an ISO string. */
  now: string;
  /** For stance: the closed question it is learned from when it can be. */
  source?: string | null;
}

export type InsightTask =
  | { kind: "campaigns"; texts: string[]; threshold: number; store?: InsightStore }
  | { kind: "discover"; uncovered: string[]; covered: string[] }
  | { kind: "stance"; texts: string[]; labels: (Stance | null)[]; store?: InsightStore };

function stances(texts: string[], labels: (Stance | null)[]) {
  const examples = texts.flatMap((text, i) => {
    const stance = labels[i];
    return stance ? [{ text, stance }] : [];
  });
  const model = trainStance(examples);
  const learned = usableModel(model);
  return { learned, stances: texts.map((t) => (learned ? predictStance(model, t) : lexiconStance(t))) };
}

function withStore<T>(store: InsightStore, write: (repo: CommentInsightRepository) => T): T {
  const db = openDatabase(store.path);
  try {
    return write(new CommentInsightRepository(db));
  } finally {
    db.close();
  }
}

function run(task: InsightTask): unknown {
  if (task.kind === "campaigns") {
    const groups = nearDuplicateGroups(task.texts, { threshold: task.threshold }).map((g) => g.members);
    const store = task.store;
    if (!store) return groups;
    withStore(store, (repo) =>
      repo.replaceCampaignsInSlices(
        store.consultationId,
        store.itemId,
        groups.map((g) => g.map((i) => store.commentIds[i] as number)),
        store.commentIds.length,
        new Date(store.now),
      ),
    );
    return { groups: groups.length };
  }
  if (task.kind === "discover") return discoverThemes(task.uncovered, task.covered);
  const out = stances(task.texts, task.labels);
  const store = task.store;
  if (!store) return out;
  const learnedFrom = out.learned && store.source ? store.source : null;
  withStore(store, (repo) =>
    repo.replaceStancesInSlices(
      store.consultationId,
      store.itemId,
      store.commentIds.map((commentId, i) => ({
        commentId,
        stance: out.stances[i]?.stance ?? "mixed",
        score: out.stances[i]?.score ?? 0,
      })),
      learnedFrom ?? "",
      new Date(store.now),
    ),
  );
  return { learnedFrom };
}

parentPort?.postMessage(run(workerData as InsightTask));
