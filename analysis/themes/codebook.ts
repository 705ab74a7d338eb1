import { parseRules } from "./rules.js";

/** A theme as a codebook file or form gives it. */
export interface CodebookTheme {
  name: string;
  description: string;
  /** The parent theme's name, or "" for a top-level theme. */
  parent: string;
  /** Question ids it applies to; empty means every question with comments. */
  questions: string[];
  /** One rule per line. */
  rules: string;
}

/** A row of a codebook CSV file, with the line it starts on. */
export interface CodebookRow extends CodebookTheme {
  line: number;
}

export interface CodebookError {
  line: number;
  column: string;
  reason: string;
}

export const CODEBOOK_COLUMNS = ["name", "description", "parent", "questions", "rules"] as const;
export const THEME_LIMITS = { name: 100, description: 1000 } as const;

/** Question ids in a cell: separated by ";", "," or spaces. */
export function questionList(cell: string): string[] {
  return cell
    .split(/[;,\s]+/)
    .map((q) => q.trim())
    .filter((q) => q !== "");
}

const key = (name: string) => name.trim().toLowerCase();

/**
 * Check a whole codebook before any of it is stored: names present, short enough and unique
 * (whatever their case), parents known (in the file or already in the codebook), one level deep
 * with no cycles, questions that have comments, and rules that parse. Every problem is reported
 * with its line, so the officer can fix the file in one go.
 *
 * @param existing the codebook's current themes: name -> whether it has a parent.
 */
export function checkCodebook(
  rows: readonly CodebookRow[],
  questionIds: ReadonlySet<string>,
  existing: ReadonlyMap<string, { parent: string }> = new Map(),
): { ok: true; themes: CodebookTheme[] } | { ok: false; errors: CodebookError[] } {
  const errors: CodebookError[] = [];
  const fail = (line: number, column: string, reason: string) => errors.push({ line, column, reason });
  const firstLine = new Map<string, number>();
  for (const r of rows) {
    const name = r.name.trim();
    if (name === "") fail(r.line, "name", "Enter a name for the theme");
    else if (name.length > THEME_LIMITS.name)
      fail(r.line, "name", `Theme names must be ${THEME_LIMITS.name} characters or fewer`);
    else {
      const earlier = firstLine.get(key(name));
      if (earlier !== undefined) fail(r.line, "name", `"${name}" is also the name on line ${earlier}`);
      else firstLine.set(key(name), r.line);
    }
    if (r.description.length > THEME_LIMITS.description)
      fail(r.line, "description", `Descriptions must be ${THEME_LIMITS.description} characters or fewer`);
    for (const q of r.questions)
      if (!questionIds.has(q)) fail(r.line, "questions", `"${q}" is not a question with comments`);
    const rules = parseRules(r.rules);
    if (!rules.ok) fail(r.line, "rules", rules.error);
  }
  // Parents: the file's own rows win over the codebook's current themes of the same name.
  const parentOf = new Map<string, string>();
  for (const [name, t] of existing) parentOf.set(key(name), key(t.parent));
  for (const r of rows) if (r.name.trim() !== "") parentOf.set(key(r.name), key(r.parent));
  for (const r of rows) {
    const parent = key(r.parent);
    if (parent === "") continue;
    if (parent === key(r.name)) {
      fail(r.line, "parent", "A theme cannot be its own parent");
      continue;
    }
    if (!parentOf.has(parent)) {
      fail(r.line, "parent", `There is no theme called "${r.parent.trim()}" in the file or the codebook`);
      continue;
    }
    const grand = parentOf.get(parent) ?? "";
    if (grand === key(r.name))
      fail(r.line, "parent", `"${r.parent.trim()}" and "${r.name.trim()}" are each other's parent`);
    else if (grand !== "")
      fail(r.line, "parent", `"${r.parent.trim()}" has a parent itself: themes go one level deep`);
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  return {
    ok: true,
    themes: rows.map((r) => ({
      name: r.name.trim(),
      description: r.description.trim(),
      parent: r.parent.trim(),
      questions: r.questions,
      rules: r.rules.trim(),
    })),
  };
}
