// Markdown and HTML from notebooks are untrusted (students write them, and their code prints HTML): everything goes
// through one allow-list. No scripts, styles, frames, forms, event handlers or javascript: URLs survive; images
// only as https: or data:image URLs; links get rel="noopener noreferrer nofollow ugc".
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const ALLOWED_TAGS = [
  "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "br", "hr", "blockquote", "pre", "code", "kbd", "samp", "var",
  "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption", "em", "strong", "b", "i", "u", "s", "del", "ins",
  "mark", "small", "sub", "sup", "abbr", "cite", "q", "dfn", "time", "wbr",
  "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "details", "summary",
];

const SAFE_IMAGE_URL = /^(?:https:\/\/|data:image\/(?:png|jpeg|gif|webp|svg\+xml)[;,])/i;
const ATTACHMENT_IMAGE = /^image\/(?:png|jpeg|gif|webp)$/;

export type Attachments = Record<string, Record<string, unknown>>;

/** A markdown cell's `attachment:<name>` image as a data: URL, when the attachment is a bitmap image. */
function attachmentUrl(attachments: Attachments | undefined, src: string): string | undefined {
  if (!attachments || !src.startsWith("attachment:")) return undefined;
  const bundle = attachments[decodeURIComponent(src.slice("attachment:".length))];
  if (!bundle) return undefined;
  for (const [mime, value] of Object.entries(bundle)) {
    const data = Array.isArray(value) ? value.join("") : value;
    if (ATTACHMENT_IMAGE.test(mime) && typeof data === "string" && isBase64(data)) return `data:${mime};base64,${data.replace(/\s+/g, "")}`;
  }
  return undefined;
}

export function isBase64(data: string): boolean {
  return data.length > 0 && /^[A-Za-z0-9+/=\s]+$/.test(data);
}

function options(opts: { attachments?: Attachments; demoteHeadings: boolean }): sanitizeHtml.IOptions {
  const heading = (level: number) => (opts.demoteHeadings ? `h${Math.min(level + 1, 6)}` : `h${level}`);
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      // rel is always replaced by the transform below.
      a: ["href", "title", "rel"],
      img: ["src", "alt", "title", "width", "height"],
      th: ["colspan", "rowspan", "align", "scope"],
      td: ["colspan", "rowspan", "align"],
      ol: ["start", "reversed"],
      code: ["class"],
      abbr: ["title"],
      time: ["datetime"],
      details: ["open"],
    },
    allowedClasses: { code: [/^language-[\w+-]{1,40}$/] },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["https", "data"] },
    allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    nonTextTags: ["script", "style", "textarea", "option", "noscript", "title", "iframe", "object", "embed", "svg", "math", "template", "select"],
    transformTags: {
      h1: heading(1),
      h2: heading(2),
      h3: heading(3),
      h4: heading(4),
      h5: heading(5),
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "noopener noreferrer nofollow ugc" } }),
      img: (tagName, attribs) => {
        const src = attachmentUrl(opts.attachments, attribs.src ?? "") ?? attribs.src ?? "";
        const { src: _dropped, ...rest } = attribs;
        return { tagName, attribs: SAFE_IMAGE_URL.test(src) ? { ...rest, src, alt: attribs.alt ?? "" } : rest };
      },
    },
    exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
    allowedStyles: {},
    parseStyleAttributes: false,
  };
}

/** Untrusted HTML (a notebook's text/html output, or rendered markdown) -> HTML safe to insert into a page. */
export function sanitizeNotebookHtml(html: string, opts: { attachments?: Attachments; demoteHeadings?: boolean } = {}): string {
  return sanitizeHtml(html, options({ attachments: opts.attachments, demoteHeadings: opts.demoteHeadings ?? false }));
}

const marked = new Marked({ gfm: true, breaks: false, async: false });

/**
 * Markdown (GitHub flavoured, raw HTML allowed as in Jupyter) -> sanitized HTML. Headings move down one level so
 * the page keeps its own <h1>; `attachment:` images resolve to the cell's attachments.
 */
export function renderMarkdown(markdown: string, attachments?: Attachments): string {
  const html = marked.parse(markdown, { async: false });
  return sanitizeNotebookHtml(html, { attachments, demoteHeadings: true });
}

/** Whether sanitized HTML still shows anything (an HTML output made only of scripts sanitizes to nothing). */
export function showsSomething(html: string): boolean {
  return /<img\b/i.test(html) || sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).trim().length > 0;
}
