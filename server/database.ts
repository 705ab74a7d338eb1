import { join } from "node:path";
import { type Db, migrate, openDatabase } from "../db/connection.js";
import { loadDemo } from "../db/seed/demo.js";
import type { Config } from "./config.js";
import { finishLeftImports } from "./services/response-import.js";

/**
 * Open the configured database ready for use: migrated, and, when this call creates it and
 * SOUNDING_SEED_DEMO is not 0, holding the demo consultations (whichever of the server or the CLI
 * touches a new database first). An existing database never gets the demo, whatever the setting:
 * a consultation there may be real, and demo data must not mix with it.
 */
export function openConfiguredDatabase(config: Config, log: (line: string) => void): Db {
  const db = openDatabase(config.dbPath);
  const { from, to } = migrate(db, join(config.root, "db", "migrations"));
  if (from !== to) log(`Database ${config.dbPath}: migrated from version ${from} to ${to}`);
  finishLeftImports(db, log);
  const created = from === 0;
  if (config.seedDemo && created) {
    const loaded = loadDemo(db, config.root);
    if (loaded.length > 0) log(`Loaded demo consultations: ${loaded.join(", ")}`);
  }
  return db;
}
