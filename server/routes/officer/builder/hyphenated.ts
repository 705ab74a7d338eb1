import { withoutTrailing } from "../../../../analysis/without-trailing.js";

/** Ids and web addresses made from words typed by an officer. */
/** Lower-case words joined by hyphens, at most `maxLength` long: "About you!" -> "about-you". */
export function hyphenated(words: string, maxLength: number): string {
  const joined = words
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "");
  return withoutTrailing(joined.slice(0, maxLength), "-");
}
