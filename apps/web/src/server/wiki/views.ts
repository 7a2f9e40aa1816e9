import type { Prisma, PrismaClient } from "@course/db";
import { pagesChanged, wikiViewTag } from "../page-cache";
import { lessonRenderOptions } from "./lesson-startup";
import { renderPage, type TocEntry } from "./render";

/**
 * Page views serve stored HTML (DESIGN "Wiki and forum"): a save renders the page's new text once and stores it on
 * the page row; a view checks that it is still right (the same revision, the same lessons to resolve time links
 * against, and the same linked pages existing, so that no link is red or blue wrongly) and renders again only when
 * not. Cached page views (anonymous readers, README "Page views and caching") are dropped by the writes that change
 * what they show: `viewsChanged` names them.
 */

type Db = PrismaClient | Prisma.TransactionClient;
type Tx = Prisma.TransactionClient;

export interface PageHtml {
  html: string;
  toc: TocEntry[];
}

/** The keys among `keys` that are live pages now, sorted. */
async function existingKeys(db: Db, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db.wikiPage.findMany({ where: { key: { in: [...new Set(keys)] }, deletedAt: null }, select: { key: true } });
  return rows.map((r) => r.key).sort();
}

async function render(db: Db, key: string, body: string, linkKeys: readonly string[]) {
  const { context, ...options } = await lessonRenderOptions(key);
  const rendered = await renderPage(db, body, options, linkKeys);
  return { html: rendered.html, toc: rendered.toc, context, links: await existingKeys(db, linkKeys) };
}

/** In the saving transaction: renders the page's new current text (revision `number`) and stores it. */
export async function storePageHtml(tx: Tx, page: { id: string; key: string }, number: number, body: string, linkKeys: readonly string[]): Promise<void> {
  const r = await render(tx, page.key, body, linkKeys);
  await tx.wikiPage.update({
    where: { id: page.id },
    data: { html: r.html, toc: r.toc as unknown as Prisma.InputJsonValue, htmlRevision: number, htmlContext: r.context, htmlLinks: r.links, renderStamp: { increment: 1 } },
  });
}

interface StoredPage {
  id: string;
  key: string;
  html: string | null;
  toc: Prisma.JsonValue;
  htmlRevision: number;
  htmlContext: string;
  htmlLinks: string[];
  renderStamp: number;
}

/**
 * The current revision's HTML for a view: the stored one while it is right, else rendered now and stored (unless a
 * save stored a newer one meanwhile: `renderStamp` moved).
 */
export async function currentPageHtml(db: PrismaClient, page: StoredPage, number: number, body: string): Promise<PageHtml> {
  const linkKeys = (await db.wikiLink.findMany({ where: { pageId: page.id }, select: { targetKey: true } })).map((l) => l.targetKey);
  const { context } = await lessonRenderOptions(page.key);
  if (page.html !== null && page.htmlRevision === number && page.htmlContext === context) {
    const links = await existingKeys(db, linkKeys);
    if (links.length === page.htmlLinks.length && links.every((k, i) => k === page.htmlLinks[i])) {
      return { html: page.html, toc: (page.toc ?? []) as unknown as TocEntry[] };
    }
  }
  const r = await render(db, page.key, body, linkKeys);
  await db.wikiPage.updateMany({
    where: { id: page.id, renderStamp: page.renderStamp },
    data: { html: r.html, toc: r.toc as unknown as Prisma.InputJsonValue, htmlRevision: number, htmlContext: r.context, htmlLinks: r.links, renderStamp: { increment: 1 } },
  });
  return { html: r.html, toc: r.toc };
}

/**
 * In a write transaction: the cached views of these pages change, and with `existenceChanged` (the pages were
 * created, deleted, restored or moved) also the views of the pages linking to them, whose links change colour.
 */
export async function viewsChanged(tx: Tx, keys: readonly string[], options: { existenceChanged?: boolean } = {}): Promise<void> {
  const all = new Set(keys);
  if (options.existenceChanged && keys.length) {
    const linkers = await tx.wikiLink.findMany({ where: { targetKey: { in: [...keys] } }, select: { page: { select: { key: true } } } });
    for (const l of linkers) all.add(l.page.key);
  }
  await pagesChanged(tx, [...all].map(wikiViewTag));
}
