import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

/** Its own instance, so no other code's marked options can change how proposals render. */
const marked = new Marked({ async: false, gfm: true });

/** GOV.UK classes for what the Markdown may hold. Headings start at h2: the page's h1 comes first. */
const STYLED: Record<string, { tag: string; cls: string }> = {
  h1: { tag: "h2", cls: "govuk-heading-m" },
  h2: { tag: "h2", cls: "govuk-heading-m" },
  h3: { tag: "h3", cls: "govuk-heading-s" },
  h4: { tag: "h4", cls: "govuk-heading-s" },
  h5: { tag: "h4", cls: "govuk-heading-s" },
  h6: { tag: "h4", cls: "govuk-heading-s" },
  p: { tag: "p", cls: "govuk-body" },
  ul: { tag: "ul", cls: "govuk-list govuk-list--bullet" },
  ol: { tag: "ol", cls: "govuk-list govuk-list--number" },
  a: { tag: "a", cls: "govuk-link" },
};

/**
 * Headings, paragraphs, lists, emphasis, quotes and links survive; everything else (scripts,
 * images, forms, raw HTML, event handlers, style) is dropped, and links may only be http(s),
 * mailto or on this site.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ["h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "a", "blockquote", "br", "code"],
  allowedAttributes: { a: ["href"] },
  // Only the classes set here survive: a class written in the Markdown's raw HTML is dropped.
  allowedClasses: Object.fromEntries(Object.values(STYLED).map(({ tag, cls }) => [tag, cls.split(" ")])),
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: Object.fromEntries(
    Object.entries(STYLED).map(([from, { tag, cls }]) => [
      from,
      (_name: string, attribs: sanitizeHtml.Attributes) => ({
        tagName: tag,
        attribs: { ...attribs, class: cls },
      }),
    ]),
  ),
};

/** Proposals Markdown as safe HTML in GOV.UK styles. */
export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown) as string, OPTIONS);
}

const rendered = new WeakMap<object, string>();

/** A definition's proposals as HTML, rendered once per stored definition (they are cached objects). */
export function proposalsHtml(definition: { proposals?: string | undefined }): string | undefined {
  if (!definition.proposals) return undefined;
  let html = rendered.get(definition);
  if (html === undefined) {
    html = renderMarkdown(definition.proposals);
    rendered.set(definition, html);
  }
  return html;
}
