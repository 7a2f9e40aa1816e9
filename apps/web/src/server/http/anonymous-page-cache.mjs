// The anonymous page cache: in front of Next, server.mjs answers a signed-out visitor's plain GET of a page that Next
// last served from the page cache (cache-handler.mjs) with that same response, without going through Next, for as long
// as the page cache still holds that very render (a write that drops it, a newer render, new content on disk or its
// `revalidate` ends it here too). Discourse serves anonymous views the same way, from a cache in front of Rails.
// What is kept is Next's response before the CSP nonce and compression: each answer still gets its own nonce and is
// compressed by the same code as any other (server.mjs). README "Page views and caching".
import { AsyncLocalStorage } from "node:async_hooks";
import { isCurrentEntry } from "../../../cache-handler.mjs";
import { toBuffer } from "../security/response-nonce.mjs";

/** At most this many responses are kept (least recently used go first), as the page cache itself keeps 500 pages. */
const MAX_ENTRIES = 500;
/** A page larger than this is left to Next. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** cache-handler.mjs records each page it serves in the request's store (a copy loaded by Next reaches it here). */
const served = (globalThis[Symbol.for("course.pageCache.served")] ??= new AsyncLocalStorage());

/** A session cookie of next-auth's, plain, secure or split into chunks (`.0`, `.1`). */
const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-|__Host-)?next-auth\.session-token(?:\.\d+)?=/;

/**
 * A request whose answer is the same for every signed-out visitor: a GET with no session cookie and no credentials,
 * and not one of Next's own client requests (RSC payloads, prefetches, server actions), which say so in `rsc`,
 * `next-*` or `x-middleware-*` headers.
 */
export function isAnonymousPageRequest(req) {
  if (req.method !== "GET") return false;
  const cookie = req.headers.cookie;
  if (cookie && SESSION_COOKIE.test(cookie)) return false;
  for (const name of Object.keys(req.headers)) {
    if (name === "rsc" || name === "authorization" || name.startsWith("next-") || name.startsWith("x-middleware-")) return false;
  }
  return true;
}

export function anonymousPageCache({ maxEntries = MAX_ENTRIES } = {}) {
  /** url -> { key, lastModified, statusCode, headers, body } */
  const kept = new Map();

  /**
   * Answers `req` from a kept response when there is a current one (true), or leaves it to Next (false). Call it after
   * the nonce and compression are set up on `res`: the answer goes through them like Next's would.
   */
  async function serve(req, res) {
    if (!isAnonymousPageRequest(req)) return false;
    const hit = kept.get(req.url);
    if (!hit) return false;
    if (!(await isCurrentEntry(hit.key, hit.lastModified))) {
      if (kept.get(req.url) === hit) kept.delete(req.url);
      return false;
    }
    kept.delete(req.url);
    kept.set(req.url, hit);
    res.writeHead(hit.statusCode, { ...hit.headers, "x-anonymous-cache": "HIT" });
    res.end(hit.body);
    return true;
  }

  /**
   * Runs Next's handler for `req`; when the request is anonymous and Next answers it with one page from the page cache
   * (a 200 HTML hit, no cookie set), keeps the response for the next such request of the same URL.
   */
  function handle(req, res, next) {
    if (!isAnonymousPageRequest(req)) return next();
    const pages = [];
    const chunks = [];
    let size = 0;
    let snapshot = null;
    const writeHead = res.writeHead;
    const write = res.write;
    const end = res.end;
    const take = () => {
      snapshot ??= { statusCode: res.statusCode, headers: res.getHeaders() };
    };
    res.writeHead = function (statusCode, ...rest) {
      const headers = rest.length && typeof rest[rest.length - 1] === "object" && !Array.isArray(rest[rest.length - 1]) ? rest[rest.length - 1] : undefined;
      snapshot ??= { statusCode, headers: { ...res.getHeaders(), ...(headers ?? {}) } };
      return writeHead.call(this, statusCode, ...rest);
    };
    res.write = function (chunk, encoding, callback) {
      take();
      const buf = toBuffer(chunk, encoding);
      size += buf.length;
      if (size <= MAX_BODY_BYTES) chunks.push(Buffer.from(buf));
      return write.call(this, chunk, encoding, callback);
    };
    res.end = function (chunk, encoding, callback) {
      take();
      const buf = toBuffer(chunk, encoding);
      size += buf.length;
      if (size <= MAX_BODY_BYTES) chunks.push(Buffer.from(buf));
      keep(req, snapshot, pages, size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : null);
      return end.call(this, chunk, encoding, callback);
    };
    return served.run(pages, next);
  }

  function keep(req, snapshot, pages, body) {
    if (!snapshot || !body || snapshot.statusCode !== 200 || pages.length !== 1) return;
    const [page] = pages;
    if (page.kind !== "APP_PAGE") return;
    const headers = Object.fromEntries(Object.entries(snapshot.headers).filter(([, v]) => v !== undefined));
    if (String(headers["x-nextjs-cache"] ?? "") !== "HIT" || headers["set-cookie"] !== undefined) return;
    if (!/^\s*text\/html\b/i.test(String(headers["content-type"] ?? ""))) return;
    kept.delete(req.url);
    kept.set(req.url, { key: page.key, lastModified: page.lastModified, statusCode: 200, headers, body });
    while (kept.size > maxEntries) kept.delete(kept.keys().next().value);
  }

  return { serve, handle, size: () => kept.size };
}
