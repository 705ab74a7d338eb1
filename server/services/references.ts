import { createHash, randomBytes, randomInt } from "node:crypto";

// Crockford's base32 without I, L, O and U: easy to read aloud and to type from a letter.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A readable response reference such as SND-7F3K-9Q2M (32^8, about 10^12, possibilities). */
export function newReference(): string {
  let chars = "";
  for (let i = 0; i < 8; i++) chars += ALPHABET[randomInt(ALPHABET.length)];
  return `SND-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

export const REFERENCE_PATTERN = /^SND-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** A secret for a cookie; only its hash is stored, so a copy of the database cannot resume drafts. */
export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
