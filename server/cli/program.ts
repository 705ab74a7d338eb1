import { Command } from "commander";
import { definitionCommands } from "./definition.js";
import { exportCommands } from "./export.js";
import { importCommand } from "./import.js";
import { reportCommand } from "./report.js";
import { retentionCommands } from "./retention.js";
import { themesCommands } from "./themes.js";

/**
 * The analyst commands. `configure` runs before the commands are added, so that what it sets (such
 * as commander's exitOverride, which tests use to run a command in-process) reaches every command.
 */
export function cliProgram(configure: (program: Command) => void = () => {}): Command {
  const program = new Command()
    .name("sounding")
    .description("Sounding analyst commands. The database is SOUNDING_DB (default ./data/sounding.db).")
    .showHelpAfterError();
  configure(program);
  definitionCommands(program);
  exportCommands(program);
  importCommand(program);
  reportCommand(program);
  retentionCommands(program);
  themesCommands(program);
  return program;
}
