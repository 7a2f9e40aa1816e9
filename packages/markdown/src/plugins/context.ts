// Per-render state the passes share: options in, what was found out. It travels on the vfile, so the unified
// processors are built once and reused for every render.
import type { Element } from "hast";
import type { VFile } from "vfile";
import type { Found, FoundVideoTime, RenderOptions } from "../types";

export interface RenderContext {
  options: RenderOptions;
  found: Found;
  /** the video-time links made by this render, to fill in their `line` once the tree is final */
  videoTimeLinks: Map<Element, FoundVideoTime>;
  /** a resolver hid a link (a category): paragraphs left empty are dropped */
  hiddenLinks?: boolean;
}

export function newContext(options: RenderOptions): RenderContext {
  return { options, found: { wikiLinks: [], mentions: [], videoTimes: [], quotes: [], headings: [], images: [], links: [] }, videoTimeLinks: new Map() };
}

export function contextOf(file: VFile): RenderContext {
  const ctx = file.data.course;
  if (!ctx) throw new Error("@course/markdown: a pass ran without its render context");
  return ctx;
}

declare module "vfile" {
  interface DataMap {
    course: RenderContext;
  }
}
