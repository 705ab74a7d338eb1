import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { parseDefinition } from "../../analysis/definition.js";
import { DefinitionConflictError } from "../../db/consultations.js";
import { openForCli } from "./context.js";

export function definitionCommands(program: Command) {
  const definition = program.command("definition").description("Consultation definitions");
  definition
    .command("load")
    .argument("<file>", "a consultation definition (JSON)")
    .description("Validate a definition file and store it; every error is reported with its JSON path")
    .action((file: string) => {
      process.exitCode = loadDefinitionFile(
        file,
        (line) => console.log(line),
        (line) => console.error(line),
      );
    });
}

/** Returns the exit code: 0 stored, 1 invalid or refused. */
export function loadDefinitionFile(file: string, out: (l: string) => void, err: (l: string) => void): number {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    err(
      code === "ENOENT"
        ? `${file}: file not found`
        : code === "EISDIR"
          ? `${file} is a folder, not a file`
          : `${file}: cannot be read (${code ?? String(e)})`,
    );
    return 1;
  }
  let input: unknown;
  try {
    input = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    err(`${file}: cannot read it as JSON: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const parsed = parseDefinition(input);
  if (!parsed.ok) {
    const n = parsed.errors.length;
    err(
      `${file} is not a valid consultation definition (${n} ${n === 1 ? "problem" : "problems"}; nothing was stored):`,
    );
    for (const e of parsed.errors) err(`  ${e.path}: ${e.message}`);
    return 1;
  }
  const { db, services } = openForCli();
  try {
    const saved = services.consultations.store(parsed.definition, { savedBy: "definition load" });
    const pages = `${parsed.definition.pages.length} pages`;
    if (saved.created) out(`Stored consultation "${parsed.definition.slug}" (${pages})`);
    else {
      out(`Saved version ${saved.version} of consultation "${parsed.definition.slug}" (${pages})`);
      for (const change of saved.changes) out(`  ${change}`);
      if (saved.changes.length === 0) out("  Nothing changed.");
    }
    return 0;
  } catch (e) {
    if (e instanceof DefinitionConflictError) {
      err(e.message);
      return 1;
    }
    throw e;
  } finally {
    db.close();
  }
}
