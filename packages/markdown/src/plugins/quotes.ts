// Quotes with attribution: a blockquote whose first line is a `[!quote ...]` header, like GitHub's `> [!NOTE]`:
//
//   > [!quote @alice](/forum/t/12#p3)      who wrote it (a mention when the user exists) and a link back
//   > [!quote Training tips](/wiki/Training_tips)
//   > [!quote @alice]                     attribution without a link
//   > [!quote](/forum/t/12#p3)             a link without a name
//
// The header becomes <p class="quote-source">alice <a href="...">wrote</a>:</p> inside
// <blockquote class="quote" cite="...">. The link went through the sanitizer like any other.
import type { Element, ElementContent, Root } from "hast";
import type { VFile } from "vfile";
import { elements, h, text, textOf } from "../hast";
import { isSameSiteUrl, isWebUrl } from "../urls";
import { contextOf, type RenderContext } from "./context";
import { mentionLink } from "./mentions";

const LINK_HEADER = /^!quote(?:\s+([^\n]{1,200}))?$/;
const TEXT_HEADER = /^\s*\[!quote(?:\s+([^\]\n]{1,200}))?\]/;

interface Header {
  author?: string;
  source?: string;
}

/** Takes the header off the paragraph (mutating it) and says what it held. */
function takeHeader(p: Element): Header | undefined {
  const first = p.children[0];
  if (!first) return undefined;
  if (first.type === "element" && first.tagName === "a") {
    const m = LINK_HEADER.exec(textOf(first).trim());
    const href = first.properties.href;
    if (!m || typeof href !== "string") return undefined;
    p.children.shift();
    return { author: m[1]?.trim(), source: isSameSiteUrl(href) || isWebUrl(href) ? href : undefined };
  }
  if (first.type === "text") {
    const m = TEXT_HEADER.exec(first.value);
    if (!m) return undefined;
    first.value = first.value.slice(m[0].length);
    return { author: m[1]?.trim() };
  }
  return undefined;
}

function attribution(ctx: RenderContext, header: Header): ElementContent[] {
  const { author, source } = header;
  const username = author?.startsWith("@") ? author.slice(1) : undefined;
  const mention = username ? mentionLink(ctx, username) : undefined;
  ctx.found.quotes.push({ author, ...(mention ? { username } : {}), source });
  const who: ElementContent[] = mention ? [mention] : author ? [text(author)] : [];
  const verb = source ? h("a", { href: source, className: ["quote-link"] }, [text(who.length ? "wrote" : "Quoted")]) : text(who.length ? "wrote" : "Quoted");
  return [...who, ...(who.length ? [text(" ")] : []), verb, text(":")];
}

export function quotes() {
  return (tree: Root, file: VFile) => {
    const ctx = contextOf(file);
    for (const quote of elements(tree)) {
      if (quote.tagName !== "blockquote") continue;
      const p = quote.children.find((c): c is Element => c.type === "element");
      if (!p || p.tagName !== "p") continue;
      const header = takeHeader(p);
      if (!header) continue;
      // What followed the header on the same paragraph (after the line break) is the start of the quoted text.
      const rest = p.children[0];
      if (rest?.type === "text") rest.value = rest.value.replace(/^\s+/, "");
      if (rest?.type === "element" && rest.tagName === "br") p.children.shift();
      if (!textOf(p).trim() && !p.children.some((c) => c.type === "element")) quote.children.splice(quote.children.indexOf(p), 1);
      quote.properties = { className: ["quote"], ...(header.source ? { cite: header.source } : {}) };
      quote.children.unshift(h("p", { className: ["quote-source"] }, attribution(ctx, header)));
    }
  };
}
