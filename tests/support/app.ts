import { join } from "node:path";
import type { Db } from "../../db/connection.js";
import { migrate, openDatabase, openDatabaseCopy } from "../../db/connection.js";
import { loadDemo } from "../../db/seed/demo.js";
import { createApp } from "../../server/app.js";
import { type Config, testConfig } from "../../server/config.js";
import { createServices } from "../../server/services/create.js";
import type { Services } from "../../server/services/index.js";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  db: Db;
  config: Config;
  clock: { now: Date };
  errors: unknown[];
  services: Services;
}

/**
 * Images of a migrated database holding the demo as loaded at a given time (its ISO string), built
 * once per test process: migrating and loading the demo for every test was most of the suite's time.
 */
const demoImages = new Map<string, Buffer>();
/** The time of this process's first demo image: the clock of a test app built without `now`. */
let firstLoadedAt: Date | undefined;

/** A fresh in-memory copy of the database `migrate` + `loadDemo(now)` makes. */
function demoDatabase(root: string, now: Date) {
  const key = now.toISOString();
  let image = demoImages.get(key);
  if (!image) {
    const db = openDatabase(":memory:");
    migrate(db, join(root, "db", "migrations"));
    loadDemo(db, root, now);
    image = db.serialize();
    db.close();
    demoImages.set(key, image);
  }
  return openDatabaseCopy(image);
}

/**
 * The real app around an in-memory database holding the demo consultations, with a settable clock.
 * The clock starts at `now`, when the demo was loaded (the open demo consultation opens then); without
 * `now`, at the time this process first loaded it, so that every test app starts from the same copy.
 */
export function buildTestApp(opts: { now?: Date; config?: Partial<Config> } = {}): TestApp {
  const config = testConfig(opts.config);
  firstLoadedAt ??= new Date();
  const clock = { now: new Date(opts.now ?? firstLoadedAt) };
  const db = demoDatabase(config.root, clock.now);
  const errors: unknown[] = [];
  const now = () => clock.now;
  const services = createServices(db, now, config);
  const app = createApp({ config, db, clock: now, services, log: (e) => errors.push(e) });
  return { app, db, config, clock, errors, services };
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("No CSRF token in the page");
  return match[1];
}

export function count(db: Db, sql: string, ...params: unknown[]): number {
  return (db.prepare(sql).get(...params) as { n: number }).n;
}

/** Counts over one consultation only (the closed demo consultations come with demo responses). */
export function scoped(db: Db, slug: string) {
  const c = `(SELECT id FROM consultations WHERE slug = '${slug.replace(/'/g, "''")}')`;
  return {
    responses: () => count(db, `SELECT count(*) AS n FROM responses WHERE consultation_id = ${c}`),
    submitted: () =>
      count(db, `SELECT count(*) AS n FROM responses WHERE consultation_id = ${c} AND status = 'submitted'`),
    answers: () =>
      count(
        db,
        `SELECT count(*) AS n FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.consultation_id = ${c}`,
      ),
    textAnswers: (text: string) =>
      count(
        db,
        `SELECT count(*) AS n FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.consultation_id = ${c} AND a.text_value = ?`,
        text,
      ),
    /** The draft answers JSON of the one response started in this consultation. */
    draftJson: () =>
      (
        db.prepare(`SELECT draft_json AS j FROM responses WHERE consultation_id = ${c}`).get() as
          | { j: string | null }
          | undefined
      )?.j,
  };
}
