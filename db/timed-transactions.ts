import type { Db } from "./connection.js";

/** How long one transaction of a long write may hold the database: another connection waits at most this. */
export const TRANSACTION_MS = 25;

/**
 * Runs `step(i)` for i in [0, count) in transactions of about `ms` each rather than one: for long
 * writes done from a worker thread's own connection, so that a writer on the request loop (an answer
 * being posted, a tag) waits for the write lock at most one short transaction (readers never wait:
 * WAL). Each step must leave the database consistent on its own.
 */
export function inTimedTransactions(
  db: Db,
  count: number,
  step: (i: number) => void,
  ms = TRANSACTION_MS,
): void {
  let i = 0;
  const chunk = db.transaction(() => {
    const started = performance.now();
    do step(i++);
    while (i < count && performance.now() - started < ms);
  });
  while (i < count) chunk();
}

/**
 * Runs `batch()` (a statement that changes at most a few thousand rows, returning how many) in a
 * transaction of its own, again and again until it changes nothing: a large DELETE or UPDATE cut
 * into short transactions.
 */
export function untilNoChanges(db: Db, batch: () => number): void {
  const once = db.transaction(batch);
  while (once() > 0);
}
