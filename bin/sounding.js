#!/usr/bin/env node
// The analyst CLI, compiled by `npm run build` (run by `npm install` through the prepare script).
import("../dist/server/cli/main.js").catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
