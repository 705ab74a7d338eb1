import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { CommanderError } from "commander";
import { cliProgram } from "../../server/cli/program.js";
import { projectRoot } from "../../server/config.js";

const root = projectRoot();

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run an analyst command in this process, as server/cli/main.ts runs it in its own: the same
 * commands, an environment of PATH plus `env` only, and what it writes to stdout and stderr captured.
 * Starting a process per command (tsx compiling the sources each time) made the CLI tests most of
 * the suite's time; `runCliProcess` still runs the real entry point where a test is about it.
 */
export async function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const saved = {
    env: process.env,
    exitCode: process.exitCode,
    log: console.log,
    warn: console.warn,
    error: console.error,
    write: process.stderr.write,
  };
  const line =
    (to: string[]) =>
    (...parts: unknown[]) => {
      to.push(`${parts.map(String).join(" ")}\n`);
    };
  process.env = { PATH: saved.env.PATH ?? "", ...env };
  process.exitCode = undefined;
  console.log = line(stdout);
  console.warn = line(stderr);
  console.error = line(stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stderr.write;
  let status = 0;
  try {
    const program = cliProgram((p) =>
      p.exitOverride().configureOutput({
        writeOut: (s) => stdout.push(s),
        writeErr: (s) => stderr.push(s),
      }),
    );
    await program.parseAsync(["node", "sounding", ...args]);
    status = Number(process.exitCode ?? 0);
  } catch (err) {
    // As main.ts: the message on stderr and exit code 1 (commander's own errors carry their code).
    if (err instanceof CommanderError) status = err.exitCode;
    else {
      stderr.push(`${err instanceof Error ? err.message : String(err)}\n`);
      status = 1;
    }
  } finally {
    process.env = saved.env;
    process.exitCode = saved.exitCode;
    console.log = saved.log;
    console.warn = saved.warn;
    console.error = saved.error;
    process.stderr.write = saved.write;
  }
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}

/** Run the analyst CLI from source in a process of its own (as `npx sounding` runs the built copy). */
export function runCliProcess(args: string[], env: Record<string, string>): CliRun {
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
