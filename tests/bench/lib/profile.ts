import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { projectRoot } from "../../../server/config.js";
import { formatTable, type Table } from "./report.js";

/** The parts of a V8 .cpuprofile (as written by `node --cpu-prof`) that we read. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, our own folder, Node itself or V8's pseudo-frames. */
function owner(url: string, functionName: string): string {
  if (!url) return `(${functionName || "native"})`.replace(/^\(\((.*)\)\)$/, "($1)");
  const nm = url.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "/node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1] ?? ""}` : (rest[0] ?? url);
  }
  if (url.startsWith("node:")) return "node internals";
  const root = pathToFileURL(projectRoot()).href;
  if (url.startsWith(root)) {
    const parts = url.slice(root.length + 1).split("/");
    // dist/server/middleware/x.js -> sounding: server/middleware
    const inDist = parts[0] === "dist" ? parts.slice(1) : parts;
    return `sounding: ${inDist.slice(0, Math.min(2, inDist.length - 1)).join("/")}`;
  }
  return url;
}

const frameName = (f: CpuProfile["nodes"][number]["callFrame"]) =>
  `${f.functionName || "(anonymous)"} ${f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : ""}`.trim();

/** Self time by owner and by function, and inclusive time by function, as tables. */
export function summariseProfile(path: string, top = 15): Table[] {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfByOwner = new Map<string, number>();
  const selfByFrame = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(profile.samples[i] ?? -1);
    if (!node || dt <= 0) continue;
    total += dt;
    add(selfByOwner, owner(node.callFrame.url, node.callFrame.functionName), dt);
    add(selfByFrame, frameName(node.callFrame), dt);
    // Inclusive: every distinct frame on the stack, once per sample. Stacks are finite trees, but bound the walk anyway.
    const seen = new Set<string>();
    let id: number | undefined = node.id;
    for (let depth = 0; id !== undefined && depth < 1_000; depth++) {
      const n = byId.get(id);
      if (!n) break;
      const name = frameName(n.callFrame);
      if (name !== "(root)" && !seen.has(name)) {
        seen.add(name);
        add(inclusive, name, dt);
      }
      id = parent.get(id);
    }
  }

  const pct = (v: number) => `${((100 * v) / Math.max(total, 1)).toFixed(1)}%`;
  const rows = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => [k, `${(v / 1000).toFixed(0)} ms`, pct(v)]);
  return [
    {
      title: `Self time by where the code lives (${(total / 1e6).toFixed(1)} s sampled)`,
      columns: ["", "time", "share"],
      rows: rows(selfByOwner, top),
    },
    { title: "Self time by function", columns: ["", "time", "share"], rows: rows(selfByFrame, top) },
    { title: "Inclusive time by function", columns: ["", "time", "share"], rows: rows(inclusive, top * 2) },
  ];
}

/** The .cpuprofile files node wrote for a process id in a folder. */
export function profilesOf(dir: string, pid: number): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile") && f.includes(`.${pid}.`))
    .map((f) => join(dir, f));
}

// `node dist/tests/bench/lib/profile.js FILE.cpuprofile`: print the summary of a profile.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const file of process.argv.slice(2))
    for (const table of summariseProfile(file)) console.log(`\n${formatTable(table)}`);
}
