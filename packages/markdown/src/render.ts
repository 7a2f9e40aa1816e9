// The pipeline: markdown -> mdast (remark-gfm's micromark extensions; parse.ts does remark-parse's job in pieces) -> hast (remark-rehype, raw HTML parsed by
// hast-util-raw as on GitHub) -> rehype-sanitize (schema.ts) -> our passes on the sanitized tree -> HTML.
// Extensions run after sanitizing on purpose: what they add (classes, data-video-time, resolved hrefs) comes from
// the pipeline and its resolvers, so users cannot forge it in raw HTML, and the sanitizer never has to allow it.
import type { Root as HastRoot } from "hast";
import { fromHtml } from "hast-util-from-html";
import { raw } from "hast-util-raw";
import { toHtml } from "hast-util-to-html";
import type { Root as MdastRoot } from "mdast";
import rehypeSanitize from "rehype-sanitize";
import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { VFile } from "vfile";
import { flatHtml, flatMarkdown, limitDepth } from "./depth";
import { parseMarkdown } from "./parse";
import { HTML_OPTIONS, highlightFences } from "./highlight";
import { contextOf, newContext } from "./plugins/context";
import { images } from "./plugins/images";
import { headings } from "./plugins/headings";
import { finish, outboundLinks } from "./plugins/links";
import { mentions } from "./plugins/mentions";
import { quotes } from "./plugins/quotes";
import { bareVideoTimes, videoTimeLines } from "./plugins/video-time";
import { wikiLinks } from "./plugins/wiki-links";
import { schema } from "./schema";
import type { Rendered, RenderOptions } from "./types";

function markdownGuards() {
  return (tree: MdastRoot, file: VFile) => {
    limitDepth(tree, flatMarkdown);
    // Raw HTML turned off: show it as the text it is.
    if (contextOf(file).options.rawHtml === false) {
      visit(tree, "html", (node) => {
        (node as unknown as { type: string }).type = "text";
      });
    }
  };
}

/** rehype-raw, only when the text had raw HTML (re-parsing the whole tree otherwise costs time for nothing). */
function rawWhenNeeded() {
  return (tree: HastRoot, file: VFile) => {
    // Raw HTML starts with `<`: text without one has none, and the walk looking for it is skipped.
    let found = false;
    if (String(file.value).includes("<")) {
      visit(tree, "raw", () => {
        found = true;
        return false;
      });
    }
    const out = found ? (raw(tree) as HastRoot) : tree;
    limitDepth(out, flatHtml);
    return out;
  };
}

function htmlGuards() {
  return (tree: HastRoot) => limitDepth(tree, flatHtml);
}

/** The passes every text goes through once it is a hast tree: sanitize, then our extensions, then finishing. */
const sanitizedPasses = [
  [rehypeSanitize, schema],
  [quotes],
  [wikiLinks],
  [bareVideoTimes],
  [mentions],
  [images],
  [finish],
  [outboundLinks],
  [headings],
  [highlightFences],
  [videoTimeLines],
] as const;

const markdownProcessor = unified()
  .use(remarkGfm)
  .use(parseMarkdown)
  .use(markdownGuards)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rawWhenNeeded)
  .use(sanitizedPasses.map(([plugin, ...settings]) => [plugin, ...settings]) as never)
  .use(rehypeStringify, HTML_OPTIONS)
  .freeze();

const htmlProcessor = unified()
  .use(htmlGuards)
  .use(sanitizedPasses.map(([plugin, ...settings]) => [plugin, ...settings]) as never)
  .freeze();

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** When a tree utility fails on pathological input the reader still gets the words, escaped, never raw. */
function fallback(input: string, options: RenderOptions): Rendered {
  return { html: `<pre class="render-failed">${escapeHtml(input)}</pre>`, found: newContext(options).found };
}

/** Markdown (GitHub flavoured, raw HTML allowed and sanitized) -> safe HTML and what the text links to. */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): Rendered {
  const ctx = newContext(options);
  try {
    const file = markdownProcessor.processSync(new VFile({ value: markdown, data: { course: ctx } }));
    return { html: String(file), found: ctx.found };
  } catch (error) {
    if (error instanceof RangeError) return fallback(markdown, options);
    throw error;
  }
}

/** Untrusted HTML (a notebook's text/html output) -> safe HTML, through the same sanitizer and passes. */
export function renderHtml(html: string, options: RenderOptions = {}): Rendered {
  const ctx = newContext(options);
  try {
    const file = new VFile({ data: { course: ctx } });
    const tree = htmlProcessor.runSync(fromHtml(html, { fragment: true }), file) as HastRoot;
    return { html: toHtml(tree, HTML_OPTIONS), found: ctx.found };
  } catch (error) {
    if (error instanceof RangeError) return fallback(html, options);
    throw error;
  }
}
