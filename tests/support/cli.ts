import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { projectRoot } from "../../server/config.js";

const root = projectRoot();

/** Run the analyst CLI from source (as `npx sounding` runs the built copy) against a given database. */
export function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", join(root, "server", "cli", "main.ts"), ...args],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", ...env },
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
