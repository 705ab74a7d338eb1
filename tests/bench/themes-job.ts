/**
 * One run of `sounding themes predict` for the themes benchmark, in a process of its own so that
 * its peak memory is its own: argv TRAIN INPUT OUT SEED; prints one JSON line with the times and
 * the peak resident set size.
 */
import { PREDICT_DEFAULTS, predictThemesFile } from "../../server/services/theme-predict-file.js";

const [train, input, out, seed] = process.argv.slice(2);
if (!train || !input || !out) throw new Error("usage: themes-job TRAIN INPUT OUT [SEED]");
const summary = predictThemesFile({ ...PREDICT_DEFAULTS, train, input, out, seed: Number(seed ?? 1) });
console.log(JSON.stringify({ ...summary, peakMb: process.resourceUsage().maxRSS / 1024 }));
