import { join } from "node:path";
import { migrate, openDatabase } from "../db/connection.js";
import { loadDemo } from "../db/seed/demo.js";
import { createApp, createServices } from "./app.js";
import { loadConfig } from "./config.js";
import { ensureFirstAdmin } from "./services/officers.js";

const config = loadConfig();
const db = openDatabase(config.dbPath);
const { from, to } = migrate(db, join(config.root, "db", "migrations"));
if (from !== to) console.log(`Database ${config.dbPath}: migrated from version ${from} to ${to}`);
if (config.seedDemo) {
  const loaded = loadDemo(db, config.root);
  if (loaded.length > 0) console.log(`Loaded demo consultations: ${loaded.join(", ")}`);
}

const clock = () => new Date();
const services = createServices(db, clock, config);
// First start: with no officer accounts, create an admin (password from the environment, or
// generated and printed once below).
await ensureFirstAdmin(services.officers, { email: config.adminEmail, password: config.adminPassword });

const app = createApp({ config, db, clock, services });
const onListening = () => console.log(`Sounding is running at http://localhost:${config.port}`);
const server = config.host
  ? app.listen(config.port, config.host, onListening)
  : app.listen(config.port, onListening);

function shutdown(signal: string) {
  console.log(`${signal} received: closing`);
  server.close(() => {
    db.close();
    process.exit(0);
  });
  // Keep-alive connections would hold close() open; end them after a grace period.
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
