import { createHash } from "node:crypto";
import type { Database, Prisma, PrismaClient } from "@course/db";

/**
 * Dropping cached pages when what they show changes (README "Page views and caching"). The page cache
 * (cache-handler.mjs) keeps rendered pages per process and drops those carrying a tag when asked. A write names the
 * pages it changes inside its transaction (`pagesChanged`): other web instances hear it through PostgreSQL's
 * NOTIFY, delivered when the transaction commits; this one drops them as soon as the transaction has committed
 * (`writeTransaction`), before the writer's next request can ask for the page.
 */

type Tx = Prisma.TransactionClient;

/** The NOTIFY channel: the payload is comma-separated tags. */
export const PAGE_CACHE_CHANNEL = "course_page_cache";

/** A wiki page's cached view (its key hashed: tags are limited to 256 characters, titles are not). */
export function wikiViewTag(key: string): string {
  return `wiki:${createHash("sha1").update(key).digest("hex")}`;
}

/** Every cached wiki view: after a gap in the notifications, any of them may be stale. */
export const ALL_WIKI_VIEWS = "wiki:*";

/** A forum topic's cached anonymous view: every write that publishes a live event for the topic drops it (forum/live.ts). */
export function topicViewTag(topicId: string): string {
  return `forum-topic:${topicId}`;
}

/** Every cached topic view. */
export const ALL_TOPIC_VIEWS = "forum-topic:*";

interface PageCacheHook {
  invalidate(tags: readonly string[]): void;
}

/** cache-handler.mjs puts its entry point here when Next loads it (plain JS, outside the app's bundles). */
const HOOK = Symbol.for("course.pageCache");

/** Drops this process's cached pages that carry one of `tags` (a tag ending in `*` matches by prefix). */
export function invalidateCachedPages(tags: readonly string[]): void {
  if (tags.length === 0) return;
  (globalThis as { [HOOK]?: PageCacheHook })[HOOK]?.invalidate(tags);
}

const pending = new WeakMap<object, Set<string>>();
/** NOTIFY payloads are limited to 8000 bytes: tags go in batches. */
const TAGS_PER_NOTIFY = 100;

/** Inside a write transaction: the pages carrying these tags change when it commits. */
export async function pagesChanged(tx: Tx, tags: Iterable<string>): Promise<void> {
  const list = [...new Set(tags)];
  if (list.length === 0) return;
  let set = pending.get(tx);
  if (!set) pending.set(tx, (set = new Set()));
  for (const tag of list) set.add(tag);
  for (let i = 0; i < list.length; i += TAGS_PER_NOTIFY) {
    await tx.$executeRaw`SELECT pg_notify(${PAGE_CACHE_CHANNEL}, ${list.slice(i, i + TAGS_PER_NOTIFY).join(",")})`;
  }
}

/**
 * `prisma.$transaction(fn, options)`, and once it has committed, this process's cached copies of the pages it changed
 * are dropped (other processes hear the NOTIFY).
 */
export async function writeTransaction<T>(prisma: PrismaClient, fn: (tx: Tx) => Promise<T>, options?: { maxWait?: number; timeout?: number }): Promise<T> {
  let used: Tx | null = null;
  const result = await prisma.$transaction((tx) => {
    used = tx;
    return fn(tx);
  }, options);
  const tags = used ? pending.get(used) : undefined;
  if (tags) invalidateCachedPages([...tags]);
  return result;
}

/** Start-up: drop cached pages that writes in other processes change (PostgreSQL with several web instances, CLIs). */
export async function listenForPageChanges(db: Pick<Database, "listen">): Promise<void> {
  await db.listen(PAGE_CACHE_CHANNEL, (payload) => invalidateCachedPages(payload.split(",").filter(Boolean)), {
    // The connection dropped and came back: messages may have been missed.
    onReconnect: () => invalidateCachedPages([ALL_WIKI_VIEWS, ALL_TOPIC_VIEWS]),
  });
}
