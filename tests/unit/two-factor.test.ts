import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrate, openDatabase } from "../../db/connection.js";
import { TwoFactorRepository } from "../../db/two-factor.js";
import { AuditRepository } from "../../db/audit.js";
import { AuditService } from "../../server/services/audit.js";
import { groupedSecret, TwoFactorService } from "../../server/services/two-factor.js";
import { codeAt } from "../support/two-factor.js";

/** A database with one officer, and the service over it with a clock the test moves. */
function setUp(appSecret = "a secret of the app, thirty-two characters or more") {
  const db = openDatabase(":memory:");
  migrate(db, join(process.cwd(), "db", "migrations"));
  const id = Number(
    db
      .prepare(
        "INSERT INTO officers (email, name, role, password_hash, created_at) VALUES ('a@example.gov.uk', 'A', 'officer', 'x', '2026-01-01T00:00:00Z')",
      )
      .run().lastInsertRowid,
  );
  const clock = { now: new Date("2026-12-02T10:00:10Z") };
  const make = (secret: string) =>
    new TwoFactorService(
      new TwoFactorRepository(db),
      new AuditService(new AuditRepository(db), () => clock.now),
      () => clock.now,
      secret,
      "Sounding",
    );
  const service = make(appSecret);
  const officer = { id, email: "a@example.gov.uk" };
  const actions = () => db.prepare("SELECT action FROM audit_events ORDER BY id").pluck().all() as string[];
  return { db, service, officer, clock, make, actions };
}

function turnedOn() {
  const s = setUp();
  const setUpKey = s.service.setUpSecret(s.officer);
  if (!setUpKey) throw new Error("not offered");
  const codes = s.service.confirm(s.officer, codeAt(setUpKey.secret, s.clock.now));
  if (!codes) throw new Error("refused");
  return { ...s, secret: setUpKey.secret, codes };
}
const later = (s: { clock: { now: Date } }, seconds: number) => {
  s.clock.now = new Date(s.clock.now.getTime() + seconds * 1000);
};

describe("two-factor codes", () => {
  it("offers one key until confirmed, as text grouped in fours and as an otpauth:// address", () => {
    const s = setUp();
    const first = s.service.setUpSecret(s.officer);
    expect(first?.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(s.service.setUpSecret(s.officer)?.secret).toBe(first?.secret);
    expect(first?.uri).toMatch(/^otpauth:\/\/totp\/Sounding:a%40example\.gov\.uk\?/);
    expect(first?.uri).toContain(`secret=${first?.secret}`);
    expect(groupedSecret("ABCDEFGHIJ")).toBe("ABCD EFGH IJ");
    expect(s.service.isOn(s.officer.id)).toBe(false);
  });

  it("keeps the key encrypted: the stored value is not the key, and another app secret cannot read it", () => {
    const s = turnedOn();
    const stored = s.db.prepare("SELECT totp_secret FROM officers").pluck().get() as string;
    expect(stored).not.toContain(s.secret);
    later(s, 30);
    expect(
      s
        .make("a different secret of the app, also long enough")
        .check(s.officer.id, codeAt(s.secret, s.clock.now)),
    ).toEqual({ ok: false });
    expect(s.service.check(s.officer.id, codeAt(s.secret, s.clock.now))).toEqual({ ok: true, how: "code" });
  });

  it("is not on until a current code confirms it, and a wrong one changes nothing", () => {
    const s = setUp();
    const key = s.service.setUpSecret(s.officer);
    if (!key) throw new Error("not offered");
    expect(s.service.confirm(s.officer, codeAt(key.secret, s.clock.now, 3))).toBeUndefined();
    expect(s.service.confirm(s.officer, "abcdef")).toBeUndefined();
    expect(s.service.isOn(s.officer.id)).toBe(false);
    const codes = s.service.confirm(s.officer, codeAt(key.secret, s.clock.now));
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(s.service.isOn(s.officer.id)).toBe(true);
    expect(s.actions()).toEqual(["two-factor-on"]);
  });

  it("accepts a code one step either side of now, and not two", () => {
    const s = turnedOn();
    later(s, 120);
    expect(s.service.check(s.officer.id, codeAt(s.secret, s.clock.now, -2))).toEqual({ ok: false });
    expect(s.service.check(s.officer.id, codeAt(s.secret, s.clock.now, 2))).toEqual({ ok: false });
    expect(s.service.check(s.officer.id, codeAt(s.secret, s.clock.now, -1)).ok).toBe(true);
    later(s, 120);
    expect(s.service.check(s.officer.id, codeAt(s.secret, s.clock.now, 1)).ok).toBe(true);
    later(s, 120);
    expect(s.service.check(s.officer.id, codeAt(s.secret, s.clock.now)).ok).toBe(true);
  });

  it("refuses a code used before, and an earlier one after a later one", () => {
    const s = turnedOn();
    // The code that confirmed set-up cannot sign in.
    expect(s.service.check(s.officer.id, codeAt(s.secret, s.clock.now))).toEqual({ ok: false });
    later(s, 30);
    const now = codeAt(s.secret, s.clock.now);
    expect(s.service.check(s.officer.id, now).ok).toBe(true);
    expect(s.service.check(s.officer.id, now)).toEqual({ ok: false });
    later(s, 30);
    expect(s.service.check(s.officer.id, codeAt(s.secret, s.clock.now, 1)).ok).toBe(true);
    // The current step is now behind the last used one: refused though inside the window.
    expect(s.service.check(s.officer.id, codeAt(s.secret, s.clock.now))).toEqual({ ok: false });
  });

  it("takes each recovery code once, in any case and with or without its hyphen", () => {
    const s = turnedOn();
    const [first = "", second = ""] = s.codes;
    expect(first).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(s.service.check(s.officer.id, first)).toEqual({ ok: true, how: "recovery code" });
    expect(s.service.check(s.officer.id, first)).toEqual({ ok: false });
    expect(s.service.check(s.officer.id, ` ${second.replace("-", "").toUpperCase()} `).ok).toBe(true);
    expect(s.service.recoveryCodesLeft(s.officer.id)).toBe(8);
    const hashes = s.db.prepare("SELECT code_hash FROM officer_recovery_codes").pluck().all() as string[];
    for (const code of s.codes) expect(hashes.join()).not.toContain(code.replace("-", ""));
  });

  it("a half-done sign-in ends after five minutes, and after five wrong codes", () => {
    const s = turnedOn();
    const token = s.service.startSignIn(s.officer.id);
    expect(s.service.pendingOfficer(token)).toBe(s.officer.id);
    for (let i = 0; i < 4; i++) expect(s.service.finishSignIn(token, "000000")).toBe("wrong");
    expect(s.service.finishSignIn(token, "000000")).toBe("too-many");
    later(s, 30);
    expect(s.service.finishSignIn(token, codeAt(s.secret, s.clock.now))).toBe("gone");
    const second = s.service.startSignIn(s.officer.id);
    later(s, 5 * 60 + 1);
    expect(s.service.finishSignIn(second, codeAt(s.secret, s.clock.now))).toBe("gone");
    const third = s.service.startSignIn(s.officer.id);
    expect(s.service.finishSignIn(third, codeAt(s.secret, s.clock.now))).toEqual({
      officerId: s.officer.id,
      how: "code",
    });
    expect(s.service.pendingOfficer(third)).toBeUndefined();
    expect(s.actions().filter((a) => a === "two-factor-failed")).toHaveLength(5);
  });
});
