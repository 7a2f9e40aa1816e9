import type { Prisma, PrismaClient } from "@course/db";
import { renderMarkdown, type Rendered, type RenderOptions } from "@course/markdown";
import { mediaNameOf } from "../media/store";
import { categoryName, isCategoryKey, keyOrNull, wikiPath } from "./titles";

type Db = PrismaClient | Prisma.TransactionClient;

/** What a page's text says about the wiki: where it redirects, what it links to, its categories. */
export interface PageAnalysis {
  redirectKey: string | null;
  /** keys of the pages it links to (not categories), each once; an image it shows is a link to `File:<name>` */
  linkKeys: string[];
  /** category names ("Training_tips" for `[[Category:Training tips]]`), each once */
  categoryKeys: string[];
  /** the words of the rendered text, for search */
  plainText: string;
}

// MediaWiki's redirect: the first thing on the page, `#REDIRECT [[Target]]` (any case, optional colon).
const REDIRECT = /^\s*#REDIRECT\s*:?\s*\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]/i;

export function redirectTarget(body: string): string | null {
  const match = REDIRECT.exec(body);
  return match ? keyOrNull(match[1]!) : null;
}

/**
 * What `[[...]]` names: a page (key), or with `category` a category the text puts the page in. `[[:Category:Name]]`
 * (leading colon, as in MediaWiki) links to the category's page instead of joining it.
 */
function linkOf(title: string): { key: string; category: boolean } | null {
  const colon = title.startsWith(":");
  const key = keyOrNull(colon ? title.slice(1) : title);
  if (!key) return null;
  return { key, category: !colon && isCategoryKey(key) };
}

/** Reads a text's links and categories through the one markdown pipeline (no database). */
export function analyzePage(body: string): PageAnalysis {
  const { html, found } = renderMarkdown(body, { wikiPage: (title) => ({ url: wikiPath(title), exists: true }) });
  const links = new Set<string>();
  const categories = new Set<string>();
  for (const link of found.wikiLinks) {
    const named = linkOf(link.title);
    if (!named) continue;
    if (named.category) categories.add(categoryName(named.key));
    else links.add(named.key);
  }
  for (const image of found.images) {
    const name = mediaNameOf(image.src);
    if (name) links.add(`File:${name}`);
  }
  const redirectKey = redirectTarget(body);
  if (redirectKey) links.add(redirectKey);
  return { redirectKey, linkKeys: [...links], categoryKeys: [...categories], plainText: htmlToText(html) };
}

export interface TocEntry {
  depth: number;
  text: string;
  id: string;
}

export interface RenderedPage extends Rendered {
  /** headings for the table of contents, with the anchors the HTML carries */
  toc: TocEntry[];
}

/**
 * Renders a page for reading: links to pages that do not exist (or were deleted) are red and lead to the editor;
 * `[[Category:X]]` shows nothing where it is written (the page lists its categories at its foot). Two passes: the
 * first finds the titles the text names (resolvers are synchronous), one query says which exist, the second renders
 * with that answer. A caller that has the text's link keys already (`analyzePage`) passes them and skips the first.
 */
export async function renderPage(
  db: Db,
  body: string,
  options: Pick<RenderOptions, "currentLesson" | "lesson"> = {},
  linkKeys?: readonly string[],
): Promise<RenderedPage> {
  const keys =
    linkKeys ??
    renderMarkdown(body, { wikiPage: (title) => ({ url: wikiPath(title), exists: true }) })
      .found.wikiLinks.map((l) => linkOf(l.title))
      .filter((l) => l !== null && !l.category)
      .map((l) => l!.key);
  const lookup = [...new Set(keys)].filter((k) => !isCategoryKey(k));
  const existing = new Set(
    lookup.length === 0
      ? []
      : (await db.wikiPage.findMany({ where: { key: { in: lookup }, deletedAt: null }, select: { key: true } })).map((p) => p.key),
  );
  const rendered = renderMarkdown(body, {
    headingIds: true,
    ...(options.currentLesson ? { currentLesson: options.currentLesson } : {}),
    ...(options.lesson ? { lesson: options.lesson } : {}),
    wikiPage: (title) => {
      const named = linkOf(title);
      if (!named) return undefined;
      if (named.category) return { url: wikiPath(named.key), exists: true, hidden: true };
      if (isCategoryKey(named.key)) return { url: wikiPath(named.key), exists: true };
      const exists = existing.has(named.key);
      return { url: exists ? wikiPath(named.key) : `${wikiPath(named.key)}?action=edit`, exists };
    },
  });
  return { ...rendered, toc: rendered.found.headings.map((h) => ({ depth: h.depth, text: h.text, id: h.id ?? "" })).filter((h) => h.id) };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** The text of the pipeline's own HTML (for search): tags dropped, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/\s+/g, " ")
    .trim();
}
