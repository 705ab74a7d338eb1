import { parentPort, workerData } from "node:worker_threads";
import { officerAgreement, type ThemeScope, type TwiceCoded } from "../../analysis/themes/double-coding.js";

/**
 * Worker thread for the officer-versus-officer agreement of a large double-coded sample: its
 * bootstrap intervals visit every comment a thousand times per theme, too long for the event loop.
 */
export interface AgreementTask {
  comments: TwiceCoded[];
  themes: ThemeScope[];
}

const task = workerData as AgreementTask;
parentPort?.postMessage(officerAgreement(task.comments, task.themes));
