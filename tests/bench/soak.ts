/**
 * Soak run (issue 8, item 7): mixed traffic from 200 simulated respondents and 5 officers against
 * one server process for SOAK_SECONDS (default 600), with kill -9 and a restart on the same file
 * and port at a third and at two thirds of the time. Reports confirmed against stored responses,
 * 5xx answers, latency percentiles and the server's resident memory at the start and the end.
 *
 * Respondents pause 1 to 4 s before each request, as people read and type. Most do the whole
 * journey to a confirmation; some read the hub and the consultation page only; some start and
 * leave after the first page. Officers, signed in once, read their home page, the dashboard, the
 * summary report and the summary CSV, pausing 2 to 5 s. Traffic goes to 127.0.0.1 only; every loop
 * stops at the deadline, and each is bounded in count too.
 *
 * `npm run bench -- soak`; `SOAK_SECONDS=60 npm run bench -- soak` for a quick check.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import { commercialResident } from "../support/respondent.js";
import { expectedAnswerRows, journey } from "./durability.js";
import { Browser, expectRedirect, type Fields, type Reply, tokenIn } from "./lib/browser.js";
import { percentile } from "./lib/probe.js";
import { type Benchmark, fixed, int, ms, type Outcome, type Target } from "./lib/report.js";
import { type ChildServer, freePort, rssMibOf, startSounding, tempDir } from "./lib/servers.js";

const RESPONDENTS = 200;
const OFFICERS = 5;
const DEFAULT_SECONDS = 600;
const MIN_SECONDS = 30;
const RSS_GROWTH = 0.1;
const MAX_LOOPS_PER_CLIENT = 10_000;
const SAMPLE_RSS_MS = 5_000;
const OPEN = "commercial-strategy-2018";
const CLOSED = "commissioning-procurement-2015";
const BASE = `/consultations/${OPEN}`;
const ADMIN = "admin@example.gov.uk";

const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));
const between = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

function soakSeconds(): number {
  const raw = process.env.SOAK_SECONDS;
  const n = raw ? Number(raw) : DEFAULT_SECONDS;
  return Number.isFinite(n) ? Math.max(MIN_SECONDS, Math.round(n)) : DEFAULT_SECONDS;
}

/** Every request the simulated people send: latency, statuses, 5xx and connection failures. */
class Traffic {
  latencies: number[] = [];
  statuses = new Map<number, number>();
  serverErrors = 0;
  connectionFailures = 0;
  firstServerError = "";

  async time(what: string, send: () => Promise<Reply>): Promise<Reply> {
    const started = performance.now();
    try {
      const reply = await send();
      this.latencies.push(performance.now() - started);
      this.statuses.set(reply.status, (this.statuses.get(reply.status) ?? 0) + 1);
      if (reply.status >= 500) {
        this.serverErrors++;
        this.firstServerError ||= `${reply.status} for ${what}`;
      }
      return reply;
    } catch (err) {
      this.connectionFailures++;
      throw err;
    }
  }
}

/** A browser that pauses like a person before each request and has every request measured. */
class Person extends Browser {
  constructor(
    origin: string,
    private readonly traffic: Traffic,
    private readonly pause: () => number,
    private readonly stopped: () => boolean,
  ) {
    super(origin, undefined, 30_000);
  }

  override async get(path: string): Promise<Reply> {
    await this.think();
    return this.traffic.time(`GET ${path}`, () => super.get(path));
  }

  override async post(path: string, csrf: string, fields: Fields = {}): Promise<Reply> {
    await this.think();
    return this.traffic.time(`POST ${path}`, () => super.post(path, csrf, fields));
  }

  private async think() {
    if (this.stopped()) throw new Error("the soak has ended");
    await sleep(this.pause());
  }
}

interface Run {
  traffic: Traffic;
  confirmed: Map<string, string>;
  journeysFailed: number;
  browsed: number;
  abandoned: number;
  officerViews: number;
  rss: { at: number; pid: number; mib: number }[];
  restarts: { at: number; downMs: number }[];
}

async function respondent(origin: string, run: Run, stopped: () => boolean, pace: number) {
  for (let n = 0; n < MAX_LOOPS_PER_CLIENT && !stopped(); n++) {
    const person = new Person(origin, run.traffic, () => pace * between(1_000, 4_000), stopped);
    const kind = Math.random();
    try {
      if (kind < 0.15) {
        await person.get("/");
        await person.get(BASE);
        run.browsed++;
      } else if (kind < 0.25) {
        const token = tokenIn(await person.get(BASE), "consultation page");
        expectRedirect(await person.post(`${BASE}/start`, token), `${BASE}/respond/about-you`, "start");
        await person.get(`${BASE}/respond/about-you`);
        run.abandoned++;
      } else {
        const reference = await journey(person);
        run.confirmed.set(reference, person.cookieHeader());
      }
    } catch {
      if (!stopped()) run.journeysFailed++;
    }
  }
}

async function officer(origin: string, password: string, run: Run, stopped: () => boolean, pace: number) {
  const person = new Person(origin, run.traffic, () => pace * between(2_000, 5_000), stopped);
  const pages = [
    "/officer",
    `/officer/consultations/${OPEN}`,
    `/officer/consultations/${CLOSED}`,
    `/officer/consultations/${CLOSED}/report`,
    `/officer/consultations/${OPEN}/export/summary.csv`,
    `/consultations/${CLOSED}/report`,
  ];
  let signedIn = false;
  for (let n = 0; n < MAX_LOOPS_PER_CLIENT && !stopped(); n++) {
    try {
      if (!signedIn) {
        const token = tokenIn(await person.get("/officer/sign-in"), "sign-in page");
        expectRedirect(
          await person.post("/officer/sign-in", token, { email: ADMIN, password }),
          "/officer",
          "sign in",
        );
        signedIn = true;
      }
      const page = pages[n % pages.length] as string;
      const reply = await person.get(page);
      if (reply.status === 303 && reply.location.startsWith("/officer/sign-in")) signedIn = false;
      else run.officerViews++;
    } catch {
      // Refused while the server restarts: the next turn tries again.
    }
  }
}

/** What the file holds once the server has stopped: online responses and the confirmed ones' state. */
function inspect(dbPath: string, confirmed: Map<string, string>, expectedRows: number) {
  const db = new Database(dbPath, { fileMustExist: true, readonly: true });
  try {
    const integrity = (db.pragma("integrity_check") as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join("; ");
    const rows = db
      .prepare(
        `SELECT r.reference, r.status, (SELECT count(*) FROM answers a WHERE a.response_id = r.id) AS n
           FROM responses r WHERE r.draft_token IS NOT NULL`,
      )
      .all() as { reference: string | null; status: string; n: number }[];
    const byReference = new Map(rows.filter((r) => r.reference).map((r) => [r.reference as string, r]));
    let missing = 0;
    for (const reference of confirmed.keys()) {
      const r = byReference.get(reference);
      if (r?.status !== "submitted" || r.n !== expectedRows) missing++;
    }
    const submitted = rows.filter((r) => r.status === "submitted");
    return {
      integrity,
      stored: submitted.length,
      storedUnconfirmed: submitted.filter((r) => r.reference && !confirmed.has(r.reference)).length,
      missing,
      drafts: rows.filter((r) => r.status === "draft").length,
    };
  } finally {
    db.close();
  }
}

export const soak: Benchmark = {
  name: "soak",
  title: `Soak: ${RESPONDENTS} respondents and ${OFFICERS} officers for SOAK_SECONDS (default ${DEFAULT_SECONDS} s), kill -9 and restart twice`,
  async run(log): Promise<Outcome> {
    const seconds = soakSeconds();
    // A shorter run keeps the same shape (two restarts, whole journeys between them) by thinking
    // faster: pauses shrink with the run, down to half of a person's at a 300 s run or less.
    const pace = Math.min(1, Math.max(0.5, seconds / DEFAULT_SECONDS));
    const folder = tempDir("soak");
    const dbPath = join(folder.dir, "sounding.db");
    const password = randomBytes(18).toString("base64url");
    const port = await freePort();
    const env = { SOUNDING_ADMIN_PASSWORD: password, SOUNDING_REPORT_RATE_LIMIT: "100000" };
    const run: Run = {
      traffic: new Traffic(),
      confirmed: new Map(),
      journeysFailed: 0,
      browsed: 0,
      abandoned: 0,
      officerViews: 0,
      rss: [],
      restarts: [],
    };
    let server: ChildServer = await startSounding({ dbPath, port, env });
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    let stop = false;
    const stopped = () => stop || elapsed() > seconds * 1000;
    const sampler = setInterval(() => {
      run.rss.push({ at: elapsed(), pid: server.pid, mib: rssMibOf(server.pid) });
    }, SAMPLE_RSS_MS);
    try {
      log(
        `  ${seconds} s of traffic on ${server.url}; kill -9 at ${Math.round(seconds / 3)} s and ${Math.round((2 * seconds) / 3)} s`,
      );
      const clients = [
        ...Array.from({ length: RESPONDENTS }, async (_, i) => {
          await sleep((i * 4_000) / RESPONDENTS); // arrive over the first 4 s
          await respondent(server.url, run, stopped, pace);
        }),
        ...Array.from({ length: OFFICERS }, () => officer(server.url, password, run, stopped, pace)),
      ];
      const restarts = (async () => {
        for (const share of [1 / 3, 2 / 3]) {
          await sleep(Math.max(0, share * seconds * 1000 - elapsed()));
          const killedAt = elapsed();
          await server.kill9();
          server = await startSounding({ dbPath, port, env });
          run.restarts.push({ at: killedAt, downMs: elapsed() - killedAt });
          log(
            `  kill -9 at ${fixed(killedAt / 1000, 0)} s; serving again after ${fixed((elapsed() - killedAt) / 1000, 1)} s`,
          );
        }
      })();
      await Promise.all([...clients, restarts]);
      stop = true;
      run.rss.push({ at: elapsed(), pid: server.pid, mib: rssMibOf(server.pid) });
    } finally {
      clearInterval(sampler);
      stop = true;
      await server.stop();
    }
    const expectedRows = expectedAnswerRows(commercialResident);
    const found = inspect(dbPath, run.confirmed, expectedRows);
    folder.remove();

    // Each process's memory from once it is warm (a quarter of its life in, at most 30 s) to its
    // last sample: kill -9 starts memory afresh, so growth is measured per process.
    const perProcess = [...new Set(run.rss.map((s) => s.pid))].map((pid) => {
      const samples = run.rss.filter((s) => s.pid === pid && Number.isFinite(s.mib));
      const from = samples[0]?.at ?? 0;
      const to = samples.at(-1)?.at ?? 0;
      const warmAt = from + Math.min(30_000, (to - from) / 4);
      const warm = samples.find((s) => s.at >= warmAt) ?? samples[0];
      const end = samples.at(-1);
      // The path from warm to end, in quarters: growth that levels off is the page cache and the
      // heap filling up to their sizes; growth that keeps its pace to the end is a leak.
      const at = (share: number) =>
        samples.find((s) => s.at >= warmAt + share * (to - warmAt))?.mib ?? end?.mib ?? Number.NaN;
      return {
        warm: warm?.mib ?? Number.NaN,
        end: end?.mib ?? Number.NaN,
        path: [0, 0.25, 0.5, 0.75].map(at).concat(end?.mib ?? Number.NaN),
        lastHalf: (end?.mib ?? Number.NaN) / at(0.5) - 1,
      };
    });
    const first = perProcess[0];
    const last = perProcess.at(-1);
    const growth = Math.max(...perProcess.map((p) => p.end / p.warm - 1));
    const t = run.traffic;
    const requests = t.latencies.length;
    const statuses = [...t.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${int(n)}`);
    const table = {
      title: `${seconds} s, ${RESPONDENTS} respondents and ${OFFICERS} officers, kill -9 twice`,
      columns: ["", "measured"],
      rows: [
        ["responses confirmed to respondents", int(run.confirmed.size)],
        ["responses stored (submitted online)", int(found.stored)],
        ["  stored, confirmation not received", int(found.storedUnconfirmed)],
        ["confirmed but missing (must be 0)", int(found.missing)],
        ["drafts left (abandoned, or cut by a kill)", int(found.drafts)],
        ["PRAGMA integrity_check", found.integrity],
        ["requests answered", int(requests)],
        ["  by status", statuses.join(", ")],
        ["5xx answers (must be 0)", int(t.serverErrors)],
        ["requests refused or cut (during the restarts)", int(t.connectionFailures)],
        ["latency p50", ms(percentile(t.latencies, 50))],
        ["latency p99", ms(percentile(t.latencies, 99))],
        ["latency max", ms(t.latencies.length > 0 ? Math.max(...t.latencies) : Number.NaN)],
        ["journeys cut short (mostly by the kills)", int(run.journeysFailed)],
        ["browse-only visits / abandoned after one page", `${int(run.browsed)} / ${int(run.abandoned)}`],
        ["officer pages read", int(run.officerViews)],
        ["restarts: down for", run.restarts.map((r) => `${fixed(r.downMs / 1000, 1)} s`).join(", ")],
        ["server RSS at the start (first process, warm)", `${fixed(first?.warm ?? Number.NaN, 0)} MiB`],
        ["server RSS at the end (last process)", `${fixed(last?.end ?? Number.NaN, 0)} MiB`],
        [
          "  each process, warm -> its end",
          perProcess.map((p) => `${fixed(p.warm, 0)} -> ${fixed(p.end, 0)} MiB`).join("; "),
        ],
        [
          "  each process by quarters from warm (MiB)",
          perProcess.map((p) => p.path.map((m) => fixed(m, 0)).join(" ")).join("; "),
        ],
        [
          "  growth over the second half of each life",
          perProcess.map((p) => `${fixed(p.lastHalf * 100, 1)}%`).join("; "),
        ],
      ],
    };
    const targets: Target[] = [
      {
        name: "soak: every confirmed response stored whole",
        measured: `${int(found.missing)} missing of ${int(run.confirmed.size)}`,
        pass: found.missing === 0 && run.confirmed.size > 0 && found.integrity === "ok",
      },
      { name: "soak: no 5xx answers", measured: int(t.serverErrors), pass: t.serverErrors === 0 },
      {
        name: `soak: server RSS grows no more than ${RSS_GROWTH * 100}% from warm to end (worst process)`,
        measured: `${fixed(growth * 100, 1)}%`,
        pass: Number.isFinite(growth) && growth <= RSS_GROWTH,
      },
    ];
    const notes = [
      `RSS sampled every ${SAMPLE_RSS_MS / 1000} s; "warm" is a quarter of a process's life in (at most 30 s), "end" its last sample. Pauses were ${fixed(pace, 2)} of a person's.`,
      "Respondents, officers and the server share this machine's cores (and any other work on it).",
    ];
    if (t.firstServerError) notes.push(`First 5xx: ${t.firstServerError}`);
    return { tables: [table], notes, targets };
  },
};
