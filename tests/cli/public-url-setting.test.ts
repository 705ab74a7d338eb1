import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, projectRoot } from "../../server/config.js";

// In production, links e-mailed to residents are built from SOUNDING_PUBLIC_URL: with e-mail on
// and no public address the server refuses to start rather than mail links to localhost.
const production = {
  NODE_ENV: "production",
  SOUNDING_DB: ":memory:",
  SOUNDING_SMTP_URL: "smtp://mail.example.gov.uk:587",
};

describe("SOUNDING_PUBLIC_URL in production", () => {
  it("is required when e-mail is configured, and the message says which setting and why", () => {
    expect(() => loadConfig(production)).toThrow(/SOUNDING_PUBLIC_URL: must be set in production/);
    expect(() => loadConfig(production)).toThrow(/localhost/);
  });

  it("is not required without e-mail, nor outside production, and is used when given", () => {
    expect(loadConfig({ ...production, SOUNDING_SMTP_URL: undefined }).smtpUrl).toBeUndefined();
    expect(loadConfig({ ...production, NODE_ENV: "development" }).publicUrl).toBe("http://localhost:3000");
    const set = loadConfig({ ...production, SOUNDING_PUBLIC_URL: "https://consult.example.gov.uk/" });
    expect(set.publicUrl).toBe("https://consult.example.gov.uk");
    expect(set.smtpUrl).toBe("smtp://mail.example.gov.uk:587");
  });

  it("stops the real server before it listens, with the reason and no stack trace", () => {
    const root = projectRoot();
    const run = spawnSync(process.execPath, ["--import", "tsx", join(root, "server", "main.ts")], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", ...production, PORT: "0" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Sounding cannot start.");
    expect(run.stderr).toContain("SOUNDING_PUBLIC_URL");
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).not.toContain("Sounding is running");
  });
});
