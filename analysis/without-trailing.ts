/**
 * `text` without the given character at its end ("a-b--" -> "a-b"). A loop, not `/-+$/`: a regex
 * engine retries that pattern at every character of a long run, which is quadratic on typed input.
 */
export function withoutTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}
