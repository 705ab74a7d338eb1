import { join } from "node:path";
import type { Db } from "../../db/connection.js";
import { migrate, openDatabase } from "../../db/connection.js";
import { loadDemo } from "../../db/seed/demo.js";
import { createApp, createServices } from "../../server/app.js";
import { type Config, testConfig } from "../../server/config.js";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  db: Db;
  config: Config;
  clock: { now: Date };
  errors: unknown[];
}

/** The real app around an in-memory database holding the demo consultations, with a settable clock. */
export function buildTestApp(opts: { now?: Date; config?: Partial<Config> } = {}): TestApp {
  const config = testConfig(opts.config);
  const db = openDatabase(":memory:");
  migrate(db, join(config.root, "db", "migrations"));
  const clock = { now: opts.now ?? new Date() };
  loadDemo(db, config.root, clock.now);
  const errors: unknown[] = [];
  const now = () => clock.now;
  const app = createApp({
    config,
    db,
    clock: now,
    services: createServices(db, now),
    log: (e) => errors.push(e),
  });
  return { app, db, config, clock, errors };
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("No CSRF token in the page");
  return match[1];
}

export function count(db: Db, sql: string, ...params: unknown[]): number {
  return (db.prepare(sql).get(...params) as { n: number }).n;
}
