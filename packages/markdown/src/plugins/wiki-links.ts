// `[[Page title]]` and `[[Page title|label]]`: links to wiki pages; missing pages get class "wiki-link-missing"
// (red links). `[[Lesson 1@4:40]]` and `[[@4:40]]` are video-time links and are handled in video-time.ts; the
// double brackets are matched here once for both, so the two never fight over the same text.
import type { Parents, Root } from "hast";
import type { VFile } from "vfile";
import { h, replaceText, text } from "../hast";
import { safeResolvedUrl } from "../urls";
import { contextOf, type RenderContext } from "./context";
import { videoTimeLink, TIME_SUFFIX } from "./video-time";

const DOUBLE_BRACKETS = /\[\[([^[\]\n]{1,300})\]\]/g;

/** Title as a page name: whitespace collapsed, trimmed (case and underscores are the resolver's business). */
export function normaliseTitle(title: string): string {
  return title.replace(/[\s_]+/g, " ").trim();
}

/** The default page URL when the caller gives no resolver: `/wiki/Page_title`. */
export function defaultWikiUrl(title: string): string {
  return `/wiki/${encodeURIComponent(title.replace(/ /g, "_"))}`;
}

function wikiLink(ctx: RenderContext, target: string, label: string | undefined) {
  const title = normaliseTitle(target);
  if (!title) return undefined;
  const resolved = ctx.options.wikiPage ? ctx.options.wikiPage(title) : { url: defaultWikiUrl(title), exists: true };
  const url = safeResolvedUrl(resolved?.url);
  if (!resolved || !url) return undefined;
  ctx.found.wikiLinks.push({ title, url, exists: resolved.exists });
  if (resolved.hidden) {
    ctx.hiddenLinks = true;
    return [];
  }
  const className = resolved.exists ? ["wiki-link"] : ["wiki-link", "wiki-link-missing"];
  const properties = resolved.exists ? { href: url, className } : { href: url, className, title: `${title} (page does not exist)` };
  // `[[:Category:Name]]`: MediaWiki's leading colon links to a namespaced page instead of acting on it; not shown.
  return [h("a", properties, [text(label?.trim() || title.replace(/^:\s*/, ""))])];
}

export function wikiLinks() {
  return (tree: Root, file: VFile) => {
    const ctx = contextOf(file);
    replaceText(tree, DOUBLE_BRACKETS, (m) => {
      const inner = m[1]!;
      const bar = inner.indexOf("|");
      const target = bar === -1 ? inner : inner.slice(0, bar);
      const label = bar === -1 ? undefined : inner.slice(bar + 1);
      const time = TIME_SUFFIX.exec(target);
      if (time) return videoTimeLink(ctx, target.slice(0, time.index).trim(), time[1]!, label);
      return wikiLink(ctx, target, label);
    });
    if (ctx.hiddenLinks) dropEmptyParagraphs(tree);
  };
}

/** Markdown never makes an empty paragraph: one now is a line that held only hidden links (categories). */
function dropEmptyParagraphs(tree: Root) {
  const stack: Parents[] = [tree];
  while (stack.length) {
    const parent = stack.pop()!;
    const kept: Array<(typeof parent.children)[number]> = [];
    for (const child of parent.children) {
      if (child.type === "element" && child.tagName === "p" && child.children.every((c) => c.type === "text" && !c.value.trim())) {
        // the line break that separated it from the block before goes with it
        const before = kept[kept.length - 1];
        if (before?.type === "text" && !before.value.trim()) kept.pop();
        continue;
      }
      kept.push(child);
    }
    if (kept.length !== parent.children.length) parent.children = kept;
    for (const child of parent.children) if (child.type === "element") stack.push(child);
  }
}
