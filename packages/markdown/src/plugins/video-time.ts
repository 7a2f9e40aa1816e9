// Video-time links: `[[Lesson 1@4:40]]` (any lesson, through the lesson resolver), `[[Lesson 1@4:40|label]]`, and
// for text that belongs to one lesson (options.currentLesson) the short forms `[[@4:40]]` and a bare `@4:40`.
// Each becomes <a href="/lessons/<slug>?t=280" data-video-time="280">; on the lesson page a click seeks the player.
import type { Element, Nodes, Root } from "hast";
import type { VFile } from "vfile";
import { h, replaceText, text } from "../hast";
import { lessonTimeHref, parseClock } from "../time";
import { contextOf, type RenderContext } from "./context";

/** `@h:mm:ss` / `@m:ss` at the end of a `[[...]]` target. */
export const TIME_SUFFIX = /@(\d{1,3}:\d{2}(?::\d{2})?)\s*$/;
/** A bare `@4:40` not glued to a word, an address or another mention. */
const BARE_TIME = /(?<![\w@./+-])@(\d{1,3}:\d{2}(?::\d{2})?)(?![\w:])/g;

export function videoTimeLink(ctx: RenderContext, lessonName: string, clock: string, label: string | undefined) {
  const seconds = parseClock(clock);
  if (seconds === undefined) return undefined;
  let slug: string | undefined;
  let title: string | undefined;
  if (lessonName) {
    const lesson = ctx.options.lesson?.(lessonName);
    slug = lesson?.slug;
    title = lesson?.title ?? lessonName;
  } else slug = ctx.options.currentLesson;
  if (!slug) return undefined;
  const href = lessonTimeHref(slug, seconds);
  const found = { lesson: slug, seconds, href, line: "" };
  ctx.found.videoTimes.push(found);
  const shown = label?.trim() || (title ? `${title} @ ${clock}` : clock);
  const link = h("a", { href, className: ["video-time"], dataVideoTime: String(seconds) }, [text(shown)]);
  ctx.videoTimeLinks.set(link, found);
  return [link];
}

/** Elements whose words make a time link's "line". */
const LINE_BLOCKS = new Set(["p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd"]);
const NESTED_LISTS = new Set(["ul", "ol"]);

/** The block's words without its nested lists and without the time links' own labels (the time is shown apart). */
function lineText(block: Element, links: ReadonlyMap<Element, unknown>): string {
  let out = "";
  const stack: Nodes[] = [block];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === "text") out += n.value;
    else if (n.type === "element" && n !== block && (NESTED_LISTS.has(n.tagName) || links.has(n))) continue;
    else if ("children" in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out.replace(/\s+/g, " ").trim();
}

/** Last pass over the final tree: each video-time link found gets the words of the block it sits in. */
export function videoTimeLines() {
  return (tree: Root, file: VFile) => {
    const ctx = contextOf(file);
    if (ctx.videoTimeLinks.size === 0) return;
    // Iterative walk with the nearest line block carried down (user text may nest very deep).
    const stack: Array<{ node: Nodes; block: Element | null }> = [{ node: tree, block: null }];
    while (stack.length) {
      const { node, block } = stack.pop()!;
      if (node.type === "element") {
        const found = ctx.videoTimeLinks.get(node);
        if (found) {
          found.line = block ? lineText(block, ctx.videoTimeLinks) : "";
          continue;
        }
      }
      if (!("children" in node)) continue;
      const inner = node.type === "element" && LINE_BLOCKS.has(node.tagName) ? node : block;
      for (const child of node.children) stack.push({ node: child, block: inner });
    }
  };
}

export function bareVideoTimes() {
  return (tree: Root, file: VFile) => {
    const ctx = contextOf(file);
    if (!ctx.options.currentLesson) return;
    replaceText(tree, BARE_TIME, (m) => videoTimeLink(ctx, "", m[1]!, undefined));
  };
}
