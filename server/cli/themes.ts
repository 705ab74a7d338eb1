import type { Command } from "commander";
import { PREDICT_DEFAULTS, predictThemesFile } from "../services/theme-predict-file.js";

export function themesCommands(program: Command) {
  const themes = program.command("themes").description("Comment themes");
  themes
    .command("predict")
    .description(
      "Learn themes from a labelled CSV (one 0/1 column per theme) and write each comment's themes " +
        'of another CSV as "Comment ID,labels", the labels joined by "|"',
    )
    .requiredOption("--train <labelled.csv>", "comments with their themes")
    .requiredOption("--input <comments.csv>", "comments to give themes to")
    .requiredOption("--out <predictions.csv>", "where to write the themes")
    .option("--id-column <name>", "the comment id column", PREDICT_DEFAULTS.idColumn)
    .option("--text-column <name>", "the comment text column", PREDICT_DEFAULTS.textColumn)
    .option(
      "--rating-column <name>",
      'a closed answer used beside the text ("" for none)',
      PREDICT_DEFAULTS.ratingColumn,
    )
    .option(
      "--first-label-column <name or number>",
      "the first theme column (1-based number or name); every column from it on is a theme",
      PREDICT_DEFAULTS.firstLabelColumn,
    )
    .option("--seed <n>", "seed of the inner folds and the training order", String(PREDICT_DEFAULTS.seed))
    .action(
      (opts: {
        train: string;
        input: string;
        out: string;
        idColumn: string;
        textColumn: string;
        ratingColumn: string;
        firstLabelColumn: string;
        seed: string;
      }) => {
        const seed = Number(opts.seed);
        if (!Number.isInteger(seed) || seed < 0) throw new Error("--seed must be a whole number, 0 or more");
        const s = predictThemesFile({ ...opts, seed });
        console.log(
          `Learned ${s.learned} of ${s.themes} themes from ${s.trained} comments; wrote the themes of ` +
            `${s.predicted} comments to ${opts.out}`,
        );
      },
    );
}
