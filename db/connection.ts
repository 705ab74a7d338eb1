import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";

export type Db = Database.Database;

/**
 * Open the database with the pragmas every connection needs: WAL so readers never wait for the
 * writer, foreign keys enforced, and synchronous=NORMAL, which in WAL mode loses no committed
 * transaction when the process is killed (only an operating-system crash or power cut can lose the
 * last commits; see https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
export function openDatabase(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  return withPragmas(new Database(path));
}

/**
 * The file of this connection's database, for a worker thread to open a connection of its own;
 * undefined for an in-memory database, which no other connection can see.
 */
export function databaseFile(db: Db): string | undefined {
  return db.memory || db.name === "" || db.name === ":memory:" ? undefined : db.name;
}

/** An in-memory database holding a copy of `image` (from `db.serialize()`), with the same pragmas. */
export function openDatabaseCopy(image: Buffer): Db {
  return withPragmas(new Database(image));
}

function withPragmas(db: Db): Db {
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.pragma("cache_size = -65536");
  return db;
}

/** Forward-only migrations: db/migrations/NNNN_name.sql, applied in order, each in a transaction. */
export function migrate(db: Db, migrationsDir: string): { from: number; to: number } {
  const files = readdirSync(migrationsDir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const from = db.pragma("user_version", { simple: true }) as number;
  let to = from;
  for (const file of files) {
    const version = Number.parseInt(file.slice(0, 4), 10);
    if (version <= to) continue;
    if (version !== to + 1) throw new Error(`Migration ${file} skips a version after ${to}`);
    const sql = readFileSync(join(migrationsDir, file), "utf8");
    // A migration that rebuilds a table other tables refer to runs with foreign keys off (they
    // cannot be switched inside a transaction), then proves it left every reference whole.
    const keysOff = sql.startsWith("-- sounding: foreign_keys off");
    if (keysOff) db.pragma("foreign_keys = OFF");
    try {
      db.transaction(() => {
        db.exec(sql);
        if (keysOff && (db.pragma("foreign_key_check") as unknown[]).length > 0)
          throw new Error(`Migration ${file} left references to missing rows`);
        db.pragma(`user_version = ${version}`);
      })();
    } finally {
      if (keysOff) db.pragma("foreign_keys = ON");
    }
    to = version;
  }
  return { from, to };
}
