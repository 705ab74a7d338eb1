import { createApp } from "./app.js";
import { type Config, loadConfig } from "./config.js";
import { openConfiguredDatabase } from "./database.js";
import { createServices } from "./services/create.js";
import { scheduleMail } from "./services/mail.js";
import { ensureFirstAdmin } from "./services/officers.js";
import { scheduleRetention } from "./services/retention.js";

// A setting that is wrong stops the server before it opens anything, with the reason and no stack trace.
let config: Config;
try {
  config = loadConfig();
} catch (err) {
  console.error(`Sounding cannot start. ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
const db = openConfiguredDatabase(config, (line) => console.log(line));

const clock = () => new Date();
const services = createServices(db, clock, config);
// First start: with no officer accounts, create an admin (password from the environment, or
// generated and printed once below).
await ensureFirstAdmin(services.officers, { email: config.adminEmail, password: config.adminPassword });

// Read the answers the results count from into memory now rather than on the first dashboard
// request (about 2 s for 500,000 responses; milliseconds for the demo).
const warmStarted = performance.now();
const warmed = services.results.warm();
if (warmed.length > 0)
  console.log(
    `Results: ${warmed.reduce((n, w) => n + w.respondents, 0).toLocaleString("en-GB")} responses of ${warmed.length} consultation(s) ` +
      `read into memory in ${Math.round(performance.now() - warmStarted)} ms`,
  );

// Public reports are built in workers now, so the first resident to read one does not wait for it.
const app = createApp({ config, db, clock, services, prebuildPublicReports: true });
// The retention job, daily, in slices that yield to residents' requests.
const stopRetention = scheduleRetention(services.retention, (line) => console.log(line));
// E-mail that failed is retried from its queue in the database (and whatever was queued before a restart).
const stopMail = scheduleMail(services.mail);
const onListening = () => console.log(`Sounding is running at http://localhost:${config.port}`);
const server = config.host
  ? app.listen(config.port, config.host, onListening)
  : app.listen(config.port, onListening);

function shutdown(signal: string) {
  console.log(`${signal} received: closing`);
  stopRetention();
  stopMail();
  server.close(() => {
    services.responses.commitSaves();
    db.close();
    process.exit(0);
  });
  // Keep-alive connections would hold close() open; end them after a grace period.
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
