// Inline wikitext (one line, placeholders from prescan.ts in it) to markdown: links, images, categories, external
// links, bare URLs, ''italic''/'''bold''', the HTML tags MediaWiki allows, and escaped plain text.
import { codeSpan, escapeText, type InlinePlace } from "./markdown-text";
import { CLOSE, OPEN, type Span } from "./prescan";

export interface Unconverted {
  /** Line in the original wikitext, 1-based. */
  line: number;
  /** What it is: "template", "parser function", "magic word", "<ref>", "table", ... */
  construct: string;
  /** The wikitext, verbatim. */
  source: string;
}

export interface ConvertOptions {
  /** URL of an uploaded file (name without the `File:` prefix); default `/wiki/File:<Name_with_underscores>`. */
  fileUrl?: (name: string) => string;
  /** MediaWiki's $wgCapitalLinks: `[[foo]]` links to "Foo" (shown as "foo"). Default true. */
  capitalLinks?: boolean;
}

export interface InlineContext {
  spans: Span[];
  unconverted: Unconverted[];
  categories: string[];
  options: ConvertOptions;
}

type Item = { t: "text"; v: string } | { t: "raw"; v: string } | { t: "q"; n: number };

const URL_SCHEMES = "(?:https?|ftps?|sftp|mailto|irc|ircs|news|nntp|gopher|telnet|ssh|git|svn|xmpp|sip|sips|tel|sms|geo|magnet|urn):";
const EXTERNAL_LINK = new RegExp(`\\[((?:${URL_SCHEMES}|//)[^\\s\\]<>"\\[]+)(?:[ \\t]+([^\\]\\n]{0,2000}))?\\]`, "iy");
const BARE_URL = /(?:https?|ftps?):\/\/[^\s<>[\]"{}|\\^`\uE000]+/iy;
const HTML_TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(\/?)>/y;
const QUOTES = /'{2,}/y;
const SPECIAL = /[\uE000[<'hHfF]/g;

/** Tags the sanitizer keeps that markdown has no syntax for: passed through bare (attributes dropped). */
const KEPT_TAGS = new Set(["sub", "sup", "kbd", "small", "ins", "mark", "var", "samp", "q", "abbr", "cite", "dfn"]);
/** Presentational wrappers: the tags go, their content stays. */
const DROPPED_TAGS = new Set(["span", "div", "font", "center", "u", "big", "p", "hr", "nowiki"]);
const NAMESPACES: Record<string, string> = {
  file: "File", image: "File", media: "Media", category: "Category", template: "Template", help: "Help", user: "User",
  talk: "Talk", "user talk": "User talk", special: "Special", project: "Project", mediawiki: "MediaWiki",
};
const IMAGE_OPTION = /^(?:thumb|thumbnail|frame|framed|frameless|border|left|right|center|centre|none|upright(?:\s*=?\s*[\d.]+)?|baseline|sub|super|top|text-top|middle|bottom|text-bottom|\d*(?:x\d+)?\s*px|(?:link|alt|page|class|lang|loop|start|end|thumbtime|muted)\s*=.*)$/i;

function sticky(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

export function convertInline(text: string, ctx: InlineContext, place: InlinePlace, line: number): string {
  return render(applyQuotes(tokenize(text, ctx, place, line)), place);
}

/** Plain text of inline wikitext (labels, alt text): markup dropped, nothing escaped. */
export function plainText(text: string, ctx: InlineContext, line: number): string {
  return tokenize(text, ctx, "label", line)
    .map((item) => (item.t === "q" ? "" : item.v))
    .join("");
}

function tokenize(text: string, ctx: InlineContext, place: InlinePlace, line: number): Item[] {
  const items: Item[] = [];
  let buffer = "";
  const flush = () => {
    if (buffer) items.push({ t: "text", v: buffer });
    buffer = "";
  };
  const raw = (v: string) => {
    flush();
    items.push(place === "label" ? { t: "text", v } : { t: "raw", v });
  };
  const links = text.includes("[[") ? linkEnds(text) : new Map<number, number>();
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    let m: RegExpExecArray | null;
    if (c === OPEN) {
      const close = text.indexOf(CLOSE, i);
      const span = ctx.spans[Number(text.slice(i + 1, close))]!;
      const rendered = renderSpan(span, ctx, place);
      if (span.kind === "nowiki" || place === "label") buffer += rendered;
      else raw(rendered);
      i = close + 1;
      continue;
    }
    if (c === "[" && text[i + 1] === "[") {
      const end = links.get(i);
      if (end !== undefined) {
        const inner = text.slice(i + 2, end - 2);
        const trail = /^[a-z]+/.exec(text.slice(end))?.[0] ?? "";
        const link = internalLink(inner, trail, ctx, place, line);
        if (link !== undefined) {
          if (link.text) buffer += link.value;
          else raw(link.value);
          i = end + (link.usedTrail ? trail.length : 0);
          continue;
        }
      }
    }
    if (c === "[" && (m = sticky(EXTERNAL_LINK, text, i))) {
      const url = m[1]!;
      const label = m[2]?.trim();
      if (place === "label") buffer += label || url;
      else if (!label) raw(`<${url}>`);
      else raw(`[${convertInline(label, ctx, place === "table" ? "table" : "heading", line)}](${linkDestination(url)})`);
      i += m[0].length;
      continue;
    }
    if ((c === "h" || c === "H" || c === "f" || c === "F") && !/[\p{L}\p{N}]/u.test(text[i - 1] ?? " ")) {
      if ((m = sticky(BARE_URL, text, i))) {
        let url = m[0];
        url = url.replace(/''.*$/, "");
        url = url.replace(/[.,;:!?']+$/, "");
        if (url.endsWith(")") && !url.includes("(")) url = url.replace(/\)+$/, "");
        if (place === "label") buffer += url;
        else raw(`<${url}>`);
        i += url.length;
        continue;
      }
    }
    if (c === "'" && (m = sticky(QUOTES, text, i))) {
      flush();
      const n = m[0].length;
      // MediaWiki: four quotes are an apostrophe and bold; more than five, apostrophes and bold italic.
      if (n === 4) items.push({ t: "text", v: "'" }, { t: "q", n: 3 });
      else if (n > 5) items.push({ t: "text", v: "'".repeat(n - 5) }, { t: "q", n: 5 });
      else items.push({ t: "q", n });
      i += n;
      continue;
    }
    if (c === "<" && (m = sticky(HTML_TAG, text, i))) {
      const tag = m[2]!.toLowerCase();
      const closing = m[1] === "/";
      const mark = htmlTag(tag, closing, place);
      if (mark !== undefined) {
        if (mark) raw(mark);
        i += m[0].length;
        continue;
      }
    }
    SPECIAL.lastIndex = i + 1;
    const next = SPECIAL.exec(text)?.index ?? text.length;
    buffer += text.slice(i, next);
    i = next;
  }
  flush();
  return items;
}

function htmlTag(tag: string, closing: boolean, place: InlinePlace): string | undefined {
  if (tag === "br") return place === "block" ? "\\\n" : place === "table" ? "<br>" : " ";
  if (place === "label") return KEPT_TAGS.has(tag) || DROPPED_TAGS.has(tag) || /^(b|strong|i|em|s|strike|del)$/.test(tag) ? "" : undefined;
  if (tag === "b" || tag === "strong") return "**";
  if (tag === "i" || tag === "em") return "*";
  if (tag === "s" || tag === "strike" || tag === "del") return "~~";
  if (KEPT_TAGS.has(tag)) return closing ? `</${tag}>` : `<${tag}>`;
  if (DROPPED_TAGS.has(tag)) return "";
  return undefined;
}

function renderSpan(span: Span, ctx: InlineContext, place: InlinePlace): string {
  switch (span.kind) {
    case "nowiki":
      return span.text;
    case "code":
      return place === "label" ? span.code : codeSpan(span.code, place);
    case "unconverted":
      ctx.unconverted.push({ line: span.line, construct: span.construct, source: span.source });
      return place === "label" ? span.source : codeSpan(span.source, place);
    case "table":
      ctx.unconverted.push({ line: span.line, construct: "table", source: span.source });
      return place === "label" ? span.source : codeSpan(span.source, place);
  }
}

/**
 * For each `[[` that closes on its line, the index just after its `]]` (nested `[[...]]` in image captions
 * counted), in one pass so that a line full of unclosed brackets stays linear.
 */
function linkEnds(text: string): Map<number, number> {
  const ends = new Map<number, number>();
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n") stack.length = 0;
    else if (text[i] === "[" && text[i + 1] === "[") {
      stack.push(i);
      i++;
    } else if (text[i] === "]" && text[i + 1] === "]" && stack.length > 0) {
      ends.set(stack.pop()!, i + 2);
      i++;
    }
  }
  return ends;
}

/** Splits on `|` outside nested `[[...]]`. */
function splitPipes(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith("[[", i)) {
      depth++;
      i++;
    } else if (text.startsWith("]]", i)) {
      depth--;
      i++;
    } else if (text[i] === "|" && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/** A page title as MediaWiki stores it: underscores as spaces, known namespace prefixes canonical, first letter up. */
export function canonicalTitle(raw: string, capitalLinks = true): string {
  let title = raw.replace(/[\s_]+/g, " ").trim();
  const colon = title.indexOf(":");
  let prefix = "";
  if (colon > 0) {
    const ns = NAMESPACES[title.slice(0, colon).trim().toLowerCase()];
    if (ns) {
      prefix = `${ns}:`;
      title = title.slice(colon + 1).trim();
    }
  }
  if (capitalLinks && title) title = title[0]!.toUpperCase() + title.slice(1);
  return prefix + title;
}

interface LinkResult {
  value: string;
  /** true when `value` is plain text (to be escaped), false when it is markdown. */
  text: boolean;
  usedTrail: boolean;
}

function internalLink(inner: string, trail: string, ctx: InlineContext, place: InlinePlace, line: number): LinkResult | undefined {
  // A title has no brackets, braces or angle brackets: checked up to the first `|` before splitting the rest.
  const stop = inner.search(/[|[\]{}<>\uE000]/);
  if (stop !== -1 && inner[stop] !== "|") return undefined;
  const parts = splitPipes(inner);
  let target = parts[0]!.trim();
  if (!target) return undefined;
  const leadingColon = target.startsWith(":");
  if (leadingColon) target = target.slice(1).trim();
  const capital = ctx.options.capitalLinks ?? true;
  const canonical = canonicalTitle(target.split("#")[0]!, capital);
  const namespace = canonical.includes(":") ? canonical.slice(0, canonical.indexOf(":")) : "";

  if (!leadingColon && namespace === "File") return image(canonical.slice(5), parts.slice(1), ctx, place, line);
  if (!leadingColon && namespace === "Category") {
    ctx.categories.push(canonical.slice(9));
    // A category link marks membership and shows nothing where it stands; the sort key (after `|`) is dropped.
    return { value: place === "label" ? "" : `[[${escapeTitle(canonical)}]]`, text: false, usedTrail: false };
  }
  if (namespace === "Media") {
    const name = canonical.slice(6);
    const label = parts.length > 1 ? plainText(parts.slice(1).join("|"), ctx, line) : name;
    return { value: place === "label" ? label : `[${escapeText(label)}](${linkDestination(fileUrl(name, ctx))})`, text: false, usedTrail: false };
  }

  const hash = target.indexOf("#");
  const section = hash === -1 ? "" : target.slice(hash + 1).trim();
  let label: string | undefined;
  if (parts.length > 1) {
    label = parts.slice(1).join("|");
    // The pipe trick: `[[Page (film)|]]` shows "Page".
    if (label.trim() === "") label = canonical.replace(/^[^:]*:/, "").replace(/\s*\([^)]*\)$/, "");
    else label = plainText(label, ctx, line);
  }
  if (hash === 0) return { value: (label ?? section) + trail, text: true, usedTrail: true };
  const written = target.replace(/_/g, " ");
  const shown = (label ?? written) + trail;
  if (place === "label") return { value: shown, text: true, usedTrail: true };
  const sep = place === "table" ? "\\|" : "|";
  const value = shown === canonical ? `[[${escapeTitle(canonical)}]]` : `[[${escapeTitle(canonical)}${sep}${escapeLabel(shown)}]]`;
  return { value, text: false, usedTrail: true };
}

function image(name: string, params: string[], ctx: InlineContext, place: InlinePlace, line: number): LinkResult {
  let alt: string | undefined;
  let caption: string | undefined;
  let framed = false;
  for (const param of params) {
    const p = param.trim();
    if (/^alt\s*=/i.test(p)) alt = p.replace(/^alt\s*=\s*/i, "");
    else if (/^(thumb|thumbnail|frame|framed)$/i.test(p)) framed = true;
    else if (!IMAGE_OPTION.test(p)) caption = param;
  }
  const captionText = caption === undefined ? undefined : plainText(caption, ctx, line).trim();
  const altText = (alt ?? captionText ?? name).replace(/[[\]]/g, "");
  if (place === "label") return { value: captionText ?? name, text: true, usedTrail: false };
  const title = framed && captionText ? ` "${captionText.replace(/["\\]/g, "\\$&")}"` : "";
  return { value: `![${escapeText(altText)}](${linkDestination(fileUrl(name, ctx))}${title})`, text: false, usedTrail: false };
}

function fileUrl(name: string, ctx: InlineContext): string {
  return ctx.options.fileUrl ? ctx.options.fileUrl(name) : `/wiki/File:${encodeURIComponent(name.replace(/ /g, "_"))}`;
}

function linkDestination(url: string): string {
  return url.replace(/[()\\ <>]/g, (c) => (c === " " ? "%20" : c === "<" ? "%3C" : c === ">" ? "%3E" : `\\${c}`));
}

/** Inside `[[...]]` markdown still parses escapes and emphasis; brackets and newlines would end the link. */
function escapeTitle(title: string): string {
  return title.replace(/[\\`*<>~_]/g, "\\$&");
}

function escapeLabel(label: string): string {
  return escapeText(label.replace(/[[\]\n]/g, ""));
}

/** MediaWiki's quote rules on a line: '' toggles italic, ''' bold, ''''' both; whatever is open closes at the end. */
type Node = { style: "b" | "i"; children: Array<Node | Item> };

function applyQuotes(items: Item[]): Array<Node | Item> {
  const root: Node = { style: "b", children: [] };
  const stack: Node[] = [root];
  const open = (style: "b" | "i") => {
    const node: Node = { style, children: [] };
    stack[stack.length - 1]!.children.push(node);
    stack.push(node);
  };
  const isOpen = (style: "b" | "i") => stack.slice(1).some((n) => n.style === style);
  const close = (style: "b" | "i") => {
    const reopen: Array<"b" | "i"> = [];
    while (stack.length > 1) {
      const node = stack.pop()!;
      if (node.style === style) break;
      reopen.unshift(node.style);
    }
    for (const s of reopen) open(s);
  };
  const toggle = (style: "b" | "i") => (isOpen(style) ? close(style) : open(style));
  for (const item of items) {
    if (item.t !== "q") {
      stack[stack.length - 1]!.children.push(item);
      continue;
    }
    if (item.n === 2) toggle("i");
    else if (item.n === 3) toggle("b");
    else {
      const b = isOpen("b");
      const i = isOpen("i");
      if (b && i) {
        close(stack[stack.length - 1]!.style);
        close(stack[stack.length - 1]!.style);
      } else if (b) {
        close("b");
        open("i");
      } else if (i) {
        close("i");
        open("b");
      } else {
        open("b");
        open("i");
      }
    }
  }
  return root.children;
}

function render(nodes: Array<Node | Item>, place: InlinePlace): string {
  let out = "";
  for (const node of nodes) {
    if ("style" in node) {
      const inner = render(node.children, place);
      const lead = /^\s*/.exec(inner)![0];
      const trail = /\s*$/.exec(inner.slice(lead.length))![0];
      const core = inner.slice(lead.length, inner.length - trail.length);
      const mark = place === "label" ? "" : node.style === "b" ? "**" : "*";
      out += core ? `${lead}${mark}${core}${mark}${trail}` : inner;
    } else if (node.t === "text") out += place === "label" ? node.v : escapeText(node.v);
    else if (node.t === "raw") out += node.v;
  }
  return out;
}
