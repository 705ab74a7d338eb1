import type { Db } from "../../db/connection.js";
import { type Config, loadConfig } from "../config.js";
import { openConfiguredDatabase } from "../database.js";
import { createServices } from "../services/create.js";
import type { Services } from "../services/index.js";

/**
 * Open the configured database (migrated, demo loaded on first use) for one CLI command, with the
 * same services the server uses.
 */
export function openForCli(): { config: Config; db: Db; services: Services } {
  const config = loadConfig();
  // Progress lines go to stderr so that a command's own output stays clean for pipes.
  const db = openConfiguredDatabase(config, (line) => console.error(line));
  return { config, db, services: createServices(db, () => new Date(), config) };
}
