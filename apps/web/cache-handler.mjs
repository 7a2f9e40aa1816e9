// The site's page cache (next.config.ts `cacheHandler`): Next.js stores the pages that are the same for every visitor
// (course home, lesson pages, leaderboards: see README "Page views and caching") here and serves them without
// rendering. Entries live in this process's memory and are keyed by the content version: course content is read at
// run time from COURSE_CONTENT_DIR, so a page rendered from other files than the ones on disk now is a miss, and the
// next request renders it again. An entry older than its page's `revalidate` is a miss too (not served stale), so a
// leaderboard is never more than its few seconds behind. Plain JavaScript: Next.js loads it as it is.
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** At most this many pages are kept (least recently used go first): unknown slugs must not grow memory. */
const MAX_ENTRIES = 500;
/** How often the content folder is looked at again (file names, sizes and modification times). */
const CHECK_EVERY_MS = 1000;

const defaultContentDir = path.resolve(/*turbopackIgnore: true*/ path.dirname(fileURLToPath(import.meta.url)), "../../content");

async function signature(dir) {
  const parts = [];
  const walk = async (folder) => {
    const entries = await fs.readdir(/*turbopackIgnore: true*/ folder, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const file = path.join(/*turbopackIgnore: true*/ folder, entry.name);
      if (entry.isDirectory()) await walk(file);
      else {
        const s = await fs.stat(/*turbopackIgnore: true*/ file).catch(() => null);
        if (s) parts.push(`${path.relative(dir, file)}:${s.size}:${s.mtimeMs}`);
      }
    }
  };
  await walk(dir);
  return parts.join("|");
}

// Shared by every copy of this module in the process (see `state` below): one look at the folder a second, not one each.
const version = (globalThis[Symbol.for("course.pageCache.contentVersion")] ??= { value: null, checkedAt: 0, pending: null });

/** The content version: a signature of every file under the content folder, looked at again at most every second. */
export async function contentVersion() {
  if (version.value !== null && Date.now() - version.checkedAt < CHECK_EVERY_MS) return version.value;
  version.pending ??= signature(path.resolve(/*turbopackIgnore: true*/ process.env.COURSE_CONTENT_DIR || defaultContentDir)).then((value) => {
    Object.assign(version, { value, checkedAt: Date.now(), pending: null });
    return value;
  });
  return version.pending;
}

// One cache per process, whichever copy of this module is running (Next loads its own; server.mjs imports another for
// the anonymous page cache), so its state lives on the process's global object.
const state = (globalThis[Symbol.for("course.pageCache.state")] ??= {
  entries: new Map(), // key -> { value, lastModified, cacheControl, version, tags }
  atMiss: new Map(), // key -> { version, at }: the content version and the time when a render for it began
  invalidatedAt: new Map(), // tag (or "prefix*") -> when pages carrying it were last dropped
});
const { entries, atMiss, invalidatedAt } = state;
/** How long a drop is remembered: a render that began before it and ends later is not stored (it read old data). */
const REMEMBER_DROPS_MS = 60_000;

const tagsOf = (value, ctx) => [...new Set([...String(value?.headers?.["x-next-cache-tags"] ?? "").split(","), ...(ctx?.tags ?? [])].filter(Boolean))];
const matches = (tag, wanted) => wanted.has(tag) || [...wanted].some((w) => w.endsWith("*") && tag.startsWith(w.slice(0, -1)));

/** Drops every entry carrying one of `tags` (a tag ending in "*" matches by prefix). */
function invalidate(tags) {
  const wanted = new Set([tags].flat().filter(Boolean));
  if (wanted.size === 0) return;
  const now = Date.now();
  for (const tag of wanted) invalidatedAt.set(tag, now);
  for (const [tag, at] of invalidatedAt) if (now - at > REMEMBER_DROPS_MS) invalidatedAt.delete(tag);
  for (const [key, entry] of entries) if (entry.tags.some((t) => matches(t, wanted))) entries.delete(key);
}

/** Was a page with these tags dropped after `since` (while it was being rendered)? */
function droppedSince(tags, since) {
  for (const [wanted, at] of invalidatedAt) {
    if (at >= since && tags.some((t) => t === wanted || (wanted.endsWith("*") && t.startsWith(wanted.slice(0, -1))))) return true;
  }
  return false;
}

// The app's write paths (apps/web/src/server/page-cache.ts) reach this module through a global: Next loads it on its
// own, outside the app's bundles.
globalThis[Symbol.for("course.pageCache")] = { invalidate };

/**
 * The request's record of the cached pages it was served (server.mjs runs each request in it): the anonymous page
 * cache (src/server/http/anonymous-page-cache.mjs) keeps a response only when it was one page served from here.
 */
const servedPages = () => globalThis[Symbol.for("course.pageCache.served")]?.getStore();

/**
 * Is the entry that was served under `key` at `lastModified` still the current one: not dropped by a write, not
 * replaced by a newer render, rendered from the content on disk now and within its `revalidate`? A yes also counts
 * as a use for the least-recently-used order, as a hit through Next does.
 */
export async function isCurrentEntry(key, lastModified) {
  const entry = entries.get(key);
  if (!entry || entry.lastModified !== lastModified) return false;
  const revalidate = entry.cacheControl?.revalidate;
  if (typeof revalidate === "number" && Date.now() - entry.lastModified >= revalidate * 1000) return false;
  if (entry.version !== (await contentVersion())) return false;
  if (entries.get(key) !== entry) return false;
  entries.delete(key);
  entries.set(key, entry);
  return true;
}

export default class CoursePageCache {
  async get(key) {
    const current = await contentVersion();
    const entry = entries.get(key);
    const revalidate = entry?.cacheControl?.revalidate;
    const expired = entry && typeof revalidate === "number" && Date.now() - entry.lastModified >= revalidate * 1000;
    if (!entry || entry.version !== current || expired) {
      entries.delete(key);
      // The render that follows reads the content as it is now: remember which version that was, and when.
      atMiss.set(key, { version: current, at: Date.now() });
      return null;
    }
    // Least recently used order: a hit moves the key to the end.
    entries.delete(key);
    entries.set(key, entry);
    servedPages()?.push({ key, lastModified: entry.lastModified, kind: entry.value?.kind });
    return { lastModified: entry.lastModified, value: entry.value, cacheControl: entry.cacheControl };
  }

  async set(key, value, ctx) {
    const miss = atMiss.get(key);
    atMiss.delete(key);
    const version = miss?.version ?? (await contentVersion());
    entries.delete(key);
    if (value === null) return;
    const tags = tagsOf(value, ctx);
    // What it shows changed while it was being rendered: the next request renders it again.
    if (droppedSince(tags, miss?.at ?? Date.now())) return;
    entries.set(key, { value, lastModified: Date.now(), cacheControl: ctx?.cacheControl, version, tags });
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value);
  }

  async revalidateTag(tags) {
    invalidate(tags);
  }

  resetRequestCache() {}
}
