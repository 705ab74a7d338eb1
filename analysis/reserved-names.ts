/**
 * Names an id or code may not take: every property of Object.prototype ("constructor" is the one
 * the id and code patterns let through), so that no lookup by id can meet a built-in property.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  "prototype",
  "__proto__",
]);

export const notReserved = (value: string) => !RESERVED_NAMES.has(value);
export const reservedMessage = (what: string) => ({
  message: `"constructor" and the other names JavaScript objects keep for themselves cannot be ${what}; choose another`,
});
