import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { redact } from "../../analysis/redaction.js";
import { lexiconStance } from "../../analysis/themes/stance.js";
import { projectRoot } from "../../server/config.js";
import { isCommonPassword } from "../../server/services/password-policy.js";

/**
 * Start-up (issue 8): the packages only a worker or a rare path needs are loaded when first used,
 * not when the server's modules are imported. natural's sentiment lexicon (the stance fallback, in
 * the insights worker), compromise (names, looked for in workers only) and zxcvbn's password lists
 * (only when an officer sets a password) took about 0.8 s of a 1.3 s start.
 */
const HEAVY = [
  "natural/lib/natural/sentiment",
  "node_modules/compromise/",
  "node_modules/@zxcvbn-ts/language-common/",
];

/**
 * A fresh Node process imports the modules server/main.ts imports (the app and its services) and
 * prints every module file it loaded: ES modules through a resolve hook, CommonJS ones from
 * require.cache (what createRequire loads is not seen by ES module hooks).
 */
const PROBE = `
import { register, createRequire } from "node:module";
import { MessageChannel } from "node:worker_threads";
const { port1, port2 } = new MessageChannel();
const seen = new Set();
port1.on("message", (url) => seen.add(url));
port1.unref();
const hooks = "data:text/javascript," + encodeURIComponent(
  "let port; export function initialize(d) { port = d.port; }" +
  "export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }");
register(hooks, { data: { port: port2 }, transferList: [port2] });
const root = process.argv[1];
for (const m of ["server/app.ts", "server/services/create.ts", "server/services/mail.ts", "server/services/retention.ts"])
  await import(new URL(m, root).href);
await new Promise((r) => setTimeout(r, 200));
const require = createRequire(import.meta.url);
console.log(JSON.stringify([...seen, ...Object.keys(require.cache)]));
`;

function modulesLoadedAtStart(): string[] {
  const tsx = pathToFileURL(join(projectRoot(), "node_modules", "tsx", "dist", "loader.mjs")).href;
  const run = spawnSync(
    process.execPath,
    ["--import", tsx, "--input-type=module", "-e", PROBE, pathToFileURL(`${projectRoot()}/`).href],
    { encoding: "utf8", cwd: projectRoot(), timeout: 110_000 },
  );
  if (run.status !== 0) throw new Error(`probe failed (${run.status}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout.trim().split("\n").pop() ?? "[]") as string[];
}

describe("start-up loads only what serving requests needs", () => {
  it("does not load the sentiment lexicon, compromise or the password lists", () => {
    const loaded = modulesLoadedAtStart();
    // The probe sees the app's own modules, so an empty list is not mistaken for a pass.
    expect(loaded.some((m) => m.includes("/server/app.ts"))).toBe(true);
    expect(loaded.some((m) => m.includes("node_modules/express/"))).toBe(true);
    for (const heavy of HEAVY) expect(loaded.filter((m) => m.includes(heavy))).toEqual([]);
  }, 120_000);

  it("still uses each of them when asked", () => {
    expect(lexiconStance("The staff were wonderful and kind").stance).toBe("supports");
    expect(redact("I spoke to Sarah Jones about it")).toContain("[name removed]");
    expect(isCommonPassword("password1234")).toBe(true);
  });
});
