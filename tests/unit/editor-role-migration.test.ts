import { describe, expect, it } from "vitest";
import { migrate, openDatabase } from "../../db/connection.js";
import { MIGRATIONS, migrationsUpTo } from "../support/migrations.js";

describe("the editor role migration", () => {
  it("keeps every account, its sessions and the tags it confirmed, and accepts editors", () => {
    const db = openDatabase(":memory:");
    migrate(db, migrationsUpTo(9));
    db.prepare(
      "INSERT INTO officers (id, email, name, role, password_hash, created_at) VALUES (7, 'a@example.gov.uk', 'A', 'analyst', 'h', 't')",
    ).run();
    db.prepare(
      "INSERT INTO sessions (id, officer_id, created_at, last_seen_at, expires_at) VALUES ('s', 7, 't', 't', 't')",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO officers (email, name, role, password_hash, created_at) VALUES ('e@example.gov.uk', 'E', 'editor', 'h', 't')",
        )
        .run(),
    ).toThrow(/CHECK/);

    migrate(db, MIGRATIONS);
    expect(db.prepare("SELECT id, role FROM officers").all()).toEqual([{ id: 7, role: "analyst" }]);
    expect(db.prepare("SELECT officer_id FROM sessions").all()).toEqual([{ officer_id: 7 }]);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    db.prepare(
      "INSERT INTO officers (email, name, role, password_hash, created_at) VALUES ('e@example.gov.uk', 'E', 'editor', 'h', 't')",
    ).run();
    // Sessions still cascade with their officer: the rebuilt table is the one they refer to.
    db.prepare("DELETE FROM officers WHERE id = 7").run();
    expect(db.prepare("SELECT count(*) AS n FROM sessions").get()).toEqual({ n: 0 });
  });
});
