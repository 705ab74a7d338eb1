import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { projectRoot } from "../../../server/config.js";

/** Benchmarks talk to loopback only. */
export const LOOPBACK = "127.0.0.1";

/** Answer posts a client address may make per minute, set high so the limiter runs but never refuses. */
export const BENCH_RATE_LIMIT = 100_000_000;

export interface ChildServer {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the process wrote (stdout and stderr), for diagnostics. */
  output(): string;
  /** How many lines the process wrote to stderr (the server logs 5xx errors there). */
  stderrLines(): number;
  /** The last of what it wrote to stderr. */
  stderrTail(): string;
  /** CPU seconds (user + system) the process has used so far; NaN where /proc is not available. */
  cpuSeconds(): number;
  /** SIGTERM, then SIGKILL if it has not gone after a grace period. */
  stop(): Promise<void>;
  /** kill -9: no chance to close anything. */
  kill9(): Promise<void>;
}

const live = new Set<ChildProcess>();
// Never leave a server running behind us, whatever happens to the runner.
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error("No free port"))));
    });
  });
}

/** A fresh folder for a benchmark's database; remove it with the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `sounding-bench-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let ticksPerSecond = 0;

/** The resident set size of a process from /proc/PID/status (Linux), in MiB; NaN elsewhere. */
export function rssMibOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** utime + stime of a process from /proc/PID/stat (Linux), in seconds. */
export function cpuSecondsOf(pid: number): number {
  try {
    if (ticksPerSecond === 0)
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start with the state, field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** Keep the environment we inherit, minus anything that would change how the server behaves. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("SOUNDING_") || ["NODE_ENV", "PORT", "HOST", "NODE_OPTIONS"].includes(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

async function launch(
  name: string,
  script: string,
  nodeArgs: string[],
  env: Record<string, string>,
  port: number,
): Promise<ChildServer> {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: projectRoot(),
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start ${script}`);

  let tail = "";
  let errTail = "";
  let errLines = 0;
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-8_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    errLines += text.split("\n").filter(Boolean).length;
    errTail = (errTail + text).slice(-4_000);
    keep(chunk);
  });

  let hasExited = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      hasExited = true;
      live.delete(child);
      resolve({ code, signal });
    });
  });

  const url = `http://${LOOPBACK}:${port}`;
  const server: ChildServer = {
    name,
    url,
    pid,
    exited,
    output: () => tail,
    stderrLines: () => errLines,
    stderrTail: () => errTail,
    cpuSeconds: () => cpuSecondsOf(pid),
    async stop() {
      if (hasExited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 8_000);
      await exited;
      clearTimeout(timer);
    },
    async kill9() {
      if (hasExited) return;
      child.kill("SIGKILL");
      await exited;
    },
  };

  // Wait until it answers HTTP: at most 1200 tries 50 ms apart (a minute: first starts seed the demo data), or until it dies.
  for (let attempt = 0; attempt < 1_200; attempt++) {
    if (hasExited) throw new Error(`${name} exited before listening:\n${tail}`);
    try {
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      return server;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await server.kill9();
  throw new Error(`${name} did not listen on ${url} within a minute:\n${tail}`);
}

export interface SoundingOptions {
  dbPath: string;
  /** Extra node flags, e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"]. */
  nodeArgs?: string[];
  /** Extra environment, e.g. { SOUNDING_ADMIN_PASSWORD: "..." } for a benchmark that signs in. */
  env?: Record<string, string>;
  /** The port to listen on (a restart keeps its clients' address); a free one when not given. */
  port?: number;
}

/**
 * The real server as its own process (`node dist/server/main.js`), on loopback, with the demo
 * consultations, development mode (production cookies are Secure, which plain-HTTP clients cannot
 * send back) and the answer rate limit raised to BENCH_RATE_LIMIT.
 */
export async function startSounding(opts: SoundingOptions): Promise<ChildServer> {
  const port = opts.port ?? (await freePort());
  return launch(
    "Sounding",
    join(projectRoot(), "dist", "server", "main.js"),
    opts.nodeArgs ?? [],
    {
      PORT: String(port),
      HOST: LOOPBACK,
      SOUNDING_DB: opts.dbPath,
      SOUNDING_SEED_DEMO: "1",
      NODE_ENV: "development",
      SOUNDING_ANSWER_RATE_LIMIT: String(BENCH_RATE_LIMIT),
      ...opts.env,
    },
    port,
  );
}

/** The minimal Express 5 app of baseline-server.ts, in its own process. */
export async function startBaseline(): Promise<ChildServer> {
  const port = await freePort();
  const script = fileURLToPath(new URL("./baseline-server.js", import.meta.url));
  return launch("Baseline", script, [], { PORT: String(port), HOST: LOOPBACK }, port);
}
