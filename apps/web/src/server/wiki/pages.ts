import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient, Role } from "@course/db";
import type { MergeRegion } from "@course/revisions";
import { hasRole } from "../auth/roles";
import { notify } from "../notifications/notify";
import { newDocumentId } from "../revisions/owned-texts";
import { currentText, getRevision, MAX_SUMMARY_CHARS, REVISION_TRANSACTION, saveRevisionIn } from "../revisions/documents";
import { indexDocuments, removeDocuments } from "../search/documents";
import { DomainError } from "../errors";
import { writeTransaction } from "../page-cache";
import { analyzePage } from "./render";
import { storePageHtml, viewsChanged } from "./views";
import { isSpecialKey, parseTitle, TitleError, wikiPath, type WikiTitle } from "./titles";

/**
 * The wiki's write paths (MediaWiki's model on the site's shared ground): a page's text is a TextDocument of kind
 * "wiki-page" saved through server/revisions (base revision, three-way merge, conflicts that keep the user's text);
 * each save also refreshes the page's links, categories, redirect and search document, and tells its watchers, in
 * the same transaction.
 */

type Tx = Prisma.TransactionClient;

export const PROTECTION_LEVELS = ["none", "grader", "admin"] as const;
export type Protection = (typeof PROTECTION_LEVELS)[number];

/**
 * Who acts. `id` null is an author without an account here (an imported edit): `name` is kept on the revision.
 * `role` null is an anonymous visitor, who may read but not write.
 */
export interface WikiActor {
  id: string | null;
  name: string;
  role: Role | null;
}

export interface SavePageInput {
  title: string;
  body: string;
  summary?: string;
  minor?: boolean;
  /** the revision the text was edited from; 0 for a page that did not exist yet */
  baseRevision: number;
  author: WikiActor;
  /** when the edit was made (imports); default now */
  at?: Date;
  /** add the page to the author's watchlist (default true for an author with an account) */
  watch?: boolean;
}

export type SavePageResult =
  | { status: "saved"; title: string; key: string; number: number; merged: boolean; created: boolean }
  | { status: "unchanged"; title: string; key: string; number: number }
  | { status: "conflict"; title: string; key: string; currentNumber: number; mine: string; theirs: string; base: string; regions: MergeRegion[] };

export function parseWikiTitle(raw: string): WikiTitle {
  try {
    return parseTitle(raw);
  } catch (error) {
    if (error instanceof TitleError) throw new DomainError("BAD_REQUEST", error.message);
    throw error;
  }
}

function editableTitle(raw: string): WikiTitle {
  const t = parseWikiTitle(raw);
  if (isSpecialKey(t.key)) throw new DomainError("BAD_REQUEST", "Special pages are made by the site and cannot be edited.");
  return t;
}

function assertSignedIn(actor: WikiActor): asserts actor is WikiActor & { role: Role } {
  if (actor.role === null) throw new DomainError("FORBIDDEN", "Sign in to edit the wiki.");
}

/** May `role` edit a page with this protection? */
export function canEdit(role: Role | null, protection: string): boolean {
  if (role === null) return false;
  if (protection === "grader" || protection === "admin") return hasRole(role, protection);
  return true;
}

function assertCanEdit(actor: WikiActor, page: { protection: string; protectionReason: string; title: string }) {
  assertSignedIn(actor);
  if (!canEdit(actor.role, page.protection)) {
    const who = page.protection === "admin" ? "admins" : "graders and admins";
    throw new DomainError("FORBIDDEN", `"${page.title}" is protected: only ${who} may edit it.${page.protectionReason ? ` Reason: ${page.protectionReason}` : ""}`);
  }
}

const pageSelect = { id: true, key: true, title: true, protection: true, protectionReason: true, deletedAt: true, redirectKey: true } as const;

/** Saves a page's text in its own transaction; see `savePageIn`. */
export async function savePage(prisma: PrismaClient, input: SavePageInput): Promise<SavePageResult> {
  return writeTransaction(prisma, (tx) => savePageIn(tx, input), REVISION_TRANSACTION);
}

/**
 * Creates the page when it does not exist, then saves `body` as its next revision from `baseRevision`: appended,
 * merged over edits saved meanwhile, or (edits overlap) nothing written and a conflict holding the author's text.
 * An importer calls this with the original author's name (`author.id` null when they have no account here), the
 * edit's time in `at`, and `role: "admin"`.
 */
export async function savePageIn(tx: Tx, input: SavePageInput): Promise<SavePageResult> {
  const t = editableTitle(input.title);
  assertSignedIn(input.author);
  const summary = (input.summary ?? "").trim();
  if (summary.length > MAX_SUMMARY_CHARS) throw new DomainError("BAD_REQUEST", `A summary may hold at most ${MAX_SUMMARY_CHARS} characters.`);
  const at = input.at ?? new Date();

  let page = await tx.wikiPage.findUnique({ where: { key: t.key }, select: pageSelect });
  let created = false;
  if (!page) {
    if (input.body.trim() === "") throw new DomainError("BAD_REQUEST", "A new page needs some text.");
    // Two first saves at once: one inserts, the other finds its row (and then merges or conflicts on the text).
    const inserted = await tx.$executeRaw`
      INSERT INTO "WikiPage" (id, key, title, "createdAt", "touchedAt") VALUES (${`wp_${randomUUID()}`}, ${t.key}, ${t.title}, ${at}, ${at})
      ON CONFLICT (key) DO NOTHING`;
    created = inserted === 1;
    page = await tx.wikiPage.findUniqueOrThrow({ where: { key: t.key }, select: pageSelect });
  }
  if (page.deletedAt) throw new DomainError("FORBIDDEN", `"${page.title}" was deleted. An admin can restore it from its history.`);
  assertCanEdit(input.author, page);

  const documentId = await documentOf(tx, page.id);
  const result = await saveRevisionIn(tx, {
    documentId,
    baseNumber: input.baseRevision,
    body: input.body,
    authorId: input.author.id,
    authorName: input.author.id ? null : input.author.name,
    summary,
    minor: input.minor ?? false,
    createdAt: at,
  });
  const named = { title: page.title, key: page.key };
  if (result.status === "conflict") {
    const { status, currentNumber, mine, theirs, base, regions } = result;
    return { status, ...named, currentNumber, mine, theirs, base, regions };
  }
  if (result.status === "unchanged") return { status: "unchanged", ...named, number: result.number };

  await afterSave(tx, page, result.body, at, result.number, created);
  if (input.author.id && input.watch !== false) {
    await tx.wikiWatch.createMany({ data: [{ userId: input.author.id, pageId: page.id }], skipDuplicates: true });
  }
  const verb = created ? "created" : "edited";
  await notifyWatchers(tx, page.id, input.author.id, {
    title: `${input.author.name} ${verb} "${page.title}"${input.minor ? " (minor edit)" : ""}`,
    body: summary,
    link: `${wikiPath(page.key)}?action=history`,
    dedupeKey: `wiki-rev:${documentId}:${result.number}`,
  });
  return { status: "saved", ...named, number: result.number, merged: result.merged, created };
}

/** The page's text document, created on its first save (concurrent first saves create one). */
async function documentOf(tx: Tx, pageId: string): Promise<string> {
  await tx.$executeRaw`
    INSERT INTO "TextDocument" (id, kind, "wikiPageId", "updatedAt") VALUES (${newDocumentId()}, 'wiki-page', ${pageId}, now())
    ON CONFLICT ("wikiPageId") DO NOTHING`;
  const doc = await tx.textDocument.findUniqueOrThrow({ where: { wikiPageId: pageId }, select: { id: true } });
  return doc.id;
}

/**
 * What follows from a new current text: redirect, links, categories, length, the stored HTML, the search document,
 * and the cached views that change: this page's, the categories it joins or leaves, the files it starts or stops
 * showing, and (a new page) the pages whose red links to it turn blue.
 */
async function afterSave(tx: Tx, page: { id: string; key: string; title: string; deletedAt: Date | null }, body: string, at: Date, number: number, created: boolean) {
  const analysis = analyzePage(body);
  const [oldLinks, oldCategories] = await Promise.all([
    tx.wikiLink.findMany({ where: { pageId: page.id }, select: { targetKey: true } }),
    tx.wikiCategory.findMany({ where: { pageId: page.id }, select: { categoryKey: true } }),
  ]);
  await tx.wikiPage.update({ where: { id: page.id }, data: { redirectKey: analysis.redirectKey, length: body.length, touchedAt: at } });
  await tx.wikiLink.deleteMany({ where: { pageId: page.id } });
  if (analysis.linkKeys.length) await tx.wikiLink.createMany({ data: analysis.linkKeys.map((targetKey) => ({ pageId: page.id, targetKey })) });
  await tx.wikiCategory.deleteMany({ where: { pageId: page.id } });
  if (analysis.categoryKeys.length) {
    await tx.wikiCategory.createMany({ data: analysis.categoryKeys.map((categoryKey) => ({ pageId: page.id, categoryKey })) });
  }
  await storePageHtml(tx, page, number, body, analysis.linkKeys);
  await syncSearch(tx, { ...page, redirectKey: analysis.redirectKey }, analysis.plainText);
  const files = (keys: string[]) => keys.filter((k) => k.startsWith("File:"));
  await viewsChanged(tx, [page.key], { existenceChanged: created });
  await viewsChanged(tx, [
    ...changed(oldCategories.map((c) => c.categoryKey), analysis.categoryKeys).map((c) => `Category:${c}`),
    ...changed(files(oldLinks.map((l) => l.targetKey)), files(analysis.linkKeys)),
  ]);
}

/** What is in one list and not the other. */
function changed(before: readonly string[], after: readonly string[]): string[] {
  const a = new Set(before);
  const b = new Set(after);
  return [...[...a].filter((x) => !b.has(x)), ...[...b].filter((x) => !a.has(x))];
}

/** A page appears or disappears (delete, restore, move): its view, its categories', its files' and its linkers'. */
async function existenceChanged(tx: Tx, pageId: string, keys: string[]) {
  const [links, categories] = await Promise.all([
    tx.wikiLink.findMany({ where: { pageId, targetKey: { startsWith: "File:" } }, select: { targetKey: true } }),
    tx.wikiCategory.findMany({ where: { pageId }, select: { categoryKey: true } }),
  ]);
  await viewsChanged(tx, keys, { existenceChanged: true });
  await viewsChanged(tx, [...links.map((l) => l.targetKey), ...categories.map((c) => `Category:${c.categoryKey}`)]);
}

/**
 * Ordinary, live pages are searchable (title weighted over body); redirects and deleted pages are not. Search's
 * author and date filters see the page as its newest revision: who last edited it, and when.
 */
async function syncSearch(tx: Tx, page: { id: string; key: string; title: string; deletedAt: Date | null; redirectKey: string | null }, plainText: string) {
  if (page.deletedAt || page.redirectKey) {
    await removeDocuments(tx, "wiki", [page.key]);
    return;
  }
  const last = await tx.revision.findFirst({ where: { document: { wikiPageId: page.id } }, orderBy: { number: "desc" }, select: { authorId: true, createdAt: true } });
  await indexDocuments(tx, "wiki", [{ key: page.key, url: wikiPath(page.key), title: page.title, body: plainText, authorId: last?.authorId, writtenAt: last?.createdAt }]);
}

async function notifyWatchers(
  tx: Tx,
  pageId: string,
  actorId: string | null,
  message: { title: string; body: string; link: string; dedupeKey: string },
) {
  const watchers = await tx.wikiWatch.findMany({ where: { pageId, ...(actorId ? { userId: { not: actorId } } : {}) }, select: { userId: true } });
  if (watchers.length === 0) return;
  await notify(tx, watchers.map((w) => w.userId), "wiki-page-changed", { title: message.title, body: message.body, link: message.link }, { dedupeKey: message.dedupeKey });
}

async function livePage(tx: Tx | PrismaClient, raw: string) {
  const t = parseWikiTitle(raw);
  const page = await tx.wikiPage.findUnique({ where: { key: t.key }, select: pageSelect });
  if (!page) throw new DomainError("NOT_FOUND", `There is no page "${t.title}".`);
  return page;
}

function assertAdmin(actor: WikiActor, what: string) {
  if (actor.role !== "admin") throw new DomainError("FORBIDDEN", `Only admins may ${what}.`);
}

async function log(tx: Tx, entry: { action: string; pageId: string; title: string; detail?: string; actor: WikiActor; reason: string }) {
  await tx.wikiLogEntry.create({
    data: { action: entry.action, pageId: entry.pageId, title: entry.title, detail: entry.detail ?? "", actorId: entry.actor.id, actorName: entry.actor.name, reason: entry.reason },
  });
}

/** Sets who may edit a page: "none" (everyone signed in), "grader" or "admin". Graders may protect up to their own level. */
export async function protectPage(prisma: PrismaClient, input: { title: string; level: Protection; reason: string; actor: WikiActor }) {
  return writeTransaction(prisma, async (tx) => {
    const page = await livePage(tx, input.title);
    assertSignedIn(input.actor);
    if (!hasRole(input.actor.role, "grader")) throw new DomainError("FORBIDDEN", "Only graders and admins may protect pages.");
    if (!canEdit(input.actor.role, page.protection) || !canEdit(input.actor.role, input.level)) {
      throw new DomainError("FORBIDDEN", "Only admins may change an admin-level protection.");
    }
    await tx.wikiPage.update({ where: { id: page.id }, data: { protection: input.level, protectionReason: input.reason.trim() } });
    await log(tx, { action: input.level === "none" ? "unprotect" : "protect", pageId: page.id, title: page.title, detail: input.level, actor: input.actor, reason: input.reason.trim() });
    await viewsChanged(tx, [page.key]);
    return { title: page.title, key: page.key, protection: input.level };
  }, REVISION_TRANSACTION);
}

/** Hides a page and its history from everyone but admins (soft delete: nothing is removed, restore brings it back). */
export async function deletePage(prisma: PrismaClient, input: { title: string; reason: string; actor: WikiActor }) {
  assertAdmin(input.actor, "delete pages");
  return writeTransaction(prisma, async (tx) => {
    const page = await livePage(tx, input.title);
    if (page.deletedAt) throw new DomainError("CONFLICT", `"${page.title}" is already deleted.`);
    await tx.wikiPage.update({ where: { id: page.id }, data: { deletedAt: new Date(), deletedById: input.actor.id, deleteReason: input.reason.trim() } });
    await removeDocuments(tx, "wiki", [page.key]);
    await existenceChanged(tx, page.id, [page.key]);
    await log(tx, { action: "delete", pageId: page.id, title: page.title, actor: input.actor, reason: input.reason.trim() });
    await notifyWatchers(tx, page.id, input.actor.id, {
      title: `${input.actor.name} deleted "${page.title}"`,
      body: input.reason.trim(),
      link: wikiPath(page.key),
      dedupeKey: `wiki-log:delete:${page.id}:${Date.now()}`,
    });
    return { title: page.title, key: page.key };
  }, REVISION_TRANSACTION);
}

export async function restorePage(prisma: PrismaClient, input: { title: string; reason: string; actor: WikiActor }) {
  assertAdmin(input.actor, "restore pages");
  return writeTransaction(prisma, async (tx) => {
    const page = await livePage(tx, input.title);
    if (!page.deletedAt) throw new DomainError("CONFLICT", `"${page.title}" is not deleted.`);
    await tx.wikiPage.update({ where: { id: page.id }, data: { deletedAt: null, deletedById: null, deleteReason: "" } });
    const doc = await tx.textDocument.findUnique({ where: { wikiPageId: page.id }, select: { id: true } });
    const body = doc ? (await currentText(tx, doc.id)).body : "";
    await syncSearch(tx, { ...page, deletedAt: null }, analyzePage(body).plainText);
    await existenceChanged(tx, page.id, [page.key]);
    await log(tx, { action: "restore", pageId: page.id, title: page.title, actor: input.actor, reason: input.reason.trim() });
    await notifyWatchers(tx, page.id, input.actor.id, {
      title: `${input.actor.name} restored "${page.title}"`,
      body: input.reason.trim(),
      link: wikiPath(page.key),
      dedupeKey: `wiki-log:restore:${page.id}:${Date.now()}`,
    });
    return { title: page.title, key: page.key };
  }, REVISION_TRANSACTION);
}

/**
 * Renames a page (its history goes with it) and leaves a redirect at the old title, as MediaWiki does. The new
 * title must be free, or be a redirect back to this page (moving back over the redirect a move left).
 */
export async function movePage(prisma: PrismaClient, input: { from: string; to: string; reason: string; actor: WikiActor }) {
  return writeTransaction(prisma, async (tx) => {
    const page = await livePage(tx, input.from);
    if (page.deletedAt) throw new DomainError("FORBIDDEN", `"${page.title}" was deleted.`);
    assertCanEdit(input.actor, page);
    const to = editableTitle(input.to);
    if (to.key === page.key) throw new DomainError("BAD_REQUEST", "The new title is the same as the old one.");
    const existing = await tx.wikiPage.findUnique({ where: { key: to.key }, select: { id: true, redirectKey: true, title: true } });
    if (existing) {
      const revisions = await tx.revision.count({ where: { document: { wikiPageId: existing.id } } });
      if (existing.redirectKey !== page.key || revisions > 1) throw new DomainError("CONFLICT", `A page "${existing.title}" already exists.`);
      await removeDocuments(tx, "wiki", [to.key]);
      await tx.wikiPage.delete({ where: { id: existing.id } });
    }
    await tx.wikiPage.update({ where: { id: page.id }, data: { key: to.key, title: to.title } });
    const doc = await tx.textDocument.findUnique({ where: { wikiPageId: page.id }, select: { id: true } });
    const body = doc ? (await currentText(tx, doc.id)).body : "";
    await removeDocuments(tx, "wiki", [page.key]);
    await syncSearch(tx, { ...to, id: page.id, deletedAt: null, redirectKey: page.redirectKey }, analyzePage(body).plainText);
    await existenceChanged(tx, page.id, [page.key, to.key]);
    await log(tx, { action: "move", pageId: page.id, title: page.title, detail: to.title, actor: input.actor, reason: input.reason.trim() });
    await notifyWatchers(tx, page.id, input.actor.id, {
      title: `${input.actor.name} moved "${page.title}" to "${to.title}"`,
      body: input.reason.trim(),
      link: wikiPath(to.key),
      dedupeKey: `wiki-log:move:${page.id}:${to.key}:${Date.now()}`,
    });
    // The redirect left behind is an ordinary page with one revision, by the mover.
    await savePageIn(tx, {
      title: page.title,
      body: `#REDIRECT [[${to.title}]]\n`,
      summary: `Moved to [[${to.title}]]`,
      baseRevision: 0,
      author: { ...input.actor, role: "admin" },
      watch: false,
    });
    return { title: to.title, key: to.key };
  }, REVISION_TRANSACTION);
}

/** Puts a page on (or takes it off) the user's watchlist. A page not yet written can be watched too: not here. */
export async function setWatch(prisma: PrismaClient, input: { title: string; userId: string; watch: boolean }) {
  const page = await livePage(prisma, input.title);
  if (input.watch) await prisma.wikiWatch.createMany({ data: [{ userId: input.userId, pageId: page.id }], skipDuplicates: true });
  else await prisma.wikiWatch.deleteMany({ where: { userId: input.userId, pageId: page.id } });
  return { watching: input.watch };
}

/** Saves revision `number`'s text again as the newest (MediaWiki's "restore this version"). */
export async function revertPage(prisma: PrismaClient, input: { title: string; number: number; author: WikiActor; summary?: string }) {
  return writeTransaction(prisma, async (tx) => {
    const page = await livePage(tx, input.title);
    const doc = await tx.textDocument.findUnique({ where: { wikiPageId: page.id }, select: { id: true } });
    if (!doc) throw new DomainError("NOT_FOUND", `"${page.title}" has no revisions.`);
    const target = await revisionOrThrow(tx, doc.id, input.number);
    const current = await currentText(tx, doc.id);
    return savePageIn(tx, {
      title: page.title,
      body: target.body,
      baseRevision: current.number,
      author: input.author,
      summary: input.summary?.trim() || `Reverted to revision ${input.number}`,
    });
  }, REVISION_TRANSACTION);
}

/**
 * Undoes one edit while keeping every later one: a three-way merge with revision `number - 1` as "mine" and
 * revision `number` as the base, over the current text. Edits after it that touch the same lines make it a conflict.
 */
export async function undoEdit(prisma: PrismaClient, input: { title: string; number: number; author: WikiActor; summary?: string }) {
  return writeTransaction(prisma, async (tx) => {
    const page = await livePage(tx, input.title);
    const doc = await tx.textDocument.findUnique({ where: { wikiPageId: page.id }, select: { id: true } });
    if (!doc) throw new DomainError("NOT_FOUND", `"${page.title}" has no revisions.`);
    if (input.number < 1) throw new DomainError("BAD_REQUEST", "There is no revision 0 to undo.");
    await revisionOrThrow(tx, doc.id, input.number);
    const before = input.number === 1 ? "" : (await revisionOrThrow(tx, doc.id, input.number - 1)).body;
    // saveRevisionIn merges base=revision n, mine=revision n-1, theirs=current: exactly the undo.
    return savePageIn(tx, {
      title: page.title,
      body: before,
      baseRevision: input.number,
      author: input.author,
      summary: input.summary?.trim() || `Undid revision ${input.number}`,
    });
  }, REVISION_TRANSACTION);
}

async function revisionOrThrow(tx: Tx, documentId: string, number: number) {
  return await getRevision(tx, documentId, number);
}
