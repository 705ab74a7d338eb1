import { availableParallelism } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { toForm } from "../support/respondent.js";
import { commercialResident } from "../support/respondent.js";
import { Browser, expectRedirect, tokenIn } from "./lib/browser.js";
import { type Benchmark, fixed, int, ms, type Outcome, type Table, type Target } from "./lib/report.js";
import { profilesOf, summariseProfile } from "./lib/profile.js";
import { BENCH_RATE_LIMIT, type ChildServer, startBaseline, startSounding, tempDir } from "./lib/servers.js";

const SLUG = "commercial-strategy-2018";
const BASE = `/consultations/${SLUG}`;
/** A page every resident sees from the start, valid on its own once the draft exists. */
const PAGE = "vision-and-themes";
const NEXT_PAGE = "trading-areas";
const PATH = `${BASE}/respond/${PAGE}`;

const RESPONDENTS = 200;
const CONNECTIONS = 50;
const WARMUP_SECONDS = 3;
const MIN_SECONDS = 20;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 50;

/** What one prepared respondent sends with every answer post. */
interface Prepared {
  cookie: string;
  body: string;
}

interface Measured {
  result: autocannon.Result;
  /** CPU seconds the server process used during the measured run. */
  serverCpu: number;
  /** Responses that were 303, and everything else (other statuses, connection errors, timeouts). */
  ok: number;
  bad: number;
  badDetail: string;
}

/** BENCH_SECONDS, never below 20 s for the reported run. */
function benchSeconds(): { seconds: number; note?: string } {
  const raw = process.env.BENCH_SECONDS;
  if (raw === undefined || raw === "") return { seconds: MIN_SECONDS };
  const asked = Number(raw);
  if (!Number.isFinite(asked) || asked < MIN_SECONDS)
    return {
      seconds: MIN_SECONDS,
      note: `BENCH_SECONDS=${raw} is below the minimum: ran ${MIN_SECONDS} s instead.`,
    };
  return { seconds: Math.round(asked) };
}

/**
 * One respondent as a browser would get there: open the consultation page (client and CSRF
 * cookies, token), "Respond online" (draft cookie), open the page form (its token; a 200 also shows
 * the page is visible to this draft).
 */
async function prepareOne(origin: string): Promise<Prepared> {
  const b = new Browser(origin);
  const start = tokenIn(await b.get(BASE), "consultation page");
  expectRedirect(await b.post(`${BASE}/start`, start), `${BASE}/respond/about-you`, "start");
  const token = tokenIn(await b.get(PATH), `${PAGE} page`);
  return { cookie: b.cookieHeader(), body: toForm({ _csrf: token, ...commercialResident[PAGE] }) };
}

async function prepare(origin: string, n: number): Promise<Prepared[]> {
  const prepared: Prepared[] = [];
  const workers = 10;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = w; i < n; i += workers) prepared.push(await prepareOne(origin));
    }),
  );
  return prepared;
}

/** Before the load: one post, checked in full (303 to the next page), so the load tests what we think. */
async function sanityCheck(origin: string, p: Prepared): Promise<void> {
  const res = await fetch(`${origin}${PATH}`, {
    method: "POST",
    headers: { cookie: p.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: p.body,
    redirect: "manual",
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  const location = res.headers.get("location") ?? "";
  if (res.status !== 303 || location !== `${BASE}/respond/${NEXT_PAGE}`)
    throw new Error(
      `Sanity post: expected 303 to ${BASE}/respond/${NEXT_PAGE}, got ${res.status} ${location}`,
    );
}

/** autocannon: CONNECTIONS connections POSTing the page form, each request the next prepared respondent's. */
async function cannon(
  server: ChildServer,
  prepared: Prepared[],
  seconds: number,
): Promise<Omit<Measured, "serverCpu">> {
  let next = 0;
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        path: PATH,
        setupRequest: (req) => {
          const p = prepared[next++ % prepared.length];
          if (!p) return req;
          return {
            ...req,
            headers: {
              ...req.headers,
              cookie: p.cookie,
              "content-type": "application/x-www-form-urlencoded",
            },
            body: p.body,
          };
        },
      },
    ],
  });
  const stats = result.statusCodeStats ?? {};
  let ok = 0;
  let other = 0;
  const detail: string[] = [];
  for (const [code, s] of Object.entries(stats)) {
    const count = s.count ?? 0;
    if (code === "303") ok += count;
    else {
      other += count;
      detail.push(`${count} x ${code}`);
    }
  }
  if (result.errors > 0) detail.push(`${result.errors} connection errors (${result.timeouts} timeouts)`);
  return { result, ok, bad: other + result.errors, badDetail: detail.join(", ") || "none" };
}

async function measure(
  server: ChildServer,
  prepared: Prepared[],
  seconds: number,
  log: (line: string) => void,
): Promise<Measured> {
  log(`  ${server.name}: warm-up ${WARMUP_SECONDS} s (not reported)`);
  await cannon(server, prepared, WARMUP_SECONDS);
  globalThis.gc?.();
  log(`  ${server.name}: ${seconds} s with ${CONNECTIONS} connections`);
  const cpuBefore = server.cpuSeconds();
  const measured = await cannon(server, prepared, seconds);
  return { ...measured, serverCpu: server.cpuSeconds() - cpuBefore };
}

/** The drafts of the benchmark's consultation in the stopped server's database, and how many hold answers. */
function storedDrafts(dbPath: string): { total: number; answered: number } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT r.draft_json FROM responses r JOIN consultations c ON c.id = r.consultation_id
         WHERE c.slug = ? AND r.status = 'draft'`,
      )
      .all(SLUG) as { draft_json: string | null }[];
    const answered = rows.filter((r) => Object.keys(JSON.parse(r.draft_json ?? "{}")).length > 0).length;
    return { total: rows.length, answered };
  } finally {
    db.close();
  }
}

export const answerPosting: Benchmark = {
  name: "answer-posting",
  title: `Answer posting: POST ${PATH} (303 expected), Sounding vs minimal Express 5`,
  async run(log): Promise<Outcome> {
    const { seconds, note } = benchSeconds();
    const notes: string[] = [];
    if (note) notes.push(note);

    const folder = tempDir("posting");
    const dbPath = join(folder.dir, "sounding.db");
    const profileDir = process.env.BENCH_CPU_PROF;
    let real: Measured;
    let base: Measured;
    let serverErrors = 0;
    let profiled: string[] = [];
    let drafts = { total: 0, answered: 0 };
    try {
      // Respondents are prepared on a first server process, then it stops. The measured process
      // starts on the same file (the cookie secret is kept in the database, so their cookies and
      // tokens stay good): what it does, and what its CPU profile shows, is only answer posts.
      log(`  preparing ${RESPONDENTS} respondents (consultation page, start, page form) with fetch`);
      const preparer = await startSounding({ dbPath });
      let prepared: Prepared[];
      try {
        prepared = await prepare(preparer.url, RESPONDENTS);
      } finally {
        await preparer.stop();
      }

      // The baseline runs alone, never at the same time as Sounding.
      const baseline = await startBaseline();
      try {
        base = await measure(baseline, prepared, seconds, log);
      } finally {
        await baseline.stop();
      }
      globalThis.gc?.();

      const sounding = await startSounding({
        dbPath,
        nodeArgs: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
      });
      try {
        await sanityCheck(sounding.url, prepared[0] ?? (await prepareOne(sounding.url)));
        real = await measure(sounding, prepared, seconds, log);
        serverErrors = sounding.stderrLines();
      } finally {
        await sounding.stop();
      }
      if (profileDir) profiled = profilesOf(profileDir, sounding.pid);
      drafts = storedDrafts(dbPath);
    } finally {
      folder.remove();
    }
    const ratio = real.result.requests.average / base.result.requests.average;
    // Less sensitive to other load on the machine than requests/s: the server's own CPU per request.
    const perRequest = (m: Measured) => m.serverCpu / Math.max(m.ok + m.bad, 1);
    const cpuRatio = perRequest(base) / perRequest(real);
    const row = (label: string, f: (m: Measured) => string) => [label, f(real), f(base)];
    const table = {
      title: `${CONNECTIONS} connections, ${seconds} s each, ${RESPONDENTS} respondents in rotation`,
      columns: ["", "Sounding", "Baseline"],
      rows: [
        row("requests/s (mean)", (m) => int(m.result.requests.average)),
        row("requests total", (m) => int(m.ok + m.bad)),
        row("latency p50", (m) => ms(m.result.latency.p50)),
        row("latency p99", (m) => ms(m.result.latency.p99)),
        row("latency max", (m) => ms(m.result.latency.max)),
        row("server CPU per request", (m) => `${fixed(1000 * perRequest(m), 3)} ms`),
        row("server CPU used (cores)", (m) => fixed(m.serverCpu / m.result.duration)),
        row("303 responses", (m) => int(m.ok)),
        row("non-303 / errors", (m) => int(m.bad)),
        ["ratio Sounding/baseline", fixed(ratio), ""],
        ["CPU per request ratio baseline/Sounding", fixed(cpuRatio), ""],
      ],
    };
    if (real.bad > 0) notes.push(`Sounding non-303 responses: ${real.badDetail}.`);
    if (base.bad > 0) notes.push(`Baseline non-303 responses: ${base.badDetail}.`);
    if (serverErrors > 0) notes.push(`Sounding wrote ${serverErrors} line(s) to stderr during the run.`);
    notes.push(
      `SOUNDING_ANSWER_RATE_LIMIT=${BENCH_RATE_LIMIT} per minute for this run: the rate-limit middleware still runs on every post.`,
      `This machine has ${availableParallelism()} CPU core(s); autocannon runs on the same machine and shares them with the server.`,
      "Each server runs in its own process; autocannon in the runner's. Same body, headers and settings for both.",
    );

    const tables: Table[] = [table];
    for (const file of profiled) {
      notes.push(`CPU profile of the measured Sounding process (warm-up and run): ${file}`);
      tables.push(...summariseProfile(file));
    }

    const targets: Target[] = [
      {
        name: `answer-posting: requests/s ratio Sounding/baseline >= ${TARGET_RATIO}`,
        measured: fixed(ratio),
        pass: ratio >= TARGET_RATIO,
      },
      {
        name: `answer-posting: Sounding p99 latency <= ${TARGET_P99_MS} ms`,
        measured: ms(real.result.latency.p99),
        pass: real.result.latency.p99 <= TARGET_P99_MS,
      },
      {
        // Every respondent's draft was empty before the measured run (preparing only opened the
        // page), so a draft holding answers afterwards is one whose posts were stored.
        name: `answer-posting: every respondent's draft holds the posted answers once the server has stopped (${RESPONDENTS})`,
        measured: `${int(drafts.answered)} of ${int(drafts.total)}`,
        pass: drafts.total === RESPONDENTS && drafts.answered === RESPONDENTS,
      },
      {
        name: "answer-posting: every Sounding response is a 303",
        measured: `${int(real.bad)} non-303`,
        pass: real.bad === 0 && real.ok > 0,
      },
    ];
    if (!profileDir && targets.some((t) => !t.pass))
      notes.push("To see where the server's time goes: BENCH_CPU_PROF=/tmp/prof npm run bench -- posting");
    return { tables, notes, targets };
  },
};
