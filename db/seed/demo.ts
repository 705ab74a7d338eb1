import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDefinition } from "../../analysis/definition.js";
import type { Db } from "../connection.js";
import { ConsultationRepository } from "../consultations.js";
import { ResponseRepository, toAnswerRows } from "../responses.js";
import { loadDemoCodebooks } from "./themes/index.js";
import { DEMO_RESPONSES, demoReference, demoResponseProblem, mulberry32 } from "./responses/index.js";

/** The demo consultation that is open: it opens when the demo is first loaded and runs 12 weeks. */
export const OPEN_DEMO_SLUG = "commercial-strategy-2018";
const TWELVE_WEEKS_MS = 12 * 7 * 24 * 60 * 60 * 1000;

/**
 * Load the demo consultations built from ../shared/seeds, marked as demo. A consultation already in
 * the database is never touched: only the consultations this call creates are stored, and only
 * those get their demo responses (db/seed/responses), so that the closed ones reproduce the figures
 * the council published. The server and the CLI call this only for a database being created
 * (server/database.ts), so demo data never mixes with real data.
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
    const saved = repo.save(definition, now, { demo: true });
    // A demo that has already closed shows what a finished consultation looks like: its results
    // published, so its public report and "we did" entries are there to read.
    if (new Date(definition.closes) <= now) repo.setResultsPublished(saved.id, definition.slug, now);
    loaded.push(definition.slug);
  }
  loadDemoResponses(db, repo, loaded);
  loadDemoCodebooks(db, repo, loaded, now);
  return loaded;
}

/**
 * Insert the demo responses of each demo consultation just created (`created`), one transaction
 * each. Should a demo definition no longer fit its generated responses, that consultation is left
 * without them (and a warning says why) rather than stopping the server from starting.
 */
function loadDemoResponses(db: Db, repo: ConsultationRepository, created: readonly string[]): void {
  const responses = new ResponseRepository(db);
  const countAll = db.prepare("SELECT count(*) AS n FROM responses WHERE consultation_id = ?");
  const referenceTaken = db.prepare("SELECT 1 FROM responses WHERE reference = ?").pluck();
  for (const [slug, demo] of Object.entries(DEMO_RESPONSES)) {
    const consultation = repo.findBySlug(slug);
    if (!consultation?.demo || !created.includes(slug)) continue;
    if ((countAll.get(consultation.id) as { n: number }).n > 0) continue;
    try {
      const generated = demo.generate();
      generated.forEach((r, i) => {
        const problem = demoResponseProblem(consultation.definition, r.answers);
        if (problem) throw new Error(`response ${i + 1} ${problem}`);
      });
      const catalog = repo.catalog(consultation.id);
      const rand = mulberry32(demo.referenceSeed);
      db.transaction(() => {
        for (const r of generated) {
          let reference = demoReference(rand);
          while (referenceTaken.get(reference) !== undefined) reference = demoReference(rand);
          responses.insertSubmitted(
            consultation.id,
            reference,
            r.channel,
            r.submittedAt,
            toAnswerRows(catalog, r.answers),
          );
        }
      })();
    } catch (err) {
      console.warn(
        `Demo responses for ${slug} not loaded (${err instanceof Error ? err.message : String(err)}); ` +
          "a fresh database gets them",
      );
    }
  }
}
