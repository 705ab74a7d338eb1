import { describe, expect, it } from "vitest";
import { redact } from "../../analysis/redaction.js";
import { growth, linearAllowance } from "../support/growth.js";

/**
 * The worst inputs we know for each kind of personal data, at 2,000 and 16,000 characters: the cost
 * of redacting must grow no faster than the length (issue 8: quadratic e-mail matching let 200
 * crafted comments hold one public report request for 8 s).
 */
const worstCases: Record<string, (n: number) => string> = {
  "a long run of letters before an @ with no domain": (n) => `${"a".repeat(n)}@`,
  "letters and hyphens before a broken address": (n) => `${"A-".repeat(n / 2)}A.AA\u00000@0.AA`,
  "a long run of letters with no @": (n) => "ab.".repeat(n / 3),
  "many @ signs": (n) => "a@".repeat(n / 2),
  "a domain of many labels that never ends in letters": (n) => `x@${"a.".repeat(n / 2)}1`,
  "a + code followed by long runs of digits": (n) => "+1 2222222222222222222222222a ".repeat(n / 30),
  "groups of digits": (n) => `${"111 ".repeat(n / 4)}1a`,
  "an outward code followed by spaces": (n) => `A1${" ".repeat(n)}x`,
  "UK area codes one after another": (n) => "(0116) 3 ".repeat(n / 9),
  "titles one after another": (n) => "Dr Mr Cllr ".repeat(n / 11),
  "names one after another": (n) => "Sarah Jones ".repeat(n / 12),
  "house numbers before capitalised words that never reach a street": (n) =>
    "12 High Green Blue Red ".repeat(n / 23),
  "a long sentence with no full stop": (n) => "and the nurse was kind ".repeat(n / 23),
};

describe("redact: cost grows linearly with the comment's length", () => {
  for (const [name, make] of Object.entries(worstCases)) {
    it(name, () => {
      const g = growth(make, redact, 2_000);
      expect(g.ratio, `${g.small.toFixed(3)} ms -> ${g.large.toFixed(3)} ms`).toBeLessThan(
        linearAllowance(g),
      );
    });
  }
});
