import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../db/connection.js";
import { startWalCheckpoints, type WalCheckpoints } from "../../server/services/wal-checkpoint.js";

const folders: string[] = [];
const running: WalCheckpoints[] = [];
const open: Db[] = [];

function fileDb(): { db: Db; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "sounding-checkpoint-"));
  folders.push(dir);
  const path = join(dir, "sounding.sqlite");
  const db = openDatabase(path);
  open.push(db);
  db.exec("CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB)");
  return { db, path };
}

/** About `n` pages' worth of rows, one commit each, as answer posts commit. */
function writePages(db: Db, n: number): void {
  const insert = db.prepare("INSERT INTO pages (body) VALUES (?)");
  for (let i = 0; i < n; i++) insert.run(Buffer.alloc(4000, i % 251));
}

const size = (file: string) => statSync(file).size;

afterEach(async () => {
  for (const c of running.splice(0)) await c.stop();
  for (const db of open.splice(0)) db.close();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("checkpoints off the request loop", () => {
  it("stops the loop's connection checkpointing, and copies the log back in the worker", async () => {
    const { db, path } = fileDb();
    // A timer that never fires in the test: the checkpoint is asked for explicitly below.
    const checkpoints = startWalCheckpoints(db, { everyMs: 3_600_000 });
    expect(checkpoints).toBeDefined();
    if (!checkpoints) return;
    running.push(checkpoints);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);

    const before = size(path);
    // 1,500 commits of a page each: SQLite's default would have checkpointed in one of them.
    writePages(db, 1500);
    expect(size(path)).toBe(before);
    expect(size(`${path}-wal`)).toBeGreaterThan(1500 * 4000);

    const done = await checkpoints.checkpoint();
    expect(done.log).toBeGreaterThanOrEqual(1500);
    expect(done.checkpointed).toBe(done.log);
    expect(size(path)).toBeGreaterThan(1500 * 4000);
    expect(db.prepare("SELECT count(*) AS n FROM pages").get()).toEqual({ n: 1500 });
  });

  it("runs on its timer, and gives checkpointing back to the connection when stopped", async () => {
    const { db, path } = fileDb();
    const checkpoints = startWalCheckpoints(db, { everyMs: 20 });
    if (!checkpoints) throw new Error("a database file gets a checkpoint worker");
    writePages(db, 300);
    const before = size(path);
    const deadline = Date.now() + 10_000;
    while (size(path) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(size(path)).toBeGreaterThan(300 * 4000);

    await checkpoints.stop();
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    await expect(checkpoints.checkpoint()).rejects.toThrow(/stopped/);
  });

  it("leaves an in-memory database alone", () => {
    const db = openDatabase(":memory:");
    open.push(db);
    expect(startWalCheckpoints(db)).toBeUndefined();
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  });
});
