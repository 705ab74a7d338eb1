import { randomBytes } from "node:crypto";
import type { Db } from "./connection.js";

/** The secret that signs cookies and CSRF tokens: kept in the database so restarts keep forms valid. */
export function storedSecret(db: Db): string {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'secret'").get() as
    | { value: string }
    | undefined;
  if (row) return row.value;
  const secret = randomBytes(32).toString("base64url");
  db.prepare("INSERT INTO settings (key, value) VALUES ('secret', ?)").run(secret);
  return secret;
}
