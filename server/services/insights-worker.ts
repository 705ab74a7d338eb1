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

/**
 * Worker thread for the costly comment analyses (campaigns over 100,000 comments, discovery,
 * stance), so the event loop that serves residents never runs them. One task per worker.
 */
export type InsightTask =
  | { kind: "campaigns"; texts: string[]; threshold: number }
  | { kind: "discover"; uncovered: string[]; covered: string[] }
  | { kind: "stance"; texts: string[]; labels: (Stance | null)[] };

function run(task: InsightTask): unknown {
  if (task.kind === "campaigns")
    return nearDuplicateGroups(task.texts, { threshold: task.threshold }).map((g) => g.members);
  if (task.kind === "discover") return discoverThemes(task.uncovered, task.covered);
  const examples = task.texts.flatMap((text, i) => {
    const stance = task.labels[i];
    return stance ? [{ text, stance }] : [];
  });
  const model = trainStance(examples);
  const learned = usableModel(model);
  return {
    learned,
    stances: task.texts.map((t) => (learned ? predictStance(model, t) : lexiconStance(t))),
  };
}

parentPort?.postMessage(run(workerData as InsightTask));
