import { z } from "zod";
import type { Scale, ScaleGroup } from "../../../../../analysis/scales.js";
import { scaleGroups } from "../../../../../analysis/scales.js";
import type { FieldError } from "../save.js";

export const scaleFormSchema = z.strictObject({
  name: z.string().max(1000).default(""),
  id: z.string().max(200).default(""),
  options: z.string().max(20_000).default(""),
  _csrf: z.string().optional(),
});
export type ScaleForm = z.infer<typeof scaleFormSchema>;

const groupOf = (word: string | undefined): ScaleGroup | undefined =>
  scaleGroups.find((g) => g === (word ?? "").toLowerCase());

/**
 * A scale's options from lines "code | Label | group", best first. Scored options are scored from
 * their count down to 1 in that order; "excluded" ones (don't know) have no score.
 */
export function readScaleOptions(raw: string, errors: FieldError[]): Scale["options"] {
  const lines = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const parts = lines.map((l) => l.split("|").map((p) => p.trim()));
  const bad = parts.findIndex((p) => p.length !== 3 || !p[0] || !p[1] || groupOf(p[2]) === undefined);
  if (bad !== -1) {
    errors.push({
      field: "options",
      text: `Line ${bad + 1} must be a code, a label and a group (${scaleGroups.join(", ")}) separated by bars, like \u2018agree | Agree | positive\u2019`,
    });
    return [];
  }
  let score = parts.filter((p) => groupOf(p[2]) !== "excluded").length;
  return parts.map(([code = "", label = "", group = ""]) => {
    const g = groupOf(group) ?? "excluded";
    return { code, label, group: g, score: g === "excluded" ? null : score-- };
  });
}

export const scaleLines = (scale: Scale) =>
  scale.options.map((o) => `${o.code} | ${o.label} | ${o.group}`).join("\n");
