import { checkSync, type Diagnostics } from "recheck";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../server/config.js";
import { type FoundRegex, findRegexes } from "../support/regex-inventory.js";

/**
 * The ReDoS linter (issue 8): every regular expression in server/, analysis/ and db/ is checked with
 * recheck, which finds patterns whose matching time grows faster than linearly with the input (by
 * automata theory where it can, by fuzzing where it cannot). One Node process serves every
 * resident, so one such pattern run on a long comment or CSV cell stalls them all.
 *
 * A pattern that recheck cannot prove safe may stay only if it never runs on what the public or a
 * file upload sends, and is listed here with the reason. `new RegExp` built from something computed
 * cannot be checked at all, so it too must be listed (or written as a literal).
 */
const ALLOWED: readonly { file: string; source: string | undefined; reason: string }[] = [
  {
    file: "analysis/report/sentences.ts",
    source: String.raw`\bagree(?: or disagree)? with (.+?)\s*\?`,
    reason:
      "Reads a question's own text from the consultation definition, written by the council and " +
      "validated when it is loaded; never a resident's answer or an uploaded file.",
  },
];

const DIRS = ["server", "analysis", "db"] as const;
const root = projectRoot();
// A fixed seed, so that a pattern checked by fuzzing gets the same verdict on every run.
const PARAMS = { randomSeed: 1, timeout: 20_000 } as const;

function allowed(r: FoundRegex) {
  const file = r.where.slice(0, r.where.lastIndexOf(":"));
  return ALLOWED.find((a) => a.file === file && a.source === r.source);
}

function describeProblem(r: FoundRegex, d: Diagnostics | undefined): string {
  if (!d) return `${r.where}: new RegExp from a computed source cannot be checked: ${r.text.slice(0, 80)}`;
  if (d.status === "vulnerable")
    return `${r.where}: ${r.text} is ${d.complexity.summary}; attack ${d.attack.pattern}`;
  if (d.status === "unknown") return `${r.where}: ${r.text} could not be checked (${d.error.kind})`;
  return "";
}

describe("regular expressions run in linear time (recheck)", () => {
  const found = findRegexes(root, DIRS);

  it("finds the project's regular expressions", () => {
    // The inventory must see what is there, or the check below would pass on nothing.
    expect(found.length).toBeGreaterThan(40);
    expect(found.some((r) => r.where.startsWith("analysis/redaction.ts") && r.flags.includes("g"))).toBe(
      true,
    );
    expect(found.some((r) => r.where.startsWith("server/"))).toBe(true);
  });

  it("recheck tells a quadratic pattern from a linear one", () => {
    const quadraticEmail = String.raw`[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`;
    expect(checkSync(quadraticEmail, "g", PARAMS).status).toBe("vulnerable");
    expect(checkSync("^[a-z]{1,20}$", "", PARAMS).status).toBe("safe");
  });

  it("every pattern is safe, or listed with the reason it never sees user text", () => {
    const problems: string[] = [];
    const verdicts = new Map<string, Diagnostics>();
    for (const r of found) {
      if (allowed(r)) continue;
      let d: Diagnostics | undefined;
      if (r.source !== undefined) {
        const key = `${r.flags}/${r.source}`;
        d = verdicts.get(key) ?? checkSync(r.source, r.flags, PARAMS);
        verdicts.set(key, d);
      }
      if (d?.status !== "safe") problems.push(describeProblem(r, d));
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it("lists nothing that is no longer there", () => {
    const stale = ALLOWED.filter((a) => !found.some((r) => allowed(r) === a));
    expect(stale).toEqual([]);
  });
});
