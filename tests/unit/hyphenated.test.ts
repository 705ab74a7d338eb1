import { describe, expect, it } from "vitest";
import { withoutTrailing } from "../../analysis/without-trailing.js";
import { hyphenated } from "../../server/routes/officer/builder/hyphenated.js";

describe("ids made from typed words", () => {
  it("joins words with single hyphens and cuts them at the end of the length", () => {
    expect(hyphenated("  About you!  ", 60)).toBe("about-you");
    expect(hyphenated("Café -- opening hours", 60)).toBe("cafe-opening-hours");
    expect(hyphenated("Library opening hours", 8)).toBe("library");
  });

  it("takes off only the trailing run of the character", () => {
    expect(withoutTrailing("a-b---", "-")).toBe("a-b");
    expect(withoutTrailing("https://x.gov.uk//", "/")).toBe("https://x.gov.uk");
    expect(withoutTrailing("---", "-")).toBe("");
    expect(withoutTrailing("abc", "-")).toBe("abc");
  });

  it("handles a long run of hyphens followed by something else", () => {
    const text = `${"-".repeat(50_000)}x-`;
    expect(withoutTrailing(text, "-")).toBe(`${"-".repeat(50_000)}x`);
  });
});
