import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/connection.js";
import { inTimedTransactions, untilNoChanges } from "../../db/timed-transactions.js";

function table() {
  const db = openDatabase(":memory:");
  db.exec("CREATE TABLE t (n INTEGER NOT NULL)");
  const insert = db.prepare("INSERT INTO t (n) VALUES (?)");
  const count = () => db.prepare("SELECT count(*) FROM t").pluck().get() as number;
  return { db, insert, count };
}

describe("writes cut into short transactions", () => {
  it("runs every step once, in order", () => {
    const { db, insert } = table();
    inTimedTransactions(db, 1000, (i) => insert.run(i));
    expect(db.prepare("SELECT n FROM t ORDER BY rowid").pluck().all()).toEqual(
      Array.from({ length: 1000 }, (_, i) => i),
    );
  });

  it("commits each slice on its own: a failure keeps the slices before it", () => {
    const failAt = (i: number, insert: { run: (n: number) => unknown }) => {
      if (i === 5) throw new Error("stop");
      insert.run(i);
    };
    const sliced = table();
    // A slice of 0 ms holds one step: the five before the failure stay.
    expect(() => inTimedTransactions(sliced.db, 10, (i) => failAt(i, sliced.insert), 0)).toThrow("stop");
    expect(sliced.count()).toBe(5);
    // One long slice holds them all: the failure takes back the whole transaction.
    const whole = table();
    expect(() => inTimedTransactions(whole.db, 10, (i) => failAt(i, whole.insert), 60_000)).toThrow("stop");
    expect(whole.count()).toBe(0);
  });

  it("repeats a limited statement until it changes nothing", () => {
    const { db, insert, count } = table();
    for (let i = 0; i < 25; i++) insert.run(i);
    const drop = db.prepare("DELETE FROM t WHERE rowid IN (SELECT rowid FROM t LIMIT 4)");
    let runs = 0;
    untilNoChanges(db, () => {
      runs++;
      return drop.run().changes;
    });
    expect(count()).toBe(0);
    expect(runs).toBe(8); // 7 of 4 or fewer rows, then one that finds none
  });
});
