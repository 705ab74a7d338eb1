import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../server/config.js";
import { runCli } from "../support/cli.js";

/**
 * `sounding themes predict` on a small labelled file in the benchmark's layout: a comment id, the
 * text, a rating, and one 0/1 column per theme from a named column on.
 */
const dir = mkdtempSync(join(tmpdir(), "sounding-themes-predict-"));
const PARKING = [
  "car park full",
  "no parking space",
  "parking charges high",
  "car park lighting",
  "free parking",
];
const LITTER = [
  "litter on street",
  "bins overflowing litter",
  "rubbish and litter",
  "empty litter bins",
  "fly tipping rubbish",
];

function labelled(): string {
  const rows = [["id", "said", "stars", "Parking", "Litter, bins & rubbish"]];
  for (let rep = 0; rep < 3; rep++) {
    PARKING.forEach((t, i) => {
      rows.push([`p${rep}-${i}`, `${t} ${rep}`, "2", "1", "0"]);
    });
    LITTER.forEach((t, i) => {
      rows.push([`l${rep}-${i}`, `${t} ${rep}`, "4", "0", "1"]);
    });
  }
  return rows.map((r) => r.map((c) => (c.includes(",") ? `"${c}"` : c)).join(",")).join("\n");
}

const train = join(dir, "train.csv");
const input = join(dir, "input.csv");
writeFileSync(train, labelled());
writeFileSync(
  input,
  "id,said,stars\nq1,nowhere to park the car,2\nq2,litter and overflowing bins,4\nq3,,3\n",
);

const args = (out: string) => [
  "themes",
  "predict",
  "--train",
  train,
  "--input",
  input,
  "--out",
  out,
  "--id-column",
  "id",
  "--text-column",
  "said",
  "--rating-column",
  "stars",
  "--first-label-column",
  "Parking",
];

describe("sounding themes predict", () => {
  it("writes each comment's themes, joined by |, and one summary line", async () => {
    const out = join(dir, "out.csv");
    const run = await runCli(args(out), {});
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      `Learned 2 of 2 themes from 30 comments; wrote the themes of 2 comments to ${out}\n`,
    );
    expect(readFileSync(out, "utf8")).toBe(
      'Comment ID,labels\r\nq1,Parking\r\nq2,"Litter, bins & rubbish"\r\n',
    );
  });

  // A process of its own compiles the CLI from source first: slow on a busy machine.
  it("keeps stdout clean in a process of its own, whatever .env sits in the working directory", {
    timeout: 120_000,
  }, () => {
    // Importing natural whole would print dotenv's lines and read this file; Sounding imports only
    // natural's submodules.
    const cwd = mkdtempSync(join(tmpdir(), "sounding-themes-cwd-"));
    writeFileSync(join(cwd, ".env"), "SOUNDING_SHOULD_NOT_BE_READ=1\n");
    const out = join(cwd, "out.csv");
    const tsx = pathToFileURL(join(projectRoot(), "node_modules", "tsx", "dist", "loader.mjs")).href;
    const r = spawnSync(
      process.execPath,
      ["--import", tsx, join(projectRoot(), "server", "cli", "main.ts"), ...args(out)],
      {
        cwd,
        env: { PATH: process.env.PATH ?? "" },
        encoding: "utf8",
        timeout: 110_000,
      },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      `Learned 2 of 2 themes from 30 comments; wrote the themes of 2 comments to ${out}\n`,
    );
    expect(r.status).toBe(0);
  });

  it("names a missing column and writes nothing", async () => {
    const out = join(dir, "never.csv");
    const run = await runCli([...args(out), "--text-column", "comment"], {});
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('has no text column "comment"');
    expect(() => readFileSync(out)).toThrow();
  });
});
