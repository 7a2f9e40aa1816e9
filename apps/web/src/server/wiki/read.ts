import type { Prisma, PrismaClient, Role } from "@course/db";
import { diffRevisions, getRevision, listRevisions } from "../revisions/documents";
import { DomainError } from "../errors";
import { canEdit, parseWikiTitle } from "./pages";
import { lessonRenderOptions } from "./lesson-startup";
import { renderPage } from "./render";
import { currentPageHtml, type PageHtml } from "./views";
import { CATEGORY_PREFIX, isCategoryKey, keyToTitle, parseTitle, TitleError, wikiPath, type WikiPath } from "./titles";

/** The wiki's reads. Deleted pages are visible only to admins (to restore them); everyone else gets "not found". */

type Db = PrismaClient | Prisma.TransactionClient;

export interface Viewer {
  id: string | null;
  role: Role | null;
}

const authorOf = (r: { author: { name: string | null; email: string } | null; authorName: string | null }) =>
  r.author ? (r.author.name ?? r.author.email.split("@")[0]!) : (r.authorName ?? "unknown");

async function pageRow(db: Db, raw: string) {
  const t = parseWikiTitle(raw);
  const page = await db.wikiPage.findUnique({
    where: { key: t.key },
    include: { document: { select: { id: true, currentNumber: true } }, categories: { select: { categoryKey: true } } },
  });
  return { t, page };
}

function visible(page: { deletedAt: Date | null } | null, viewer: Viewer): boolean {
  return page !== null && (page.deletedAt === null || viewer.role === "admin");
}

export interface PageView {
  title: string;
  key: string;
  exists: boolean;
  /** shown to admins only: the page is deleted */
  deleted: { at: Date; reason: string } | null;
  number: number;
  body: string;
  rendered: PageHtml | null;
  categories: string[];
  redirectKey: string | null;
  protection: string;
  protectionReason: string;
  canEdit: boolean;
  watching: boolean;
  /** for Category: pages, the pages in it */
  members: Array<{ title: string; key: string }>;
  revision: { number: number; author: string; createdAt: Date } | null;
}

/**
 * A page as a reader sees it, or (oldid) one of its old revisions. A missing page is `exists: false`. The current
 * revision is served from its stored HTML (views.ts); an old one is rendered.
 */
export async function viewPage(db: PrismaClient, raw: string, viewer: Viewer, options: { revision?: number; html?: boolean } = {}): Promise<PageView> {
  const { t, page } = await pageRow(db, raw);
  const members = isCategoryKey(t.key) ? await categoryMembers(db, t.key.slice(CATEGORY_PREFIX.length)) : [];
  if (!page || !visible(page, viewer) || !page.document) {
    return {
      title: t.title,
      key: t.key,
      exists: false,
      deleted: null,
      number: 0,
      body: "",
      rendered: null,
      categories: [],
      redirectKey: null,
      protection: page?.protection ?? "none",
      protectionReason: page?.protectionReason ?? "",
      canEdit: viewer.role !== null && !page?.deletedAt,
      watching: false,
      members,
      revision: null,
    };
  }
  const number = options.revision ?? page.document.currentNumber;
  const revision = await revisionWithAuthor(db, page.document.id, number);
  const watching = viewer.id ? (await db.wikiWatch.count({ where: { userId: viewer.id, pageId: page.id } })) > 0 : false;
  return {
    title: page.title,
    key: page.key,
    exists: true,
    deleted: page.deletedAt ? { at: page.deletedAt, reason: page.deleteReason } : null,
    number,
    body: revision.body,
    rendered:
      options.html === false
        ? null
        : number === page.document.currentNumber
        ? await currentPageHtml(db, page, number, revision.body)
        : await renderPage(db, revision.body, await lessonRenderOptions(page.key)),
    categories: page.categories.map((c) => c.categoryKey),
    redirectKey: page.redirectKey,
    protection: page.protection,
    protectionReason: page.protectionReason,
    canEdit: canEdit(viewer.role, page.protection) && !page.deletedAt,
    watching,
    members,
    revision: { number, author: revision.author, createdAt: revision.createdAt },
  };
}

/** The editor's preview of `body` as page `title` would show it (its lesson's time links); without a title, as any page. */
export async function previewPage(db: Db, body: string, title?: string): Promise<PageHtml> {
  const key = title ? parseWikiTitle(title).key : "";
  const { context: _context, ...options } = await lessonRenderOptions(key);
  const rendered = await renderPage(db, body, options);
  return { html: rendered.html, toc: rendered.toc };
}

async function revisionWithAuthor(db: Db, documentId: string, number: number) {
  const row = await db.revision.findUnique({
    where: { documentId_number: { documentId, number } },
    select: { body: true, createdAt: true, authorName: true, author: { select: { name: true, email: true } } },
  });
  if (!row) throw new DomainError("NOT_FOUND", `Revision ${number} of this page does not exist.`);
  return { body: row.body, createdAt: row.createdAt, author: authorOf(row) };
}

/** What the editor loads: the current text and the revision it is (send it back as baseRevision). */
export async function pageForEdit(db: PrismaClient, raw: string, viewer: Viewer) {
  const view = await viewPage(db, raw, viewer, { html: false });
  return { title: view.title, key: view.key, exists: view.exists, baseRevision: view.number, body: view.body, canEdit: view.canEdit, protection: view.protection };
}

async function documentOf(db: Db, raw: string, viewer: Viewer) {
  const { t, page } = await pageRow(db, raw);
  if (!page || !visible(page, viewer) || !page.document) throw new DomainError("NOT_FOUND", `There is no page "${t.title}".`);
  return { page, documentId: page.document.id, currentNumber: page.document.currentNumber };
}

/** The page's revisions, newest first, each with its size and the change in size from the one before. */
export async function pageHistory(db: Db, raw: string, viewer: Viewer) {
  const { page, documentId } = await documentOf(db, raw, viewer);
  const revisions = await listRevisions(db, documentId);
  const sizes = await db.$queryRaw<Array<{ number: number; size: number }>>`
    SELECT number, length(body)::int AS size FROM "Revision" WHERE "documentId" = ${documentId}`;
  const sizeOf = new Map(sizes.map((s) => [s.number, Number(s.size)]));
  return {
    title: page.title,
    key: page.key,
    revisions: revisions.map((r) => {
      const size = sizeOf.get(r.number) ?? 0;
      return { ...r, authorName: r.authorName ?? "unknown", size, change: size - (sizeOf.get(r.number - 1) ?? 0) };
    }),
  };
}

export async function pageDiff(db: Db, raw: string, from: number, to: number, viewer: Viewer) {
  const { page, documentId } = await documentOf(db, raw, viewer);
  return { title: page.title, key: page.key, from, to, diff: await diffRevisions(db, documentId, from, to) };
}

/** The text of the current revision (or `revision`), for ?action=raw. */
export async function rawText(db: Db, raw: string, viewer: Viewer, revision?: number): Promise<string> {
  const { documentId, currentNumber } = await documentOf(db, raw, viewer);
  return (await getRevision(db, documentId, revision ?? currentNumber)).body;
}

/** ?action=info: created, last edit, watchers, length, protection, links in. */
export async function pageInfo(db: Db, raw: string, viewer: Viewer) {
  const { page, documentId, currentNumber } = await documentOf(db, raw, viewer);
  const [first, last, watchers, linksHere, editors] = await Promise.all([
    db.revision.findUnique({ where: { documentId_number: { documentId, number: 1 } }, select: { createdAt: true, authorName: true, author: { select: { name: true, email: true } } } }),
    db.revision.findUnique({ where: { documentId_number: { documentId, number: currentNumber } }, select: { createdAt: true, authorName: true, author: { select: { name: true, email: true } } } }),
    db.wikiWatch.count({ where: { pageId: page.id } }),
    db.wikiLink.count({ where: { targetKey: page.key } }),
    db.$queryRaw<Array<{ n: number }>>`SELECT count(DISTINCT coalesce("authorId", "authorName"))::int AS n FROM "Revision" WHERE "documentId" = ${documentId}`,
  ]);
  return {
    title: page.title,
    key: page.key,
    length: page.length,
    revisions: currentNumber,
    editors: Number(editors[0]?.n ?? 0),
    created: first ? { at: first.createdAt, by: authorOf(first) } : null,
    lastEdit: last ? { at: last.createdAt, by: authorOf(last) } : null,
    watchers,
    linksHere,
    protection: page.protection,
    protectionReason: page.protectionReason,
    redirectKey: page.redirectKey,
    deleted: page.deletedAt ? { at: page.deletedAt, reason: page.deleteReason } : null,
  };
}

export interface ChangeRow {
  title: string;
  key: string;
  number: number;
  author: string;
  authorId: string | null;
  createdAt: Date;
  summary: string;
  minor: boolean;
  merged: boolean;
  size: number;
  change: number;
  created: boolean;
}

/** Wiki edits newest first: RecentChanges (all), Contributions (one author), Watchlist (watched pages). */
export async function changes(
  db: Db,
  viewer: Viewer,
  filter: { authorId?: string; authorName?: string; byName?: string; hideMinor?: boolean; watchedBy?: string; limit?: number } = {},
): Promise<ChangeRow[]> {
  const where: Prisma.RevisionWhereInput = {
    document: {
      kind: "wiki-page",
      wikiPage: {
        ...(viewer.role === "admin" ? {} : { deletedAt: null }),
        ...(filter.watchedBy ? { watches: { some: { userId: filter.watchedBy } } } : {}),
      },
    },
    ...(filter.hideMinor ? { minor: false } : {}),
    ...(filter.authorId ? { authorId: filter.authorId } : {}),
    ...(filter.authorName ? { authorId: null, authorName: filter.authorName } : {}),
    // Special:Contributions/<name>: accounts with that display name, and imported edits under it
    ...(filter.byName ? { OR: [{ author: { name: filter.byName } }, { authorId: null, authorName: filter.byName }] } : {}),
  };
  const rows = await db.revision.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { number: "desc" }],
    take: filter.limit ?? 100,
    select: {
      number: true,
      documentId: true,
      authorId: true,
      authorName: true,
      author: { select: { name: true, email: true } },
      createdAt: true,
      summary: true,
      minor: true,
      merged: true,
      body: true,
      document: { select: { wikiPage: { select: { key: true, title: true } } } },
    },
  });
  const previous = rows.length
    ? await db.$queryRaw<Array<{ documentId: string; number: number; size: number }>>`
        SELECT "documentId", number, length(body)::int AS size FROM "Revision"
        WHERE ("documentId", number) IN (SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ d: r.documentId, n: r.number - 1 })))}::jsonb) AS x(d text, n int))`
    : [];
  const prevSize = new Map(previous.map((p) => [`${p.documentId}:${p.number}`, Number(p.size)]));
  return rows.map((r) => ({
    title: r.document.wikiPage?.title ?? "",
    key: r.document.wikiPage?.key ?? "",
    number: r.number,
    author: authorOf(r),
    authorId: r.authorId,
    createdAt: r.createdAt,
    summary: r.summary,
    minor: r.minor,
    merged: r.merged,
    size: r.body.length,
    change: r.body.length - (prevSize.get(`${r.documentId}:${r.number - 1}`) ?? 0),
    created: r.number === 1,
  }));
}

/** Pages that link to (or redirect to) this title: What links here. */
export async function whatLinksHere(db: Db, raw: string, viewer: Viewer) {
  const t = parseWikiTitle(raw);
  const rows = await db.wikiLink.findMany({
    where: { targetKey: t.key, page: viewer.role === "admin" ? {} : { deletedAt: null } },
    select: { page: { select: { key: true, title: true, redirectKey: true } } },
    orderBy: { page: { key: "asc" } },
    take: 500,
  });
  return { title: t.title, key: t.key, pages: rows.map((r) => ({ ...r.page, isRedirect: r.page.redirectKey === t.key })) };
}

/** The pages in a category (by the category's key, "Training_tips"). */
export async function categoryMembers(db: Db, categoryKey: string) {
  const rows = await db.wikiCategory.findMany({
    where: { categoryKey, page: { deletedAt: null } },
    select: { page: { select: { key: true, title: true } } },
    orderBy: { page: { key: "asc" } },
    take: 1000,
  });
  return rows.map((r) => r.page);
}

/** Every live page, by title (for the index), and the categories in use. */
export async function allPages(db: Db, options: { limit?: number } = {}) {
  const [pages, categories] = await Promise.all([
    db.wikiPage.findMany({ where: { deletedAt: null }, select: { key: true, title: true, redirectKey: true, touchedAt: true }, orderBy: { key: "asc" }, take: options.limit ?? 2000 }),
    db.wikiCategory.groupBy({ by: ["categoryKey"], where: { page: { deletedAt: null } }, _count: { _all: true }, orderBy: { categoryKey: "asc" } }),
  ]);
  return { pages, categories: categories.map((c) => ({ key: c.categoryKey, title: keyToTitle(c.categoryKey), count: c._count._all })) };
}

/** Pages a user watches. */
export async function watchlistPages(db: Db, userId: string) {
  const rows = await db.wikiWatch.findMany({ where: { userId, page: { deletedAt: null } }, select: { page: { select: { key: true, title: true } } }, orderBy: { page: { key: "asc" } } });
  return rows.map((r) => r.page);
}

/** The wiki log (protect, delete, restore, move), newest first. */
export async function wikiLog(db: Db, options: { limit?: number } = {}) {
  return db.wikiLogEntry.findMany({ orderBy: { createdAt: "desc" }, take: options.limit ?? 100, select: { action: true, title: true, detail: true, actorName: true, reason: true, createdAt: true } });
}

/** The live, non-deleted page a search for exactly its title should open, or null. */
export async function exactTitleMatch(db: Db, query: string): Promise<WikiPath | null> {
  let key: string;
  try {
    key = parseTitle(query).key;
  } catch (error) {
    if (error instanceof TitleError) return null;
    throw error;
  }
  const page = await db.wikiPage.findUnique({ where: { key }, select: { key: true, deletedAt: true } });
  return page && !page.deletedAt ? wikiPath(page.key) : null;
}

export interface TitleSuggestion {
  title: string;
  key: string;
  /** the title a redirect leads to, null for an ordinary page */
  redirectTo: string | null;
}

/**
 * The editor's `[[` completion: live pages whose key starts with `prefix`, spelled as a title or a key, any case
 * (titles ignore the first letter's case; a reader typing "lr f" means "LR finder" too). Pages whose key starts with
 * the prefix as typed (first letter upper case) come first, ordinary pages before redirects, shorter before longer.
 */
export async function suggestTitles(db: Db, prefix: string, limit = 8): Promise<TitleSuggestion[]> {
  const typed = prefix.normalize("NFC").replace(/[\s_]+/g, "_").replace(/^_+/, "");
  if (!typed) return [];
  const exact = typed.charAt(0).toUpperCase() + typed.slice(1);
  // LIKE's own wildcards in what was typed are literal characters of a title.
  const escape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
  const take = Math.max(1, Math.min(limit, 50));
  const rows = await db.$queryRaw<Array<{ key: string; title: string; redirectKey: string | null }>>`
    SELECT key, title, "redirectKey" FROM "WikiPage"
    WHERE "deletedAt" IS NULL AND key ILIKE ${`${escape(typed)}%`}
    ORDER BY (key LIKE ${`${escape(exact)}%`}) DESC, ("redirectKey" IS NULL) DESC, length(key), key
    LIMIT ${take}`;
  return rows.map((r) => ({ title: r.title, key: r.key, redirectTo: r.redirectKey === null ? null : keyToTitle(r.redirectKey) }));
}
