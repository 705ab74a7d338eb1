import { join } from "node:path";
import Database from "better-sqlite3";
import { commercialResident } from "../support/respondent.js";
import { Browser, expectRedirect, type Fields, InFlight, tokenIn } from "./lib/browser.js";
import { type Benchmark, int, type Outcome, type Table, type Target, verdict } from "./lib/report.js";
import { type ChildServer, startSounding, tempDir } from "./lib/servers.js";

const SLUG = "commercial-strategy-2018";
const BASE = `/consultations/${SLUG}`;
export const REFERENCE = /SND-[0-9A-Z]{4}-[0-9A-Z]{4}/;

/** Concurrent respondents, each doing whole journeys one after another. */
const LOOPS = 30;
/** Bounds each loop; the kill ends them long before. */
const MAX_JOURNEYS_PER_LOOP = 5_000;
/** If the confirmations needed never arrive, kill anyway after this long (and say so). */
const KILL_DEADLINE_MS = 120_000;

/**
 * Three runs, each killed at a different moment once at least `confirmations` have arrived: at
 * once, a while later, and a few milliseconds after a final submit has been sent (so one is
 * likely being handled when the process dies).
 */
const PLANS = [
  { label: "at the 50th confirmation", confirmations: 50, delayMs: 0, onSubmit: false },
  { label: "1.3 s after the 50th confirmation", confirmations: 50, delayMs: 1_300, onSubmit: false },
  { label: "3 ms after a submit is sent (50+ confirmed)", confirmations: 50, delayMs: 3, onSubmit: true },
] as const;
/** Loops start this far apart, so that the respondents are not all on the same page at once. */
const STAGGER_MS = 100;
type Plan = (typeof PLANS)[number];

const JOURNEY: Record<string, Fields> = commercialResident;

/**
 * Answer rows a submitted journey stores: one per non-empty field value (one per ticked box).
 * That rule holds for this journey, which has no "other" texts and no hidden pages; the check
 * below also compares it with what a response confirmed before the kill actually stored.
 */
export function expectedAnswerRows(journey: Record<string, Fields>): number {
  let n = 0;
  for (const fields of Object.values(journey))
    for (const v of Object.values(fields))
      n += (Array.isArray(v) ? v : [v]).filter((s) => s.trim() !== "").length;
  return n;
}

/** The whole journey as a browser makes it, following every redirect; returns the reference shown. */
export async function journey(b: Browser): Promise<string> {
  const start = tokenIn(await b.get(BASE), "consultation page");
  const pages = Object.entries(JOURNEY);
  const first = `${BASE}/respond/${pages[0]?.[0] ?? ""}`;
  expectRedirect(await b.post(`${BASE}/start`, start), first, "start");
  let page = await b.get(first);
  for (let i = 0; i < pages.length; i++) {
    const [pageId, fields] = pages[i] ?? ["", {}];
    const token = tokenIn(page, pageId);
    const nextId = pages[i + 1]?.[0];
    const next = nextId ? `${BASE}/respond/${nextId}` : `${BASE}/check`;
    expectRedirect(await b.post(`${BASE}/respond/${pageId}`, token, fields), next, pageId);
    page = await b.get(next);
  }
  const token = tokenIn(page, "check answers");
  expectRedirect(await b.post(`${BASE}/submit`, token), `${BASE}/confirmation`, "submit");
  const confirmation = await b.get(`${BASE}/confirmation`);
  const reference = confirmation.status === 200 ? REFERENCE.exec(confirmation.text)?.[0] : undefined;
  if (!reference) throw new Error(`confirmation: expected 200 with a reference, got ${confirmation.status}`);
  return reference;
}

interface LoadState {
  /** Reference -> the cookies of the browser that saw it (to ask for its confirmation again). */
  confirmed: Map<string, string>;
  killed: boolean;
  failuresBeforeKill: number;
  firstFailure: string;
}

interface RunFigures {
  plan: Plan;
  killAfterMs: number;
  deadlineHit: boolean;
  confirmations: number;
  inFlightRequests: number;
  inFlightSubmits: number;
  failuresBeforeKill: number;
  firstFailure: string;
  /** The end of the server's stderr, when journeys failed before the kill. */
  serverErrors: string;
  stored: number;
  storedUnconfirmed: number;
  missing: number;
  halfStored: number;
  seeded: number;
  seededChanged: number;
  drafts: number;
  expectedRows: number;
  observedRows: number | undefined;
  integrity: string;
  foreignKeyErrors: number;
  shownAfterRestart: number;
}

/** Load the server until the plan says kill -9; returns what the clients saw. */
async function loadAndKill(server: ChildServer, plan: Plan) {
  const inFlight = new InFlight();
  const state: LoadState = { confirmed: new Map(), killed: false, failuresBeforeKill: 0, firstFailure: "" };
  const started = performance.now();
  let killAt = { requests: 0, submits: 0, afterMs: 0, deadlineHit: false };
  let scheduled = false;
  let resolveKilled: () => void = () => {};
  const killed = new Promise<void>((r) => {
    resolveKilled = r;
  });

  const kill = (deadlineHit: boolean) => {
    if (state.killed) return;
    // Snapshot first, then the signal, in the same tick: nothing is answered in between.
    killAt = {
      requests: inFlight.requests,
      submits: inFlight.submits,
      afterMs: performance.now() - started,
      deadlineHit,
    };
    state.killed = true;
    server.kill9().then(resolveKilled, resolveKilled);
  };
  const deadline = setTimeout(() => kill(true), KILL_DEADLINE_MS);
  const schedule = () => {
    if (scheduled || state.confirmed.size < plan.confirmations) return;
    scheduled = true;
    if (plan.delayMs === 0) kill(false);
    else setTimeout(() => kill(false), plan.delayMs);
  };
  const onConfirmation = () => {
    if (!plan.onSubmit) schedule();
  };
  if (plan.onSubmit) inFlight.onSubmit = schedule;

  const loop = async (_: unknown, index: number) => {
    await new Promise((r) => setTimeout(r, index * STAGGER_MS));
    for (let n = 0; n < MAX_JOURNEYS_PER_LOOP && !state.killed; n++) {
      const b = new Browser(server.url, inFlight, 60_000);
      try {
        const reference = await journey(b);
        // Recorded even if it arrives after the signal: the client saw it, so it must be stored.
        state.confirmed.set(reference, b.cookieHeader());
        onConfirmation();
      } catch (err) {
        if (!state.killed) {
          state.failuresBeforeKill++;
          state.firstFailure ||= err instanceof Error ? err.message : String(err);
          // Do not spin on a broken server.
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: LOOPS }, loop));
  clearTimeout(deadline);
  kill(true); // only if every loop ran out without a kill (cannot normally happen)
  await killed;
  return { state, killAt, serverErrors: server.stderrTail() };
}

interface StoredRow {
  id: number;
  reference: string | null;
  status: string;
  /** 1 for a response started online (through /start, so with a draft token): the load's own. */
  online: number;
  n: number;
}

const ROWS_SQL = `SELECT r.id, r.reference, r.status, r.draft_token IS NOT NULL AS online,
                         (SELECT count(*) FROM answers a WHERE a.response_id = r.id) AS n
                  FROM responses r`;

/**
 * Answer counts of the responses that were there before the load (the demo data seeds submitted
 * responses for the closed consultations), read while the server runs: WAL lets a reader in.
 */
function snapshotSeeded(dbPath: string): Map<number, number> {
  const db = new Database(dbPath, { fileMustExist: true, readonly: true });
  try {
    const rows = db.prepare(ROWS_SQL).all() as StoredRow[];
    return new Map(rows.filter((r) => !r.online).map((r) => [r.id, r.n]));
  } finally {
    db.close();
  }
}

/** Open the killed server's database directly (SQLite recovers the WAL on open) and check it. */
function inspect(
  dbPath: string,
  confirmed: Map<string, string>,
  expectedRows: number,
  seeded: Map<number, number>,
) {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    const integrity = (db.pragma("integrity_check") as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join("; ");
    const foreignKeyErrors = (db.pragma("foreign_key_check") as unknown[]).length;
    const rows = db.prepare(ROWS_SQL).all() as StoredRow[];
    const byReference = new Map<string, StoredRow>();
    for (const r of rows) if (r.reference) byReference.set(r.reference, r);

    const online = rows.filter((r) => r.online);
    const submitted = online.filter((r) => r.status === "submitted");
    // Half-stored: a submitted response whose answers are not all there, or a draft with answer
    // rows (answers are only written by the submit transaction).
    const halfOnline =
      submitted.filter((r) => r.n !== expectedRows).length +
      online.filter((r) => r.status === "draft" && r.n > 0).length;
    // Every other response must be exactly as it was before the load.
    const others = new Map(rows.filter((r) => !r.online).map((r) => [r.id, r]));
    let seededChanged = others.size === seeded.size ? 0 : Math.abs(others.size - seeded.size);
    for (const [id, n] of seeded) {
      const r = others.get(id);
      if (r?.status !== "submitted" || r.n !== n) seededChanged++;
    }
    let missing = 0;
    for (const reference of confirmed.keys()) {
      const r = byReference.get(reference);
      if (r?.status !== "submitted" || r.n !== expectedRows) missing++;
    }
    const firstConfirmed = confirmed.keys().next();
    const observedRows = firstConfirmed.done ? undefined : byReference.get(firstConfirmed.value)?.n;
    return {
      integrity,
      foreignKeyErrors,
      stored: submitted.length,
      storedUnconfirmed: submitted.filter((r) => r.reference && !confirmed.has(r.reference)).length,
      missing,
      halfStored: halfOnline + seededChanged,
      seeded: seeded.size,
      seededChanged,
      drafts: online.filter((r) => r.status === "draft").length,
      observedRows,
    };
  } finally {
    db.close();
  }
}

/** Restart the server on the same file; every confirmed respondent must see their reference again. */
async function shownAfterRestart(dbPath: string, confirmed: Map<string, string>): Promise<number> {
  const server = await startSounding({ dbPath });
  try {
    let shown = 0;
    const entries = [...confirmed];
    const workers = 10;
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let i = w; i < entries.length; i += workers) {
          const [reference, cookie] = entries[i] ?? ["", ""];
          const res = await fetch(`${server.url}${BASE}/confirmation`, {
            headers: { cookie },
            redirect: "manual",
            signal: AbortSignal.timeout(10_000),
          });
          const text = await res.text();
          if (res.status === 200 && text.includes(reference)) shown++;
        }
      }),
    );
    return shown;
  } finally {
    await server.stop();
  }
}

async function oneRun(plan: Plan, log: (line: string) => void): Promise<RunFigures> {
  const folder = tempDir("durability");
  const dbPath = join(folder.dir, "sounding.db");
  try {
    const server = await startSounding({ dbPath });
    const seeded = snapshotSeeded(dbPath);
    const { state, killAt, serverErrors } = await loadAndKill(server, plan);
    const expectedRows = expectedAnswerRows(JOURNEY);
    const found = inspect(dbPath, state.confirmed, expectedRows, seeded);
    const shown = await shownAfterRestart(dbPath, state.confirmed);
    log(
      `  killed after ${(killAt.afterMs / 1000).toFixed(1)} s: ${state.confirmed.size} confirmations, ` +
        `${found.stored} stored, ${found.missing} missing, ${found.halfStored} half-stored`,
    );
    return {
      plan,
      killAfterMs: killAt.afterMs,
      deadlineHit: killAt.deadlineHit,
      confirmations: state.confirmed.size,
      inFlightRequests: killAt.requests,
      inFlightSubmits: killAt.submits,
      failuresBeforeKill: state.failuresBeforeKill,
      firstFailure: state.firstFailure,
      serverErrors: state.failuresBeforeKill > 0 ? serverErrors : "",
      expectedRows,
      shownAfterRestart: shown,
      ...found,
    };
  } finally {
    folder.remove();
  }
}

function runPasses(r: RunFigures): boolean {
  return (
    r.missing === 0 &&
    r.halfStored === 0 &&
    r.integrity === "ok" &&
    r.foreignKeyErrors === 0 &&
    r.shownAfterRestart === r.confirmations &&
    r.failuresBeforeKill === 0 &&
    !r.deadlineHit &&
    r.confirmations > 0
  );
}

export const durability: Benchmark = {
  name: "durability",
  title: `Durability: ${LOOPS} concurrent respondents doing whole journeys, kill -9 mid-load, then check`,
  async run(log): Promise<Outcome> {
    const runs: RunFigures[] = [];
    for (const [i, plan] of PLANS.entries()) {
      log(`  run ${i + 1}: kill -9 ${plan.label}`);
      runs.push(await oneRun(plan, log));
    }
    const each = (label: string, f: (r: RunFigures) => string) => [label, ...runs.map(f)];
    const table: Table = {
      title:
        "Per run (a fresh database each time; checked by opening the file, then by restarting the server)",
      columns: ["", ...runs.map((_, i) => `Run ${i + 1}`)],
      rows: [
        each("kill moment", (r) =>
          r.plan.onSubmit
            ? `submit sent + ${r.plan.delayMs} ms`
            : `${r.plan.confirmations}th conf. + ${r.plan.delayMs} ms`,
        ),
        each("killed after", (r) => `${(r.killAfterMs / 1000).toFixed(2)} s`),
        each("in-flight requests at the kill", (r) => int(r.inFlightRequests)),
        each("  of which submits", (r) => int(r.inFlightSubmits)),
        each("confirmations received", (r) => int(r.confirmations)),
        each("responses stored (submitted online)", (r) => int(r.stored)),
        each("  stored, confirmation not received", (r) => int(r.storedUnconfirmed)),
        each("confirmed but missing (must be 0)", (r) => int(r.missing)),
        each("half-stored (must be 0)", (r) => int(r.halfStored)),
        each("  of which seeded responses changed", (r) => `${int(r.seededChanged)} of ${int(r.seeded)}`),
        each("drafts left", (r) => int(r.drafts)),
        each("answer rows expected / observed", (r) => `${r.expectedRows} / ${r.observedRows ?? "n/a"}`),
        each("PRAGMA integrity_check", (r) => r.integrity),
        each("foreign key violations", (r) => int(r.foreignKeyErrors)),
        each("references shown after restart", (r) => `${int(r.shownAfterRestart)}/${int(r.confirmations)}`),
        each("journeys failed before the kill", (r) => int(r.failuresBeforeKill)),
        each("result", (r) => verdict(runPasses(r))),
      ],
    };
    const notes: string[] = [];
    for (const [i, r] of runs.entries()) {
      if (r.firstFailure) notes.push(`Run ${i + 1}: first failure before the kill: ${r.firstFailure}`);
      if (r.serverErrors) {
        const lines = r.serverErrors.trim().split("\n").slice(-12);
        notes.push(`Run ${i + 1}: the server's stderr ended with:\n    ${lines.join("\n    ")}`);
      }
      if (r.deadlineHit)
        notes.push(
          `Run ${i + 1}: ${r.plan.confirmations} confirmations did not arrive within ${KILL_DEADLINE_MS / 1000} s.`,
        );
    }
    notes.push(
      "The server runs with NODE_ENV=development (production cookies are Secure, which plain http cannot send back); templates are still compiled once (the app enables Express's view cache in every mode).",
      "Expected answer rows are computed from the journey (one per non-empty field value) and compared with a response confirmed before the kill.",
    );
    const all = (f: (r: RunFigures) => boolean) => runs.every(f);
    const list = (f: (r: RunFigures) => string) => runs.map(f).join(", ");
    const targets: Target[] = [
      {
        name: "durability: every confirmed reference stored whole (confirmed-but-missing = 0)",
        measured: list((r) => int(r.missing)),
        pass: all((r) => r.missing === 0 && r.confirmations > 0),
      },
      {
        name: "durability: each kill came mid-load at its planned moment (50+ confirmations)",
        measured: list((r) => `${(r.killAfterMs / 1000).toFixed(1)} s${r.deadlineHit ? " (deadline)" : ""}`),
        pass: all((r) => !r.deadlineHit),
      },
      {
        name: "durability: no response stored half (half-stored = 0)",
        measured: list((r) => int(r.halfStored)),
        pass: all((r) => r.halfStored === 0),
      },
      {
        name: "durability: PRAGMA integrity_check ok, no foreign key violations",
        measured: list((r) => `${r.integrity}/${r.foreignKeyErrors}`),
        pass: all((r) => r.integrity === "ok" && r.foreignKeyErrors === 0),
      },
      {
        name: "durability: restarted server shows every confirmed reference",
        measured: list((r) => `${r.shownAfterRestart}/${r.confirmations}`),
        pass: all((r) => r.shownAfterRestart === r.confirmations),
      },
      {
        name: "durability: no journey failed before the kill",
        measured: list((r) => int(r.failuresBeforeKill)),
        pass: all((r) => r.failuresBeforeKill === 0),
      },
    ];
    return { tables: [table], notes, targets };
  },
};
