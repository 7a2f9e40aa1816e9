// Video-time links: `[[Lesson 1@4:40]]` (any lesson, through the lesson resolver), `[[Lesson 1@4:40|label]]`, and
// for text that belongs to one lesson (options.currentLesson) the short forms `[[@4:40]]` and a bare `@4:40`.
// Each becomes <a href="/lessons/<slug>?t=280" data-video-time="280">; on the lesson page a click seeks the player.
import type { Root } from "hast";
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
  ctx.found.videoTimes.push({ lesson: slug, seconds, href });
  const shown = label?.trim() || (title ? `${title} @ ${clock}` : clock);
  return [h("a", { href, className: ["video-time"], dataVideoTime: String(seconds) }, [text(shown)])];
}

export function bareVideoTimes() {
  return (tree: Root, file: VFile) => {
    const ctx = contextOf(file);
    if (!ctx.options.currentLesson) return;
    replaceText(tree, BARE_TIME, (m) => videoTimeLink(ctx, "", m[1]!, undefined));
  };
}
