/**
 * Display formatting for results. The analysis functions (likert, choice, paired) return UNROUNDED
 * fractions of 1; round only here, at the moment of display, and keep the unrounded values in CSV
 * exports so that re-analysis does not compound rounding. Consequence worth knowing: rounded
 * percentages of a question need not add up to exactly 100%.
 *
 * Style follows the GOV.UK style guide: "%" with no space, and "to" rather than a dash in ranges.
 * Whole-number percentages by default: survey bases rarely justify a decimal place.
 */

/** Shown where there is no value (no respondents, so no share): an en dash. */
export const NO_VALUE = "\u2013";
/** A true minus sign (U+2212): typographically right, and screen readers tend to say "minus" for it. */
const MINUS = "\u2212";

/**
 * Rounds half away from zero at `digits` decimals. The value is first cut to 12 significant digits
 * so that binary noise does not decide a half: 0.285 * 100 is 28.499999999999996 in floating point,
 * but 57 of 200 is 28.5% and should show as 29%.
 */
function roundHalfAway(value: number, digits: number): number {
  const cleaned = Number(value.toPrecision(12));
  const factor = 10 ** digits;
  return (Math.sign(cleaned) * Math.round(Math.abs(cleaned) * factor)) / factor;
}

function magnitude(value: number, digits: number): string {
  return Math.abs(value).toFixed(digits);
}

/** A share (fraction of 1) as a percentage: percent(0.5207) = "52%", percent(null) = "–". */
export function percent(share: number | null | undefined, digits = 0): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return NO_VALUE;
  const rounded = roundHalfAway(share * 100, digits);
  return `${rounded < 0 ? MINUS : ""}${magnitude(rounded, digits)}%`;
}

/** Signed number with U+2212 for negatives and "+" for positives; no sign on a rounded zero. */
function signed(value: number, digits: number): string {
  const rounded = roundHalfAway(value, digits);
  const sign = rounded > 0 ? "+" : rounded < 0 ? MINUS : "";
  return `${sign}${magnitude(rounded, digits)}`;
}

/**
 * A shift in a share (fraction of 1) as percentage points: pointShift(0.12) = "+12 points",
 * pointShift(-0.034) = "−3 points", pointShift(0.01) = "+1 point", pointShift(null) = "–".
 */
export function pointShift(difference: number | null | undefined, digits = 0): string {
  if (difference === null || difference === undefined || !Number.isFinite(difference)) return NO_VALUE;
  const text = signed(difference * 100, digits);
  return `${text} ${Math.abs(roundHalfAway(difference * 100, digits)) === 1 ? "point" : "points"}`;
}

/**
 * A 95% interval in words. As percentages: formatInterval({ lower: 0.64, upper: 0.88 }) =
 * "64% to 88%". As a shift: formatInterval({ lower: -0.02, upper: 0.15 }, 0, "points") =
 * "−2 to +15 points".
 */
export function formatInterval(
  interval: { lower: number; upper: number },
  digits = 0,
  unit: "percent" | "points" = "percent",
): string {
  if (unit === "percent") return `${percent(interval.lower, digits)} to ${percent(interval.upper, digits)}`;
  return `${signed(interval.lower * 100, digits)} to ${signed(interval.upper * 100, digits)} points`;
}

/**
 * The shift shown beside two rounded shares: the difference of the percentages as printed, so that
 * "33% to 51%" always reads "+18 points" (the unrounded shift, in the CSV, can differ by a point).
 */
export function shownShift(
  before: number | null | undefined,
  after: number | null | undefined,
  digits = 0,
): string {
  if (before === null || before === undefined || after === null || after === undefined) return NO_VALUE;
  if (!Number.isFinite(before) || !Number.isFinite(after)) return NO_VALUE;
  const difference = roundHalfAway(after * 100, digits) - roundHalfAway(before * 100, digits);
  return pointShift(difference / 100, digits);
}

/** A p value as every page prints it: "0.042", "< 0.001"; "–" where there was nothing to test. */
export function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return NO_VALUE;
  if (p < 0.001) return "< 0.001";
  return roundHalfAway(p, 3).toFixed(3);
}

/** A mean to one decimal place: "3.8"; "–" when there is none. */
export function decimal(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  const rounded = roundHalfAway(value, digits);
  return `${rounded < 0 ? MINUS : ""}${magnitude(rounded, digits)}`;
}
