import { copyFileSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const MIGRATIONS = join(import.meta.dirname, "..", "..", "db", "migrations");

/** A folder holding the migrations up to and including `last`, to test one migration on data. */
export function migrationsUpTo(last: number): string {
  const dir = mkdtempSync(join(tmpdir(), "sounding-migrations-"));
  for (const f of readdirSync(MIGRATIONS))
    if (Number.parseInt(f.slice(0, 4), 10) <= last) copyFileSync(join(MIGRATIONS, f), join(dir, f));
  return dir;
}
