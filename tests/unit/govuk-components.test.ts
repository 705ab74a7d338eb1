/**
 * The EJS ports of govuk-frontend's Nunjucks macros (views/partials/govuk/*.ejs)
 * are checked against the fixtures.json that govuk-frontend ships for each
 * component: every fixture's `options` is rendered through the partial and the
 * result compared with the fixture's `html`, after both are parsed with parse5
 * and serialised canonically (insignificant whitespace dropped, attributes
 * sorted, class lists sorted).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ejs from "ejs";
import { type DefaultTreeAdapterTypes, parseFragment } from "parse5";
import { describe, expect, it } from "vitest";

type ChildNode = DefaultTreeAdapterTypes.ChildNode;

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const VIEWS_DIR = join(ROOT, "views");
const COMPONENTS_DIR = join(ROOT, "node_modules", "govuk-frontend", "dist", "govuk", "components");

const COMPONENTS = [
  "error-summary",
  "select",
  "error-message",
  "hint",
  "label",
  "fieldset",
  "input",
  "textarea",
  "character-count",
  "radios",
  "checkboxes",
  "date-input",
  "button",
  "back-link",
  "summary-list",
  "table",
  "tag",
  "notification-banner",
  "panel",
  "skip-link",
  "inset-text",
  "warning-text",
  "details",
] as const;

type Component = (typeof COMPONENTS)[number];

// Every fixture govuk-frontend ships for these components is compared; none is excluded.
// (No fixture needs Nunjucks `caller`: the partials take `html` instead.)

interface Fixture {
  name: string;
  options: Record<string, unknown>;
  html: string;
}

function loadFixtures(component: Component): Fixture[] {
  const file = join(COMPONENTS_DIR, component, "fixtures.json");
  const parsed: { fixtures: Fixture[] } = JSON.parse(readFileSync(file, "utf8"));
  return parsed.fixtures;
}

const WHITESPACE_SENSITIVE = new Set(["pre", "textarea"]);

function escapeText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\u00a0/g, "&nbsp;");
}

function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/\u00a0/g, "&nbsp;");
}

/**
 * Canonical form of a list of sibling nodes. Text is whitespace-collapsed and
 * trimmed at the start and end of its parent; whitespace-only text between
 * tags is dropped; attributes are sorted by name and class lists sorted.
 * Text inside <pre> and <textarea> is kept exactly.
 */
function canonicalChildren(nodes: ChildNode[], preserveWhitespace: boolean): string {
  const parts: string[] = [];
  for (const node of nodes) {
    if (node.nodeName === "#text" && "value" in node) {
      if (preserveWhitespace) {
        parts.push(escapeText(node.value));
        continue;
      }
      const collapsed = node.value.replace(/\s+/g, " ");
      if (collapsed.trim() !== "") parts.push(`#text:${collapsed}`);
    } else if (node.nodeName === "#comment" && "data" in node) {
      parts.push(`<!--${node.data}-->`);
    } else if ("tagName" in node) {
      const attributes = [...node.attrs]
        .map((attr) => {
          const name = attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name;
          const value =
            name === "class" ? attr.value.split(/\s+/).filter(Boolean).sort().join(" ") : attr.value;
          return { name, value };
        })
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map(({ name, value }) => ` ${name}="${escapeAttribute(value)}"`)
        .join("");
      const children = canonicalChildren(node.childNodes, WHITESPACE_SENSITIVE.has(node.tagName));
      parts.push(`<${node.tagName}${attributes}>${children}</${node.tagName}>`);
    }
  }
  if (preserveWhitespace) return parts.join("");
  // Trim text at the edges of the parent, then emit.
  const first = parts[0];
  if (first?.startsWith("#text:")) parts[0] = `#text:${first.slice(6).trimStart()}`;
  const lastIndex = parts.length - 1;
  const last = parts[lastIndex];
  if (last?.startsWith("#text:")) parts[lastIndex] = `#text:${last.slice(6).trimEnd()}`;
  return parts.map((part) => (part.startsWith("#text:") ? escapeText(part.slice(6)) : part)).join("");
}

function canonicalHtml(html: string): string {
  return canonicalChildren(parseFragment(html).childNodes, false);
}

function renderPartial(component: Component, params: Record<string, unknown>): Promise<string> {
  return ejs.renderFile(
    join(VIEWS_DIR, "partials", "govuk", `${component}.ejs`),
    { params },
    { views: [VIEWS_DIR], root: VIEWS_DIR, cache: true },
  );
}

describe("canonicalHtml", () => {
  it("ignores insignificant whitespace, attribute order and class order", () => {
    expect(canonicalHtml('<div  class="b a" id="x">\n  Hello\n   world <b>!</b>\n</div>')).toBe(
      canonicalHtml('<div id="x" class="a b">Hello world <b>!</b></div>'),
    );
  });

  it("still distinguishes different text, attributes and structure", () => {
    expect(canonicalHtml("<p>Hello</p>")).not.toBe(canonicalHtml("<p>Hello!</p>"));
    expect(canonicalHtml('<p class="a">x</p>')).not.toBe(canonicalHtml('<p class="a b">x</p>'));
    expect(canonicalHtml("<p>x <b>y</b></p>")).not.toBe(canonicalHtml("<p>x<b>y</b></p>"));
    expect(canonicalHtml("<textarea> x</textarea>")).not.toBe(canonicalHtml("<textarea>x</textarea>"));
  });
});

describe("calling convention", () => {
  it("renders a partial through include() with { params } from any view", () => {
    const html = ejs.render(
      "<%- include('/partials/govuk/tag', { params: { text: 'Draft <1>', classes: 'govuk-tag--grey' } }) %>",
      {},
      { filename: join(VIEWS_DIR, "pages", "example.ejs"), views: [VIEWS_DIR], root: VIEWS_DIR },
    );
    expect(canonicalHtml(html)).toBe(
      canonicalHtml('<strong class="govuk-tag govuk-tag--grey">Draft &lt;1&gt;</strong>'),
    );
  });
});

for (const component of COMPONENTS) {
  describe(`govuk ${component}`, () => {
    const fixtures = loadFixtures(component);

    it("has fixtures to compare", () => {
      expect(fixtures.length).toBeGreaterThan(0);
    });

    for (const fixture of fixtures) {
      it(fixture.name, async () => {
        const rendered = await renderPartial(component, fixture.options);
        expect(canonicalHtml(rendered)).toBe(canonicalHtml(fixture.html));
      });
    }
  });
}
