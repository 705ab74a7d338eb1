import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../server/markdown.js";

describe("proposals Markdown", () => {
  it("renders headings, lists and links in GOV.UK styles", () => {
    const html = renderMarkdown(
      "# What we propose\n\nWe will **close** two sites.\n\n## Why\n\n- cost\n- use\n\nRead [the plan](https://example.gov.uk/plan).",
    );
    expect(html).toContain('<h2 class="govuk-heading-m">What we propose</h2>');
    expect(html).toContain('<p class="govuk-body">We will <strong>close</strong> two sites.</p>');
    expect(html).toContain('<ul class="govuk-list govuk-list--bullet">');
    expect(html).toContain('<a href="https://example.gov.uk/plan" class="govuk-link">the plan</a>');
  });

  it("lets nothing run", () => {
    const html = renderMarkdown(
      [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[data](data:text/html,<script>alert(1)</script>)",
        '<a href="https://example.gov.uk" onclick="alert(1)" style="x">styled</a>',
        '<p class="evil" onmouseover="alert(1)">para</p>',
        "<iframe src='https://evil.example'></iframe>",
        "<form action='/x'><input name='a'></form>",
        '<li class="evil">item</li>',
      ].join("\n\n"),
    );
    for (const bad of [
      "<script",
      "onerror",
      "javascript:",
      "data:",
      "onclick",
      "style=",
      "<img",
      "<iframe",
      "<form",
      "<input",
      "evil",
      "onmouseover",
    ])
      expect(html).not.toContain(bad);
    expect(html).toContain("styled");
    expect(html).toContain("para");
  });
});
