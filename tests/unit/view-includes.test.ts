import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../server/config.js";

const VIEWS = join(projectRoot(), "views");

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith(".ejs") ? [join(dir, e.name)] : [],
  );
}

describe("view includes", () => {
  it("name their file from views/, so ejs resolves them without a file-system check per render", () => {
    const relativeIncludes: string[] = [];
    let seen = 0;
    for (const file of templates(VIEWS)) {
      for (const m of readFileSync(file, "utf8").matchAll(/include\(\s*(['"])([^'"]*)\1/g)) {
        seen++;
        if (!m[2]?.startsWith("/")) relativeIncludes.push(`${relative(VIEWS, file)}: ${m[2]}`);
      }
    }
    expect(seen).toBeGreaterThan(100);
    expect(relativeIncludes).toEqual([]);
  });
});
