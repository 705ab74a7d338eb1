import { randomBytes } from "node:crypto";
import { hash, type Options, parseOptions, verify } from "@node-rs/argon2";

/**
 * argon2id with OWASP's first recommended configuration: 19 MiB of memory, 2 iterations, 1 degree
 * of parallelism (m=19456 KiB, t=2, p=1). About 30 ms a hash on this kind of machine.
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id
 */
export const ARGON2ID: Readonly<Options> = Object.freeze({
  algorithm: 2, // Algorithm.Argon2id: a const enum, which isolatedModules cannot read from a .d.ts
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
});

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

/** False for a wrong password and for a stored hash that cannot be read. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with other parameters than today's, so it should be remade. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const o = parseOptions(passwordHash);
    return (
      o.algorithm !== ARGON2ID.algorithm ||
      o.memoryCost !== ARGON2ID.memoryCost ||
      o.timeCost !== ARGON2ID.timeCost ||
      o.parallelism !== ARGON2ID.parallelism
    );
  } catch {
    return true;
  }
}

// Verifying against this when an email is unknown makes a failed sign-in take as long whether or
// not the account exists, so timing does not tell which emails have accounts.
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString("base64url"));
  return dummy;
}

/** A generated password: 144 random bits, 24 URL-safe characters. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
