import { join } from "node:path";
import { migrate, openDatabase, type Db } from "../../db/connection.js";
import { type Config, loadConfig } from "../config.js";

/** Open the configured database, migrated, for one CLI command. */
export function openForCli(): { config: Config; db: Db } {
  const config = loadConfig();
  const db = openDatabase(config.dbPath);
  migrate(db, join(config.root, "db", "migrations"));
  return { config, db };
}
