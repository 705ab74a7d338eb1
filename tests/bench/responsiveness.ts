/**
 * The server stays responsive under heavy work (issue 8, item 2). On a copy of the 500,000-response
 * benchmark database, one server process is asked at once for a 50 MB CSV import, a full export of
 * the 500,000 responses and four public summary reports, while probes measure how long the hub and
 * a question page take. The same probes first run with nothing else going on: that is the baseline
 * the figures under load are printed beside. Target: p99 of each page under load <= 100 ms.
 *
 * The probes and the three jobs are sent from this process, over loopback only; the server runs in
 * its own process. Both share the machine's cores, so the figures are those of a busy machine.
 */
import { randomBytes } from "node:crypto";
import { closeSync, copyFileSync, openSync, readFileSync, writeSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { Writable } from "node:stream";
import { definitionSchema } from "../../analysis/definition.js";
import { migrate, openDatabase } from "../../db/connection.js";
import { ConsultationRepository } from "../../db/consultations.js";
import { ResponseTransferRepository } from "../../db/response-transfer.js";
import { projectRoot } from "../../server/config.js";
import { ExportAbortedError, writeResponsesCsv } from "../../server/services/response-export.js";
import { Browser, expectRedirect, tokenIn } from "./lib/browser.js";
import { benchDatabase, benchDefinition } from "./lib/generate-responses.js";
import { percentile, probe, type ProbeRun, type ProbeTarget } from "./lib/probe.js";
import { profilesOf, summariseProfile } from "./lib/profile.js";
import { type Benchmark, fixed, int, ms, type Outcome, type Target } from "./lib/report.js";
import { startSounding, tempDir } from "./lib/servers.js";

const TARGET_P99_MS = 100;
const IMPORT_BYTES = 50 * 2 ** 20;
const REPORTS = 4;
const PROBE_EVERY_MS = 25;
const IDLE_SECONDS = 15;
/** Bounds the loaded phase if a job never finishes. */
const MAX_LOADED_MS = 15 * 60_000;
const OPEN_SLUG = "bench-open-copy";
const ADMIN = "admin@example.gov.uk";

/**
 * The first IMPORT_BYTES of an export of the benchmark consultation, as an officer would upload a
 * batch typed up from paper: references blanked, so every row is stored as new.
 */
async function importFile(
  dbPath: string,
  slug: string,
  file: string,
): Promise<{ rows: number; bytes: number }> {
  const db = openDatabase(dbPath);
  const fd = openSync(file, "w");
  let bytes = 0;
  let rows = -1;
  let carry = "";
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      const lines = (carry + chunk.toString("utf8")).split("\r\n");
      carry = lines.pop() ?? "";
      for (const line of lines) {
        const text = rows < 0 ? line : line.replace(/^SND-[0-9A-Z-]+,/, ",");
        if (bytes + text.length + 2 > IMPORT_BYTES) {
          this.destroy();
          return done();
        }
        bytes += writeSync(fd, `${text}\r\n`);
        rows++;
      }
      done();
    },
  });
  try {
    const consultations = new ConsultationRepository(db);
    const row = consultations.findBySlug(slug);
    if (!row) throw new Error(`No consultation ${slug}`);
    await writeResponsesCsv(
      new ResponseTransferRepository(db),
      row,
      consultations.catalog(row.id),
      sink,
    ).catch((err: unknown) => {
      if (!(err instanceof ExportAbortedError)) throw err;
    });
  } finally {
    closeSync(fd);
    db.close();
  }
  return { rows, bytes };
}

/**
 * A multipart form post over node:http, which waits as long as the server takes (fetch gives up
 * after five minutes without response headers, and a large import on a busy machine can take longer).
 */
function postMultipart(
  url: string,
  cookie: string,
  fields: Record<string, string | { name: string; type: string; bytes: Buffer }>,
): Promise<{ status: number; detail: string }> {
  const boundary = `----sounding-bench-${randomBytes(8).toString("hex")}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const head =
      typeof value === "string"
        ? `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.name}"\r\nContent-Type: ${value.type}\r\n\r\n`;
    parts.push(
      Buffer.from(head),
      typeof value === "string" ? Buffer.from(value) : value.bytes,
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(parts);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        headers: {
          cookie,
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": String(body.length),
        },
        timeout: MAX_LOADED_MS,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            detail: String(res.headers.location ?? text.slice(0, 200)),
          }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error("import timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

interface Job {
  name: string;
  /** When it ended, in seconds after the jobs started. */
  endedAt: number;
  seconds: number;
  status: number;
  detail: string;
}

async function timed(name: string, work: () => Promise<{ status: number; detail: string }>): Promise<Job> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const { status, detail } = await work();
    return { name, endedAt: seconds(), seconds: seconds(), status, detail };
  } catch (err) {
    return { name, endedAt: seconds(), seconds: seconds(), status: 0, detail: String(err) };
  }
}

const summary = (run: ProbeRun, name: string) => {
  const values = run.latencies.get(name) ?? [];
  return {
    n: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: values.length > 0 ? Math.max(...values) : Number.NaN,
  };
};

export const responsiveness: Benchmark = {
  name: "responsiveness",
  title: `Responsiveness: hub and question page p99 during a 50 MB import, a 500,000-response export and ${REPORTS} public reports`,
  async run(log): Promise<Outcome> {
    const bench = benchDatabase(log);
    const folder = tempDir("responsive");
    try {
      const dbPath = join(folder.dir, "sounding.db");
      log(`  copying the benchmark database (${int(bench.bytes / 2 ** 20)} MiB)`);
      copyFileSync(bench.path, dbPath);
      const db = openDatabase(dbPath);
      migrate(db, join(projectRoot(), "db", "migrations"));
      // An open consultation to answer: a copy of the benchmark one with open dates.
      const definition = definitionSchema.parse({
        ...benchDefinition,
        slug: OPEN_SLUG,
        title: "An open copy of the benchmark consultation",
        opens: "2020-01-01T00:00:00Z",
        closes: "2099-12-31T00:00:00Z",
      });
      const consultations = new ConsultationRepository(db);
      consultations.save(definition);
      // The benchmark consultation is closed; its public report is public once its results are.
      const closed = consultations.findBySlug(bench.slug);
      if (!closed) throw new Error(`No consultation ${bench.slug}`);
      consultations.setResultsPublished(closed.id, bench.slug, new Date());
      db.close();
      const upload = join(folder.dir, "import.csv");
      const made = await importFile(dbPath, bench.slug, upload);
      log(`  import file: ${int(made.rows)} rows, ${fixed(made.bytes / 2 ** 20, 1)} MiB`);

      const password = randomBytes(18).toString("base64url");
      const profileDir = process.env.BENCH_CPU_PROF;
      const server = await startSounding({
        dbPath,
        env: { SOUNDING_ADMIN_PASSWORD: password },
        nodeArgs: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
      });
      let outcome: Outcome;
      try {
        const officer = new Browser(server.url, undefined, 15 * 60_000);
        const signIn = tokenIn(await officer.get("/officer/sign-in"), "sign-in page");
        expectRedirect(
          await officer.post("/officer/sign-in", signIn, { email: ADMIN, password }),
          "/officer",
          "sign in",
        );

        const resident = new Browser(server.url);
        const base = `/consultations/${OPEN_SLUG}`;
        const firstPage = `${base}/respond/${definition.pages[0]?.id ?? ""}`;
        const start = tokenIn(await resident.get(base), "consultation page");
        expectRedirect(await resident.post(`${base}/start`, start), firstPage, "start");
        const targets: ProbeTarget[] = [
          { name: "hub", url: `${server.url}/`, status: 200 },
          {
            name: "question page",
            url: `${server.url}${firstPage}`,
            headers: { cookie: resident.cookieHeader() },
            status: 200,
          },
        ];
        for (const t of targets) await fetch(t.url, { headers: t.headers }).then((r) => r.arrayBuffer());

        log(`  nothing else running: probing for ${IDLE_SECONDS} s`);
        const idle = await probe(targets, {
          everyMs: PROBE_EVERY_MS,
          until: new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000)),
          maxMs: IDLE_SECONDS * 1000,
          maxProbes: (IDLE_SECONDS * 1000) / PROBE_EVERY_MS,
        });

        log("  import, export and reports at once, probing until they are done");
        const officerBase = `/officer/consultations/${bench.slug}`;
        const importToken = tokenIn(await officer.get(`${officerBase}/import`), "import page");
        const cookie = officer.cookieHeader();
        const jobs = Promise.all([
          timed(`import ${fixed(made.bytes / 2 ** 20, 0)} MB (${int(made.rows)} rows)`, () =>
            postMultipart(`${server.url}${officerBase}/import`, cookie, {
              _csrf: importToken,
              channel: "paper",
              file: { name: "import.csv", type: "text/csv", bytes: readFileSync(upload) },
            }),
          ),
          timed(`export of ${int(bench.respondents)} responses`, async () => {
            const res = await fetch(`${server.url}${officerBase}/export/responses.csv`, {
              headers: { cookie },
              signal: AbortSignal.timeout(MAX_LOADED_MS),
            });
            let bytes = 0;
            for await (const chunk of res.body ?? []) bytes += (chunk as Uint8Array).length;
            return { status: res.status, detail: `${fixed(bytes / 2 ** 20, 0)} MiB` };
          }),
          ...Array.from({ length: REPORTS }, (_, i) =>
            timed(`public report ${i + 1}`, async () => {
              const res = await fetch(`${server.url}/consultations/${bench.slug}/report`, {
                signal: AbortSignal.timeout(MAX_LOADED_MS),
              });
              const text = await res.text();
              return { status: res.status, detail: `${int(text.length / 1024)} KiB` };
            }),
          ),
        ]);
        const loaded = await probe(targets, {
          everyMs: PROBE_EVERY_MS,
          until: jobs,
          maxMs: MAX_LOADED_MS,
          maxProbes: MAX_LOADED_MS / PROBE_EVERY_MS,
        });
        const done = await jobs;
        const serverErrors = server.stderrLines();

        const rows: string[][] = [];
        const targetList: Target[] = [];
        for (const t of targets) {
          const a = summary(idle, t.name);
          const b = summary(loaded, t.name);
          rows.push(
            [`${t.name}: probes`, int(a.n), int(b.n)],
            [`${t.name}: p50`, ms(a.p50), ms(b.p50)],
            [`${t.name}: p99`, ms(a.p99), ms(b.p99)],
            [`${t.name}: max`, ms(a.max), ms(b.max)],
          );
          targetList.push({
            name: `responsiveness: ${t.name} p99 under load <= ${TARGET_P99_MS} ms (idle ${ms(a.p99)})`,
            measured: ms(b.p99),
            pass: b.p99 <= TARGET_P99_MS,
          });
        }
        rows.push(["failed probes", int(idle.failures), int(loaded.failures)]);
        const expected = (j: Job) => (j.name.startsWith("import") ? 303 : 200);
        targetList.push({
          name: "responsiveness: every job and probe answered as expected",
          measured: `${done.filter((j) => j.status !== expected(j)).length} jobs, ${idle.failures + loaded.failures} probes failed`,
          pass: done.every((j) => j.status === expected(j)) && idle.failures + loaded.failures === 0,
        });
        const notes = [
          `Probes: one GET every ${PROBE_EVERY_MS} ms, alternating the two pages, sent whether or not the last was answered.`,
          "The server, this runner (probes, upload, download) and the rest of the machine share its cores.",
        ];
        notes.push(
          `Slowest probes under load (sent at, took): ${loaded.slowest
            .map((p) => `${fixed(p.sentAt / 1000, 1)} s ${fixed(p.ms / 1000, 1)} s`)
            .join("; ")}`,
        );
        if (loaded.firstFailure || idle.firstFailure)
          notes.push(`First failed probe: ${loaded.firstFailure || idle.firstFailure}`);
        if (serverErrors > 0)
          notes.push(`The server wrote ${serverErrors} line(s) to stderr: ${server.stderrTail()}`);
        outcome = {
          tables: [
            {
              title: "Latency of the hub and a question page",
              columns: ["", "nothing else running", "during the jobs"],
              rows,
            },
            {
              title: "The jobs, started together",
              columns: ["", "seconds", "status", "detail"],
              rows: done.map((j) => [j.name, fixed(j.seconds, 1), String(j.status), j.detail]),
            },
          ],
          notes,
          targets: targetList,
        };
      } finally {
        await server.stop();
      }
      for (const file of profileDir ? profilesOf(profileDir, server.pid) : []) {
        outcome.notes.push(`CPU profile of the server (whole run): ${file}`);
        outcome.tables.push(...summariseProfile(file));
      }
      return outcome;
    } finally {
      folder.remove();
    }
  },
};
