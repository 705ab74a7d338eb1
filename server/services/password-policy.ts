import { createRequire } from "node:module";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./passwords.js";

/**
 * What a new officer password must be: long enough, not absurdly long, and not one of the
 * passwords attackers try first. NCSC and NIST SP 800-63B both ask for a denylist of common and
 * breached passwords rather than composition rules:
 * https://www.ncsc.gov.uk/collection/passwords/updating-your-approach
 * https://pages.nist.gov/800-63-4/sp800-63b.html#passwordver
 *
 * The list is zxcvbn-ts's "passwords-common" (about 49,000 passwords from breach corpora). A
 * password is refused when it is on the list, or is a listed password with digits and symbols
 * added at the end ("Summer2026!!!!"), as people strengthen a refused password that way.
 */

export const COMMON_PASSWORD_MESSAGE =
  "Choose a password that is harder to guess: this one is on a list of common passwords that attackers try first";

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  // Built (and the package loaded: it decompresses every list it holds, ~0.1 s) on first use: a
  // set of 49,000 strings is not needed by a server nobody signs in to.
  if (!common) {
    const { dictionary } = createRequire(import.meta.url)(
      "@zxcvbn-ts/language-common",
    ) as typeof import("@zxcvbn-ts/language-common");
    common = new Set(dictionary["passwords-common"].map((p) => String(p).toLowerCase()));
  }
  return common;
}

/** The password with the digits, spaces and symbols it ends with taken off. */
function withoutTrailingDecoration(password: string): string {
  let end = password.length;
  while (end > 0 && !/\p{L}/u.test(password.charAt(end - 1))) end--;
  return password.slice(0, end);
}

export function isCommonPassword(password: string): boolean {
  const lower = password.trim().toLowerCase();
  const list = commonPasswords();
  if (list.has(lower)) return true;
  const base = withoutTrailingDecoration(lower);
  // A base of three letters or fewer ("abc" + a long number) is not a listed password made longer.
  return base.length >= 4 && list.has(base);
}

/** Why a new password cannot be used, in words for the person choosing it; undefined if it can. */
export function passwordProblem(password: string): string | undefined {
  if (password === "") return "Enter a password";
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  if (isCommonPassword(password)) return COMMON_PASSWORD_MESSAGE;
  return undefined;
}

/** A password refused by passwordProblem, with its message. */
export class WeakPasswordError extends Error {}
