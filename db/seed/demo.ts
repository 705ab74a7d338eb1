import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDefinition } from "../../analysis/definition.js";
import type { Db } from "../connection.js";
import { ConsultationRepository } from "../consultations.js";

/** The demo consultation that is open: it opens when the demo is first loaded and runs 12 weeks. */
export const OPEN_DEMO_SLUG = "commercial-strategy-2018";
const TWELVE_WEEKS_MS = 12 * 7 * 24 * 60 * 60 * 1000;

/**
 * Load the demo consultations built from ../shared/seeds, once: a consultation already in the
 * database is left as it is, so restarts keep responses and the open one keeps its dates.
 */
export function loadDemo(db: Db, root: string, now = new Date()): string[] {
  const dir = join(root, "db", "seed", "definitions");
  const repo = new ConsultationRepository(db);
  const loaded: string[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const parsed = parseDefinition(JSON.parse(readFileSync(join(dir, file), "utf8")));
    if (!parsed.ok)
      throw new Error(
        `Demo definition ${file} is invalid: ${parsed.errors.map((e) => `${e.path} ${e.message}`).join("; ")}`,
      );
    const definition = parsed.definition;
    if (repo.findBySlug(definition.slug)) continue;
    if (definition.slug === OPEN_DEMO_SLUG) {
      definition.opens = now.toISOString();
      definition.closes = new Date(now.getTime() + TWELVE_WEEKS_MS).toISOString();
    }
    repo.save(definition, now);
    loaded.push(definition.slug);
  }
  return loaded;
}
