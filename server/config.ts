import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { withoutTrailing } from "../analysis/without-trailing.js";

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
  SOUNDING_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SOUNDING_SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SOUNDING_MAIL_FROM: z.email().optional(),
  SOUNDING_DATA_CONTROLLER: z.string().trim().min(1).max(200).optional(),
  SOUNDING_DPO_NAME: z.string().trim().min(1).max(200).default("Data Protection Officer"),
  SOUNDING_DPO_EMAIL: z.email().default("dataprotection@example.gov.uk"),
  SOUNDING_DPO_ADDRESS: z.string().trim().min(1).max(500).optional(),
  SOUNDING_ACCESSIBILITY_EMAIL: z.email().optional(),
  SOUNDING_ACCESSIBILITY_PHONE: z.string().trim().min(1).max(50).optional(),
  SOUNDING_ACCESSIBILITY_REPLY_DAYS: z.coerce.number().int().min(1).max(60).default(5),
  SOUNDING_ACCESSIBILITY_TESTED: z.iso.date().default("2026-12-01"),
  SOUNDING_ACCESSIBILITY_TESTED_BY: z.string().trim().min(1).max(200).optional(),
  SOUNDING_ACCESSIBILITY_ISSUES: z.string().trim().max(5000).optional(),
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
  /** The address residents reach the service at, for links sent by e-mail (save and return). */
  readonly publicUrl: string;
  /** Where e-mail goes (nodemailer); when unset, no e-mail is offered and the pages say so. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Who the privacy notice, cookies page and accessibility statement name. */
  readonly publicPages: PublicPagesConfig;
}

export interface PublicPagesConfig {
  readonly dataController: string;
  readonly dpoName: string;
  readonly dpoEmail: string;
  readonly dpoAddress: string | undefined;
  /** Where to report an accessibility problem (the DPO's address unless set). */
  readonly accessibilityEmail: string;
  readonly accessibilityPhone: string | undefined;
  readonly accessibilityReplyDays: number;
  /** When the service was last tested for accessibility (YYYY-MM-DD) and by whom. */
  readonly accessibilityTested: string;
  readonly accessibilityTestedBy: string;
  /** Known problems (SOUNDING_ACCESSIBILITY_ISSUES, separated by "|"); empty when none is known. */
  readonly accessibilityIssues: string[];
}

/** Read the environment once. Nothing else in the project reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  // In production, e-mailed links (save and return) are built from SOUNDING_PUBLIC_URL; without it
  // they would point at localhost and every resident who saved a draft would get a dead link. We
  // refuse to start rather than quietly turn e-mail off: the officer who set SOUNDING_SMTP_URL meant
  // residents to get e-mail, and a server that starts without the promised offer would go unnoticed.
  if (e.NODE_ENV === "production" && e.SOUNDING_SMTP_URL && !e.SOUNDING_PUBLIC_URL)
    throw new Error(
      "Invalid environment:\n  SOUNDING_PUBLIC_URL: must be set in production when SOUNDING_SMTP_URL is set " +
        "(the address residents use, e.g. https://consult.example.gov.uk): the links e-mailed to residents " +
        "are built from it and would otherwise point at localhost. Set it, or unset SOUNDING_SMTP_URL to run without e-mail.",
    );
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
    publicUrl: withoutTrailing(e.SOUNDING_PUBLIC_URL ?? `http://localhost:${e.PORT}`, "/"),
    smtpUrl: e.SOUNDING_SMTP_URL,
    mailFrom: e.SOUNDING_MAIL_FROM ?? "consultations@example.gov.uk",
    publicPages: Object.freeze({
      dataController: e.SOUNDING_DATA_CONTROLLER ?? e.SOUNDING_COUNCIL,
      dpoName: e.SOUNDING_DPO_NAME,
      dpoEmail: e.SOUNDING_DPO_EMAIL,
      dpoAddress: e.SOUNDING_DPO_ADDRESS,
      accessibilityEmail: e.SOUNDING_ACCESSIBILITY_EMAIL ?? e.SOUNDING_DPO_EMAIL,
      accessibilityPhone: e.SOUNDING_ACCESSIBILITY_PHONE,
      accessibilityReplyDays: e.SOUNDING_ACCESSIBILITY_REPLY_DAYS,
      accessibilityTested: e.SOUNDING_ACCESSIBILITY_TESTED,
      accessibilityTestedBy: e.SOUNDING_ACCESSIBILITY_TESTED_BY ?? e.SOUNDING_COUNCIL,
      accessibilityIssues: (e.SOUNDING_ACCESSIBILITY_ISSUES ?? "")
        .split("|")
        .map((line) => line.trim())
        .filter(Boolean),
    }),
  });
}

/** A config for tests: in-memory database, no demo unless asked. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({ ...loadConfig({ NODE_ENV: "test", SOUNDING_DB: ":memory:" }), ...overrides });
}
