import { readFileSync } from "node:fs";
import { join } from "node:path";
import Papa from "papaparse";
import { projectRoot } from "../../../server/config.js";
import type { NhsComment } from "./nhs-comments.js";
import { randomSample, screenSample } from "./redaction-sample.js";

/** One comment of the team's hand-labelled sample (tests/bench/data/redaction-labels.md says how). */
export interface LabelledComment {
  id: string;
  text: string;
  identifiesPerson: boolean;
  /** Drawn at random (stands for the whole file), picked by the capitalised-word screen, or both. */
  random: boolean;
  screened: boolean;
}

const FILE = join(projectRoot(), "tests", "bench", "data", "redaction-labels.csv");

/**
 * The labelled sample, joined to the comments' text. The sample is drawn again here and must be
 * exactly the comments labelled: a changed file or sampling rule is an error, not a quiet mismatch.
 */
export function loadLabelledSample(comments: readonly NhsComment[]): LabelledComment[] {
  const rows = Papa.parse<Record<string, string>>(readFileSync(FILE, "utf8"), {
    header: true,
    skipEmptyLines: true,
  }).data;
  const labels = new Map(rows.map((r) => [r["Comment ID"] ?? "", r.identifies_person === "1"]));
  const random = new Set(randomSample(comments));
  const screened = new Set(screenSample(comments));
  const drawn = new Set([...random, ...screened]);
  const missing = [...drawn].filter((id) => !labels.has(id));
  const extra = [...labels.keys()].filter((id) => !drawn.has(id));
  if (missing.length > 0 || extra.length > 0)
    throw new Error(
      `redaction-labels.csv does not match the sample: ${missing.length} drawn but unlabelled, ${extra.length} labelled but not drawn`,
    );
  return comments
    .filter((c) => drawn.has(c.id))
    .map((c) => ({
      id: c.id,
      text: c.text,
      identifiesPerson: labels.get(c.id) === true,
      random: random.has(c.id),
      screened: screened.has(c.id),
    }));
}
