import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openDatabase, openDatabaseCopy } from "../../db/connection.js";
import { createApp } from "../../server/app.js";
import { PublicReportPages } from "../../server/routes/respond/report/public-page.js";
import { resultsArePublic } from "../../server/services/consultations.js";
import { createServices } from "../../server/services/create.js";
import { buildTestApp, type TestApp } from "../support/app.js";

/**
 * Issue 8, responsiveness: with a database file, the public summary report is built and rendered
 * in a worker thread with its own read-only connection (server/routes/respond/report/public-page.ts).
 * The page must be the one the request loop renders from an in-memory copy of the same database.
 */
const CLOSED = "commissioning-procurement-2015";
const REPORT = `/consultations/${CLOSED}/report`;
const folders: string[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Approve the newest comments of the closed consultation's first text question (the public report quotes them). */
async function approveSome(t: TestApp, n: number): Promise<string[]> {
  const c = t.services.consultations.find(CLOSED);
  const question = c?.definition.pages.flatMap((p) => p.questions).find((q) => q.kind === "text");
  const item = c && question && t.services.moderation.itemOf(c, question.id);
  if (!c || item === undefined) throw new Error("no text question in the demo");
  await t.services.moderation.prepare(c, item, n);
  await t.services.moderation.close();
  const waiting = t.services.moderation.page(c, item, "pending", 0).slice(0, n);
  t.services.moderation.decide(
    c,
    waiting.map((w) => w.commentId),
    "approved",
    null,
  );
  return waiting.map((w) => w.redacted ?? "");
}

/** Counts the pages built in a worker thread. */
const workersStarted = () =>
  vi.spyOn(PublicReportPages.prototype as unknown as { inWorker: () => Promise<string> }, "inWorker");

/** The same database twice: as a file (the worker builds) and in memory (built on this thread). */
function twoApps(t: TestApp, prebuildPublicReports = false) {
  const dir = mkdtempSync(join(tmpdir(), "sounding-report-worker-"));
  folders.push(dir);
  const image = t.db.serialize();
  const file = join(dir, "sounding.sqlite");
  writeFileSync(file, image);
  const now = () => t.clock.now;
  const onFile = openDatabase(file);
  const inMemory = openDatabaseCopy(image);
  const fileServices = createServices(onFile, now, t.config);
  const memoryServices = createServices(inMemory, now, t.config);
  return {
    file: {
      app: createApp({
        config: t.config,
        db: onFile,
        clock: now,
        services: fileServices,
        prebuildPublicReports,
      }),
      db: onFile,
      services: fileServices,
    },
    memory: { app: createApp({ config: t.config, db: inMemory, clock: now, services: memoryServices }) },
  };
}

describe("the public report built in a worker thread (#8)", () => {
  it("is the page the request loop renders, computing nothing on the loop", async () => {
    const t = buildTestApp();
    const quoted = await approveSome(t, 3);
    expect(quoted.length).toBe(3);
    const { file, memory } = twoApps(t);
    const computed = vi.spyOn(file.services.results, "compute");
    const inWorker = workersStarted();
    const there = await request(file.app).get(REPORT).expect(200);
    expect(inWorker).toHaveBeenCalledTimes(1);
    expect(computed).not.toHaveBeenCalled();
    const here = await request(memory.app).get(REPORT).expect(200);
    expect(there.headers["content-type"]).toBe(here.headers["content-type"]);
    expect(there.text).toBe(here.text);
    for (const q of quoted) expect(there.text).toContain(q.replaceAll("'", "&#39;"));
    file.db.close();
  });

  it("is built once for requests that come together, kept, and built again when a comment is approved", async () => {
    const t = buildTestApp();
    const { file } = twoApps(t);
    const inWorker = workersStarted();
    const pages = await Promise.all(
      Array.from({ length: 4 }, () => request(file.app).get(REPORT).expect(200)),
    );
    expect(inWorker).toHaveBeenCalledTimes(1);
    expect(new Set(pages.map((p) => p.text)).size).toBe(1);
    expect((await request(file.app).get(REPORT).expect(200)).text).toBe(pages[0]?.text);
    expect(inWorker).toHaveBeenCalledTimes(1);
    const fileApp = { ...t, services: file.services, db: file.db } as TestApp;
    const [quote] = await approveSome(fileApp, 1);
    const after = await request(file.app).get(REPORT).expect(200);
    expect(inWorker).toHaveBeenCalledTimes(2);
    expect(after.text).toContain(String(quote).replaceAll("'", "&#39;"));
    expect(pages[0]?.text).not.toContain(String(quote).replaceAll("'", "&#39;"));
    file.db.close();
  });

  it("is built as the server starts for each consultation with public results, so the first reader waits for nothing", async () => {
    const t = buildTestApp();
    const inWorker = workersStarted();
    const { file } = twoApps(t, true);
    const public_ = file.services.consultations.all().filter((c) => resultsArePublic(c)).length;
    // One after another, each in its own worker.
    await vi.waitFor(() => expect(inWorker).toHaveBeenCalledTimes(public_), {
      timeout: 60_000,
      interval: 100,
    });
    const slugs = inWorker.mock.calls.map((c) => (c as unknown[])[1] as string);
    expect(slugs).toContain(CLOSED);
    for (const slug of slugs) {
      const c = file.services.consultations.find(slug);
      expect(c && resultsArePublic(c)).toBe(true);
    }
    await Promise.all(inWorker.mock.results.map((r) => r.value));
    const page = await request(file.app).get(REPORT).expect(200);
    expect(page.text).toContain(`href="/consultations/${CLOSED}"`);
    expect(inWorker).toHaveBeenCalledTimes(public_);
    file.db.close();
  }, 120_000);

  it("stays refused before the results are published", async () => {
    const t = buildTestApp();
    t.db.prepare("UPDATE consultations SET results_published_at = NULL WHERE slug = ?").run(CLOSED);
    const { file } = twoApps(t);
    const inWorker = workersStarted();
    await request(file.app).get(REPORT).expect(403);
    expect(inWorker).not.toHaveBeenCalled();
    file.db.close();
  });
});
