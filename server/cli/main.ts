import { Command } from "commander";
import { definitionCommands } from "./definition.js";
import { exportCommands } from "./export.js";
import { importCommand } from "./import.js";
import { reportCommand } from "./report.js";

const program = new Command()
  .name("sounding")
  .description("Sounding analyst commands. The database is SOUNDING_DB (default ./data/sounding.db).")
  .showHelpAfterError();

definitionCommands(program);
exportCommands(program);
importCommand(program);
reportCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
