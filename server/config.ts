import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** The project root: the folder holding package.json, whether we run from source or from dist/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json not found above the server folder");
    dir = parent;
  }
  return dir;
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  SOUNDING_DB: z.string().default("./data/sounding.db"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SOUNDING_SECRET: z.string().min(32).optional(),
  SOUNDING_COUNCIL: z.string().default("Leicestershire County Council"),
  SOUNDING_ANSWER_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  SOUNDING_REPORT_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  SOUNDING_TRUST_PROXY: z.coerce.number().int().min(0).default(0),
  SOUNDING_SEED_DEMO: z.enum(["0", "1"]).default("1"),
  SOUNDING_ADMIN_EMAIL: z.email().default("admin@example.gov.uk"),
  SOUNDING_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").max(256).optional(),
  SOUNDING_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
});

export interface Config {
  readonly port: number;
  /** Interface to listen on; when unset, every interface (as Node does by default). */
  readonly host: string | undefined;
  /** SQLite file path, or ":memory:". */
  readonly dbPath: string;
  readonly env: "development" | "production" | "test";
  /** Signs cookies and CSRF tokens. When not set, one is kept in the database so restarts keep sessions. */
  readonly secret: string | undefined;
  readonly council: string;
  /** Answer posts a client may make per minute. */
  readonly answerRateLimit: number;
  /** Public report requests a client may make per minute. */
  readonly reportRateLimit: number;
  readonly trustProxy: number;
  readonly seedDemo: boolean;
  readonly root: string;
  /** The first admin account, created on first start when there are no officers. */
  readonly adminEmail: string;
  /** Its password; when unset, one is generated and printed once. */
  readonly adminPassword: string | undefined;
  /** An officer session ends after this many minutes without a request. */
  readonly sessionIdleMinutes: number;
}

/** Read the environment once. Nothing else in the project reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const root = projectRoot();
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dbPath: e.SOUNDING_DB === ":memory:" ? ":memory:" : resolve(e.SOUNDING_DB),
    env: e.NODE_ENV,
    secret: e.SOUNDING_SECRET,
    council: e.SOUNDING_COUNCIL,
    answerRateLimit: e.SOUNDING_ANSWER_RATE_LIMIT,
    reportRateLimit: e.SOUNDING_REPORT_RATE_LIMIT,
    trustProxy: e.SOUNDING_TRUST_PROXY,
    seedDemo: e.SOUNDING_SEED_DEMO === "1",
    root,
    adminEmail: e.SOUNDING_ADMIN_EMAIL,
    adminPassword: e.SOUNDING_ADMIN_PASSWORD,
    sessionIdleMinutes: e.SOUNDING_SESSION_IDLE_MINUTES,
  });
}

/** A config for tests: in-memory database, no demo unless asked. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({ ...loadConfig({ NODE_ENV: "test", SOUNDING_DB: ":memory:" }), ...overrides });
}
