/**
 * Results at scale: 500,000 respondents answering 20 questions (lib/generate-responses.ts), each
 * figure side by side with the raw SQLite query that is its floor, measured in the same run.
 *
 * - results-count: counting the answers to one closed question (target 68 ms, the figure the UK
 *   government's Consult tool publishes for this on PostgreSQL at the same size).
 * - results-texts: the free-text answers of respondents matching three closed answers, first page
 *   and total (target 218 ms, Consult's figure).
 * - results-dashboard: the whole officer dashboard page over HTTP, unfiltered and filtered by one
 *   group (target 1 s); the floor is the sum of the raw count queries the page needs.
 *
 * - results-matrix: what the app path costs beyond its counts: reading one consultation's answers
 *   into memory (db/answer-matrix.ts, once per process), and bringing it up to date when
 *   responses arrive.
 *
 * The app counts from that in-memory matrix; every warm figure includes the check that it is up to
 * date (a seek on response_events). Every figure is the median of several warm runs, next to the
 * first, cold run: a new connection after the database file was dropped from the OS page cache
 * (dd iflag=nocache), so it is read from disk; the app's cold run includes building the matrix.
 * CPU time is shown too: on a loaded machine wall time includes waiting for a core.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Statement } from "better-sqlite3";
import type { ConsultationDefinition } from "../../analysis/definition.js";
import { type Db, openDatabase } from "../../db/connection.js";
import { type Catalog, type CatalogQuestion, ConsultationRepository } from "../../db/consultations.js";
import { type ResponseFilter, ResultsRepository } from "../../db/results.js";
import { createApp } from "../../server/app.js";
import { testConfig } from "../../server/config.js";
import { createServices } from "../../server/services/create.js";
import { type FilterChoice, ResultsService } from "../../server/services/results.js";
import { Browser, expectRedirect, tokenIn } from "./lib/browser.js";
import { type BenchDatabase, benchDatabase } from "./lib/generate-responses.js";
import {
  type Benchmark,
  fixed,
  int,
  ms,
  type Outcome,
  type Table,
  type Target,
  verdict,
} from "./lib/report.js";
import { LOOPBACK } from "./lib/servers.js";

const COUNT_TARGET_MS = 68;
const TEXTS_TARGET_MS = 218;
const DASHBOARD_TARGET_MS = 1_000;
/** Warm runs per figure (after one untimed warm-up); the median is reported. */
const QUERY_RUNS = 11;
const DASHBOARD_RUNS = 3;

interface Sample {
  wall: number;
  cpu: number;
}

function timed<T>(f: () => T): { sample: Sample; value: T } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { sample: { wall, cpu: (cpu.user + cpu.system) / 1000 }, value };
}

async function timedAsync<T>(f: () => Promise<T>): Promise<{ sample: Sample; value: T }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { sample: { wall, cpu: (cpu.user + cpu.system) / 1000 }, value };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const medianOf = (samples: Sample[]): Sample => ({
  wall: median(samples.map((s) => s.wall)),
  cpu: median(samples.map((s) => s.cpu)),
});

/** Drop the database file from the OS page cache so the next run reads it from disk. */
function evict(path: string): boolean {
  const r = spawnSync("dd", [`if=${path}`, "iflag=nocache", "count=0", "status=none"], { stdio: "ignore" });
  return r.status === 0;
}

/** What one benchmark row measured: the app path and its floor, cold and warm. */
interface Measured {
  label: string;
  app: { cold: Sample; warm: Sample };
  floor: { cold: Sample; warm: Sample };
  target: number | null;
}

function row(m: Measured): string[] {
  const ratio = m.app.warm.wall / m.floor.warm.wall;
  return [
    m.label,
    ms(m.app.cold.wall),
    ms(m.app.warm.wall),
    ms(m.app.warm.cpu),
    ms(m.floor.cold.wall),
    ms(m.floor.warm.wall),
    ms(m.floor.warm.cpu),
    fixed(ratio),
    m.target === null ? "-" : `<= ${int(m.target)} ms`,
    m.target === null ? "-" : verdict(m.app.warm.wall <= m.target),
  ];
}

const COLUMNS = [
  "",
  "app cold",
  "app warm",
  "app cpu",
  "floor cold",
  "floor warm",
  "floor cpu",
  "app/floor",
  "target",
  "",
];

function targetOf(bench: string, m: Measured): Target[] {
  if (m.target === null) return [];
  return [
    {
      name: `${bench}: ${m.label}, warm median <= ${int(m.target)} ms`,
      measured: `${ms(m.app.warm.wall)}; floor ${ms(m.floor.warm.wall)}; cold ${ms(m.app.cold.wall)}`,
      pass: m.app.warm.wall <= m.target,
    },
  ];
}

/** A connection as the app opens one, with the benchmark consultation's ids. */
interface Ctx {
  db: Db;
  repo: ResultsRepository;
  consultations: ConsultationRepository;
  consultationId: number;
  definition: ConsultationDefinition;
  catalog: Catalog;
}

function open(bench: BenchDatabase): Ctx {
  const db = openDatabase(bench.path);
  const consultations = new ConsultationRepository(db);
  const row = consultations.findBySlug(bench.slug);
  if (!row) throw new Error(`${bench.path} has no consultation ${bench.slug}`);
  return {
    db,
    repo: new ResultsRepository(db),
    consultations,
    consultationId: row.id,
    definition: row.definition,
    catalog: consultations.catalog(row.id),
  };
}

function question(ctx: Ctx, key: string): CatalogQuestion {
  const q = ctx.catalog.questions.get(key);
  if (!q) throw new Error(`No question ${key}`);
  return q;
}

function itemOf(ctx: Ctx, key: string, statement = ""): number {
  const id = question(ctx, key).items.get(statement);
  if (id === undefined) throw new Error(`No item ${key}/${statement}`);
  return id;
}

function filterOf(ctx: Ctx, key: string, codes: string[]): ResponseFilter {
  const q = question(ctx, key);
  return {
    itemId: itemOf(ctx, key),
    optionIds: codes.map((c) => {
      const id = q.options.get(c);
      if (id === undefined) throw new Error(`No option ${key}:${c}`);
      return id;
    }),
  };
}

/**
 * One row: the app path and the floor, each cold (own fresh connection after evicting the file)
 * then warm (one warm-up, then `runs` runs alternating app and floor so both see the same load).
 */
function measure(
  bench: BenchDatabase,
  label: string,
  target: number | null,
  runs: number,
  prepare: (ctx: Ctx) => { app: () => unknown; floor: () => unknown; check?: () => void },
): Measured {
  const cold = (which: "app" | "floor"): Sample => {
    evict(bench.path);
    const ctx = open(bench);
    try {
      return timed(prepare(ctx)[which]).sample;
    } finally {
      ctx.db.close();
    }
  };
  const appCold = cold("app");
  const floorCold = cold("floor");
  const ctx = open(bench);
  try {
    const p = prepare(ctx);
    p.check?.();
    p.app();
    p.floor();
    const app: Sample[] = [];
    const floor: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      app.push(timed(p.app).sample);
      floor.push(timed(p.floor).sample);
    }
    return {
      label,
      app: { cold: appCold, warm: medianOf(app) },
      floor: { cold: floorCold, warm: medianOf(floor) },
      target,
    };
  } finally {
    ctx.db.close();
  }
}

function same(what: string, a: unknown, b: unknown): void {
  // Maps compare as their entries by key: the app lists options in the questionnaire's order.
  const show = (x: unknown) =>
    JSON.stringify(x instanceof Map ? [...x].sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0)) : x);
  if (show(a) !== show(b))
    throw new Error(`${what}: the app path and the floor disagree: ${show(a)} vs ${show(b)}`);
}

function databaseNotes(bench: BenchDatabase, evicted: boolean): string[] {
  return [
    `Database: ${bench.path} (${int(bench.bytes / 2 ** 20)} MiB): ${int(bench.respondents)} respondents, ` +
      `${int(bench.answerRows)} answer rows, ` +
      (bench.built
        ? `generated in this run in ${fixed(bench.buildSeconds ?? 0, 1)} s.`
        : "reused from the cache."),
    evicted
      ? "Cold: the first run on a new connection after dropping the file from the OS page cache (dd iflag=nocache)."
      : "Cold: the first run on a new connection (dd could not drop the file from the OS page cache, so it may be cached).",
    `Warm: median of ${QUERY_RUNS} runs (dashboard: ${DASHBOARD_RUNS}) after one warm-up, app and floor alternating. ` +
      "cpu: the process's CPU time for the same runs (wall time minus waiting, on a loaded machine).",
  ];
}

// ---------------------------------------------------------------------------------------------
// 1. Counting the answers to one closed question.

const RAW_COUNT =
  "SELECT option_id AS option, count(*) AS n FROM answers WHERE item_id = ? GROUP BY option_id";

async function runCount(log: (line: string) => void): Promise<Outcome> {
  const bench = benchDatabase(log);
  const evicted = evict(bench.path);
  const rows: Measured[] = [];

  const closed = (key: string, label: string) =>
    measure(bench, label, COUNT_TARGET_MS, QUERY_RUNS, (ctx) => {
      const item = itemOf(ctx, key);
      const raw = ctx.db.prepare(RAW_COUNT);
      const app = () => {
        const m = ctx.repo.matrix(ctx.catalog);
        return m.optionCounts(item, m.select([]));
      };
      const floor = () =>
        new Map((raw.all(item) as { option: number | null; n: number }[]).map((r) => [r.option, r.n]));
      return { app, floor, check: () => same(label, app(), floor()) };
    });
  rows.push(closed("vision-agreement", "likert item (vision-agreement): optionCounts"));
  rows.push(closed("district", "single choice (district, 8 options): optionCounts"));

  rows.push(closed("roles", "multiple choice (roles, 6 options): optionCounts"));
  // A multiple choice's base is the respondents who ticked anything: count(DISTINCT), not a count.
  rows.push(
    measure(bench, "multiple choice (roles): respondentsAnswering", null, QUERY_RUNS, (ctx) => {
      const item = itemOf(ctx, "roles");
      const distinct = ctx.db
        .prepare("SELECT count(DISTINCT response_id) FROM answers WHERE item_id = ?")
        .pluck();
      const app = () => {
        const m = ctx.repo.matrix(ctx.catalog);
        return m.respondentsAnswering(item, m.select([]));
      };
      const floor = () => distinct.get(item);
      return { app, floor, check: () => same("roles respondents", app(), floor()) };
    }),
  );

  // As the dashboard computes a Likert question: its counts and its base (everyone it was shown to).
  rows.push(
    measure(
      bench,
      "likert as the service computes it: counts + base (submittedCount)",
      null,
      QUERY_RUNS,
      (ctx) => {
        const item = itemOf(ctx, "vision-agreement");
        const raw = ctx.db.prepare(RAW_COUNT);
        const base = ctx.db
          .prepare("SELECT count(*) FROM responses WHERE consultation_id = ? AND status = 'submitted'")
          .pluck();
        return {
          app: () => {
            const m = ctx.repo.matrix(ctx.catalog);
            const all = m.select([]);
            return [m.optionCounts(item, all), all.count];
          },
          floor: () => [raw.all(item), base.get(ctx.consultationId)],
        };
      },
    ),
  );

  const table: Table = {
    title: "Counting the answers to one closed question (ms)",
    columns: COLUMNS,
    rows: rows.map(row),
  };
  return {
    tables: [table],
    notes: [
      ...databaseNotes(bench, evicted),
      `Floor: the raw prepared statement \`${RAW_COUNT}\` (respondents answering: count(DISTINCT response_id)).`,
      "App: ResultsRepository.matrix() (a seek on response_events to check the in-memory answers are up to date) " +
        "then one pass over the item's column of one byte per respondent. Its cold run includes reading the whole " +
        "consultation into memory (see results-matrix). The last row adds what the service also computes for a " +
        "Likert question, its base.",
    ],
    targets: rows.flatMap((m) => targetOf("results-count", m)),
  };
}

export const resultsCount: Benchmark = {
  name: "results-count",
  title: `Results: counting one closed question at ${int(500_000)} respondents (target ${COUNT_TARGET_MS} ms)`,
  run: runCount,
};

// ---------------------------------------------------------------------------------------------
// 2. Free-text answers of respondents matching three closed answers.

/**
 * The texts() SQL before this change, for comparison: every filter as an IN (subquery), on the
 * index it used then (answers_text did not exist).
 */
function previousTexts(db: Db, itemId: number, filters: ResponseFilter[], limit: number) {
  const where = filters
    .map(
      (f) =>
        ` AND a.response_id IN (SELECT response_id FROM answers WHERE item_id = ? AND option_id IN (${f.optionIds
          .map(() => "?")
          .join(", ")}))`,
    )
    .join("");
  const params = filters.flatMap((f) => [f.itemId, ...f.optionIds]);
  const count = db
    .prepare(
      `SELECT count(*) FROM answers a INDEXED BY answers_response WHERE a.item_id = ? AND a.text_value IS NOT NULL${where}`,
    )
    .pluck();
  const page = db.prepare(
    `SELECT a.response_id AS responseId, r.reference AS reference, a.text_value AS text
       FROM answers a INDEXED BY answers_response JOIN responses r ON r.id = a.response_id
      WHERE a.item_id = ? AND a.text_value IS NOT NULL${where}
      ORDER BY a.response_id DESC LIMIT ? OFFSET 0`,
  );
  return () => ({ total: count.get(itemId, ...params), rows: page.all(itemId, ...params, limit) });
}

/**
 * The best raw SQL found for it, written for these filters: start from the most selective one
 * (known here, where the app counts to find out), check the others with a seek each, read the
 * texts from the partial index answers_text. Count, then the first page.
 */
function floorTexts(db: Db, itemId: number, driver: ResponseFilter, others: ResponseFilter[], limit: number) {
  const marks = (f: ResponseFilter) => f.optionIds.map(() => "?").join(", ");
  const where =
    "a.item_id = ? AND a.text_value IS NOT NULL" +
    ` AND a.response_id IN (SELECT response_id FROM answers WHERE item_id = ? AND option_id IN (${marks(driver)}))` +
    others
      .map(
        (f) =>
          ` AND EXISTS (SELECT 1 FROM answers f WHERE f.item_id = ? AND f.option_id IN (${marks(f)}) AND f.response_id = a.response_id)`,
      )
      .join("");
  const params = [
    itemId,
    driver.itemId,
    ...driver.optionIds,
    ...others.flatMap((f) => [f.itemId, ...f.optionIds]),
  ];
  const count = db.prepare(`SELECT count(*) FROM answers a WHERE ${where}`).pluck();
  const page = db.prepare(
    `SELECT a.response_id AS responseId, r.reference AS reference, a.text_value AS text
       FROM answers a JOIN responses r ON r.id = a.response_id WHERE ${where}
      ORDER BY a.response_id DESC LIMIT ? OFFSET 0`,
  );
  return () => ({ total: count.get(...params), rows: page.all(...params, limit) });
}

async function runTexts(log: (line: string) => void): Promise<Outcome> {
  const bench = benchDatabase(log);
  const evicted = evict(bench.path);
  const PAGE = 50;
  const cases = [
    {
      label: "residents (92%) who agree with the vision, in the south: comments",
      roles: "resident",
    },
    { label: "staff (18%) who agree with the vision, in the south: comments", roles: "staff" },
  ];
  const rows: Measured[] = [];
  const extra: string[][] = [];
  let found = "";
  for (const c of cases) {
    const filtersOf = (ctx: Ctx) => ({
      roles: filterOf(ctx, "roles", [c.roles]),
      agree: filterOf(ctx, "vision-agreement", ["strongly-agree", "agree"]),
      south: filterOf(ctx, "district", ["south"]),
    });
    rows.push(
      measure(bench, c.label, TEXTS_TARGET_MS, QUERY_RUNS, (ctx) => {
        const item = itemOf(ctx, "comments");
        const f = filtersOf(ctx);
        const filters = [f.roles, f.agree, f.south];
        const app = () =>
          ctx.repo.texts(ctx.repo.matrix(ctx.catalog), item, filters, { limit: PAGE, offset: 0 });
        const floor = floorTexts(ctx.db, item, f.south, [f.agree, f.roles], PAGE);
        return {
          app,
          floor,
          check: () => {
            const a = app();
            const b = floor();
            same(c.label, [a.total, a.rows], [b.total, b.rows]);
            found += `${found ? "; " : ""}${c.roles}: ${int(a.total)} comments`;
          },
        };
      }),
    );
    // The query this change replaced, for comparison (three warm runs: it is slow).
    const ctx = open(bench);
    try {
      const f = filtersOf(ctx);
      const before = previousTexts(ctx.db, itemOf(ctx, "comments"), [f.roles, f.agree, f.south], PAGE);
      before();
      const samples = [0, 1, 2].map(() => timed(before).sample);
      extra.push([
        `${c.roles}: texts() before this change`,
        ms(medianOf(samples).wall),
        ms(medianOf(samples).cpu),
      ]);
    } finally {
      ctx.db.close();
    }
  }
  return {
    tables: [
      {
        title: `Free-text answers of respondents matching three closed answers: total and first page of ${PAGE} (ms)`,
        columns: COLUMNS,
        rows: rows.map(row),
      },
      { title: "For comparison (warm median of 3)", columns: ["", "wall", "cpu"], rows: extra },
    ],
    notes: [
      ...databaseNotes(bench, evicted),
      `Filters: roles includes X, vision-agreement is strongly agree or agree, district is south (${found}).`,
      "Floor: hand-written SQL for these filters: start from the most selective (district), EXISTS seeks for the " +
        "others, texts from the partial index answers_text; count, then the page. The app selects the respondents " +
        "in memory (a pass over three columns), walks the text flags newest first, and reads the page's texts from " +
        "SQLite by response id.",
      "For comparison: the first texts() SQL, every filter as an IN (subquery), on the index it used then.",
    ],
    targets: rows.flatMap((m) => targetOf("results-texts", m)),
  };
}

export const resultsTexts: Benchmark = {
  name: "results-texts",
  title: `Results: free-text answers of respondents matching three closed answers (target ${TEXTS_TARGET_MS} ms)`,
  run: runTexts,
};

// ---------------------------------------------------------------------------------------------
// 3. The whole dashboard page.

/** Peak resident set size so far (VmHWM), and a way to restart it from the current RSS. */
function peakRss(): { peakMiB: number; rssMiB: number } {
  const status = readFileSync("/proc/self/status", "utf8");
  const kib = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { peakMiB: kib("VmHWM") / 1024, rssMiB: kib("VmRSS") / 1024 };
}

function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

/**
 * The raw count queries the page needs, each once: respondents, responses by day, every item's
 * GROUP BY counts, distinct respondents of each multiple choice, each text question's count and
 * first rows, each number's count and mean, and the base of each conditional page; with the filter
 * as an IN (subquery). Paired transitions have no raw count query of their own: the floor counts
 * both halves' answers (which any way of computing them must read).
 */
function dashboardFloor(ctx: Ctx, filter: ResponseFilter | null): () => number {
  const where = filter
    ? ` AND response_id IN (SELECT response_id FROM answers WHERE item_id = ${filter.itemId} AND option_id IN (${filter.optionIds.join(", ")}))`
    : "";
  const rWhere = filter ? where.replace("response_id IN", "id IN") : "";
  const steps: { stmt: Statement; params: number[] }[] = [];
  const add = (sql: string, ...params: number[]) => steps.push({ stmt: ctx.db.prepare(sql), params });
  add(
    `SELECT count(*) FROM responses WHERE consultation_id = ? AND status = 'submitted'${rWhere}`,
    ctx.consultationId,
  );
  add(
    `SELECT substr(submitted_at, 1, 10) AS day, channel, count(*) FROM responses WHERE consultation_id = ? AND status = 'submitted' GROUP BY day, channel`,
    ctx.consultationId,
  );
  for (const page of ctx.definition.pages) {
    if (page.showIf) {
      const cond = filterOf(ctx, page.showIf.question, page.showIf.anyOf);
      add(
        `SELECT count(*) FROM responses WHERE consultation_id = ? AND status = 'submitted'${rWhere} AND id IN (SELECT response_id FROM answers WHERE item_id = ${cond.itemId} AND option_id IN (${cond.optionIds.join(", ")}))`,
        ctx.consultationId,
      );
    }
    for (const q of page.questions) {
      const cq = question(ctx, q.id);
      for (const item of cq.items.values()) {
        if (q.kind === "text") {
          add(`SELECT count(*) FROM answers WHERE item_id = ? AND text_value IS NOT NULL${where}`, item);
          add(
            `SELECT a.response_id, r.reference, a.text_value FROM answers a JOIN responses r ON r.id = a.response_id WHERE a.item_id = ? AND a.text_value IS NOT NULL${where.replaceAll(" response_id IN", " a.response_id IN")} ORDER BY a.response_id DESC LIMIT 5`,
            item,
          );
        } else if (q.kind === "number") {
          add(`SELECT count(number_value), avg(number_value) FROM answers WHERE item_id = ?${where}`, item);
        } else {
          add(`SELECT option_id, count(*) FROM answers WHERE item_id = ?${where} GROUP BY option_id`, item);
          if (q.kind === "multiple")
            add(`SELECT count(DISTINCT response_id) FROM answers WHERE item_id = ?${where}`, item);
          if (q.kind === "multiple" && q.other)
            add(
              `SELECT text_value FROM answers WHERE item_id = ? AND text_value IS NOT NULL${where} LIMIT 200`,
              item,
            );
        }
      }
    }
  }
  return () => {
    let n = 0;
    for (const s of steps) n += s.stmt.all(...s.params).length;
    return n;
  };
}

/** The app in this process on a loopback port, with a signed-in officer's browser. */
async function startDashboard(bench: BenchDatabase) {
  const db = openDatabase(bench.path);
  const config = testConfig();
  const services = createServices(db, () => new Date(), config);
  const app = createApp({ config, db, services, log: (e) => console.error(e) });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, LOOPBACK, () => resolve(s));
  });
  // The floor runs in this same event loop for seconds at a time: a server closing idle keep-alive
  // sockets after the usual 5 s would race the next request on the same socket.
  server.keepAliveTimeout = 600_000;
  const { port } = server.address() as AddressInfo;
  const browser = new Browser(`http://${LOOPBACK}:${port}`, undefined, 600_000);
  const email = "results-bench@example.gov.uk";
  const password = "results benchmark officer password";
  if (!services.officers.list().some((o) => o.email === email))
    await services.officers.create({ email, name: "Results benchmark", role: "analyst", password });
  const token = tokenIn(await browser.get("/officer/sign-in"), "sign-in page");
  expectRedirect(await browser.post("/officer/sign-in", token, { email, password }), "/officer", "sign-in");
  return {
    db,
    services,
    browser,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          db.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

async function runDashboard(log: (line: string) => void): Promise<Outcome> {
  const bench = benchDatabase(log);
  const evicted = evict(bench.path);
  const views: { label: string; query: string; filter: FilterChoice | null; target: number | null }[] = [
    { label: "unfiltered", query: "", filter: null, target: DASHBOARD_TARGET_MS },
    {
      label: "filtered: roles = staff (18% of respondents)",
      query: "?filter=roles:staff",
      filter: { question: "roles", codes: ["staff"] },
      target: DASHBOARD_TARGET_MS,
    },
    {
      label: "filtered: roles = resident (92%, the largest group)",
      query: "?filter=roles:resident",
      filter: { question: "roles", codes: ["resident"] },
      target: DASHBOARD_TARGET_MS,
    },
  ];
  const path = `/officer/consultations/${bench.slug}`;
  const measured: Measured[] = [];
  const computeRows: string[][] = [];
  const rss: string[][] = [];
  let rssNote = "";

  for (const view of views) {
    log(`  dashboard ${view.label} ...`);
    const get = async (browser: Browser) => {
      const reply = await browser.get(`${path}${view.query}`);
      if (reply.status !== 200) throw new Error(`${path}${view.query} answered ${reply.status}`);
      return reply.text.length;
    };
    // Cold: a new app and connection after evicting the file.
    evict(bench.path);
    let app = await startDashboard(bench);
    const appCold = (await timedAsync(() => get(app.browser))).sample;
    await app.close();
    evict(bench.path);
    let ctx = open(bench);
    const floorCold = timed(
      dashboardFloor(ctx, view.filter ? filterOf(ctx, "roles", view.filter.codes) : null),
    ).sample;
    ctx.db.close();

    // Warm: the page over HTTP and the floor alternating, then the service alone with its breakdown.
    app = await startDashboard(bench);
    ctx = open(bench);
    try {
      const floor = dashboardFloor(ctx, view.filter ? filterOf(ctx, "roles", view.filter.codes) : null);
      const bytes = await get(app.browser);
      floor();
      globalThis.gc?.();
      const rssBefore = peakRss().rssMiB;
      const reset = resetPeakRss();
      const appRuns: Sample[] = [];
      const floorRuns: Sample[] = [];
      for (let i = 0; i < DASHBOARD_RUNS; i++) {
        appRuns.push((await timedAsync(() => get(app.browser))).sample);
        floorRuns.push(timed(floor).sample);
      }
      const after = peakRss();
      rss.push([
        view.label,
        `${fixed(rssBefore, 0)} MiB`,
        reset ? `${fixed(after.peakMiB, 0)} MiB` : "n/a",
        reset ? `${after.peakMiB >= rssBefore ? "+" : ""}${fixed(after.peakMiB - rssBefore, 0)} MiB` : "n/a",
      ]);
      if (!reset) rssNote = "Peak RSS could not be reset (/proc/self/clear_refs not writable).";
      measured.push({
        label: `${view.label} (${int(bytes / 1024)} KiB of HTML)`,
        app: { cold: appCold, warm: medianOf(appRuns) },
        floor: { cold: floorCold, warm: medianOf(floorRuns) },
        target: view.target,
      });

      // The service on the floor's connection: the first compute reads the answers into memory.
      const service = new ResultsService(new ResultsRepository(ctx.db), ctx.consultations);
      const row = ctx.consultations.findBySlug(bench.slug);
      if (!row) throw new Error("consultation vanished");
      const first = timed(() => service.compute(row, view.filter)).sample;
      const again = medianOf([0, 1, 2].map(() => timed(() => service.compute(row, view.filter)).sample));
      computeRows.push([view.label, ms(first.wall), ms(again.wall), ms(again.cpu)]);
    } finally {
      ctx.db.close();
      await app.close();
    }
  }

  return {
    tables: [
      { title: "The whole dashboard page over HTTP (ms)", columns: COLUMNS, rows: measured.map(row) },
      {
        title: "ResultsService.compute alone, in this process, on the floor's warm connection (ms)",
        columns: ["", "first (reads the answers into memory)", "then (median of 3)", "cpu"],
        rows: computeRows,
      },
      {
        title: "Process memory around the warm dashboard requests (server and client share this process)",
        columns: ["", "RSS before", "peak RSS", "peak - before"],
        rows: rss,
      },
    ],
    notes: [
      ...databaseNotes(bench, evicted),
      `The page: GET ${path} as a signed-in officer (Express app in this process on loopback), including the EJS ` +
        "render; cold is a new app and connection after evicting the file, so it includes reading the consultation's " +
        "answers into memory.",
      "Floor: the sum of the raw count queries the page needs, each run once (see dashboardFloor), with the filter " +
        "as an IN (subquery) on each. Paired transitions have no raw query of their own in it.",
      ...(rssNote ? [rssNote] : []),
    ],
    targets: measured.flatMap((m) => targetOf("results-dashboard", m)),
  };
}

export const resultsDashboard: Benchmark = {
  name: "results-dashboard",
  title: `Results: the whole dashboard page, unfiltered and filtered by one group (target ${int(DASHBOARD_TARGET_MS)} ms)`,
  run: runDashboard,
};

// ---------------------------------------------------------------------------------------------
// 4. Reading a consultation's answers into memory, and keeping them up to date.

/**
 * Submit `n` copies of existing responses (new response rows, answers copied in SQL) inside the
 * caller's transaction, as online submissions would arrive: the triggers log each one.
 */
function submitCopies(ctx: Ctx, n: number): void {
  const source = ctx.db
    .prepare(
      "SELECT id FROM responses WHERE consultation_id = ? AND status = 'submitted' ORDER BY id LIMIT ?",
    )
    .pluck()
    .all(ctx.consultationId, n) as number[];
  const insert = ctx.db.prepare(
    `INSERT INTO responses (consultation_id, status, reference, channel, started_at, updated_at, submitted_at)
     VALUES (?, 'submitted', ?, 'online', ?, ?, ?)`,
  );
  const copy = ctx.db.prepare(
    `INSERT INTO answers (response_id, item_id, option_id, number_value, text_value)
     SELECT ?, item_id, option_id, number_value, text_value FROM answers WHERE response_id = ?`,
  );
  const now = new Date().toISOString();
  source.forEach((from, k) => {
    const id = Number(insert.run(ctx.consultationId, `SND-BNCH-${k}`, now, now, now).lastInsertRowid);
    copy.run(id, from);
  });
}

async function runMatrix(log: (line: string) => void): Promise<Outcome> {
  const bench = benchDatabase(log);
  const evicted = evict(bench.path);
  // Floor of the first read: stepping through every (item, option, response) entry the matrix
  // reads, as one count(*) per item and option, without handing any id to JavaScript.
  const floorOf = (ctx: Ctx) => {
    const stmt = ctx.db.prepare("SELECT count(*) FROM answers WHERE item_id = ? AND option_id = ?").pluck();
    const pairs = [...ctx.catalog.questions.values()].flatMap((q) =>
      q.kind === "text" || q.kind === "number"
        ? []
        : [...q.items.values()].flatMap((item) => [...q.options.values()].map((o) => [item, o] as const)),
    );
    return () => pairs.reduce((n, [item, o]) => n + (stmt.get(item, o) as number), 0);
  };
  const build = measure(bench, "read the consultation's answers into memory", null, 3, (ctx) => ({
    app: () => new ResultsRepository(ctx.db).matrix(ctx.catalog).respondents,
    floor: floorOf(ctx),
  }));

  const rows: string[][] = [];
  const ctx = open(bench);
  let memory = "";
  try {
    globalThis.gc?.();
    const before = process.memoryUsage();
    const repo = new ResultsRepository(ctx.db);
    const matrix = repo.matrix(ctx.catalog);
    globalThis.gc?.();
    const after = process.memoryUsage();
    memory =
      `Memory held for ${int(matrix.respondents)} respondents: ` +
      `${fixed((after.arrayBuffers - before.arrayBuffers) / 2 ** 20, 0)} MiB of typed arrays ` +
      "(process.memoryUsage().arrayBuffers before and after, with room for an eighth more respondents).";
    const respondents = matrix.respondents;
    const check = timed(() => repo.matrix(ctx.catalog)).sample;
    rows.push(["nothing new (the check alone)", ms(check.wall), ms(check.cpu)]);
    for (const n of [1, 100, 5_000]) {
      // Submit inside a transaction, bring the matrix up to date, roll back (the cached database
      // stays as generated), then read the matrix afresh for the next row.
      ctx.db.exec("BEGIN");
      try {
        submitCopies(ctx, n);
        const sample = timed(() => repo.matrix(ctx.catalog)).sample;
        const held = repo.matrix(ctx.catalog).respondents;
        if (held !== respondents + n)
          throw new Error(`after ${n} submissions the matrix holds ${held}, not ${respondents + n}`);
        rows.push([`${int(n)} new responses submitted`, ms(sample.wall), ms(sample.cpu)]);
      } finally {
        ctx.db.exec("ROLLBACK");
      }
      repo.clear();
      repo.matrix(ctx.catalog);
    }
  } finally {
    ctx.db.close();
  }
  return {
    tables: [
      {
        title: "Reading one consultation's answers into memory (ms)",
        columns: COLUMNS,
        rows: [row(build)],
      },
      {
        title: "Bringing the answers in memory up to date before a results request (ms)",
        columns: ["", "wall", "cpu"],
        rows,
      },
    ],
    notes: [
      ...databaseNotes(bench, evicted),
      "App: ResultsRepository.matrix() on a new repository: the respondents by day and channel, then per item and " +
        "option the response ids as one group_concat string from the covering index, parsed into typed arrays. " +
        "It happens once per process and consultation (the first results request); later requests only catch up.",
      "Floor: count(*) per item and option over the same index entries, handing nothing to JavaScript.",
      memory,
      "Catching up: responses submitted since the last request are read from response_events (written by triggers) " +
        "and their answers loaded by response id; more than 20,000 at once and the matrix is read afresh instead.",
    ],
    targets: [],
  };
}

export const resultsMatrix: Benchmark = {
  name: "results-matrix",
  title: "Results: reading a consultation's answers into memory, and keeping them up to date",
  run: runMatrix,
};
