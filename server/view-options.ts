import { join } from "node:path";

/**
 * The ejs options of every render, in the app and the CLI. Templates name each include from views/
 * ("/partials/govuk/input"), which ejs joins to `root`; a relative name costs ejs a file-system check
 * on every include of every render (several per question on a page of grids).
 */
export function viewOptions(projectRoot: string) {
  return { root: join(projectRoot, "views") };
}
