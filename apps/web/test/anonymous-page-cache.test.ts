import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import CoursePageCache from "../cache-handler.mjs";
import { anonymousPageCache, isAnonymousPageRequest } from "~/server/http/anonymous-page-cache.mjs";
import { compression } from "~/server/security/compression.mjs";
import { applyResponseNonce, newPlaceholder } from "~/server/security/response-nonce.mjs";
import { invalidateCachedPages, topicViewTag } from "~/server/page-cache";

// The anonymous page cache in front of Next (server.mjs), around the real page cache (cache-handler.mjs), the nonce
// and compression. In place of Next's handler stands the one thing it does for a cached page: ask the page cache and
// send what it holds (x-nextjs-cache HIT), or render and store it (MISS). Every call of it is counted, so a test sees
// which answers came from in front of it.

interface Handler {
  get(key: string): Promise<{ value: { html: string } } | null>;
  set(key: string, value: unknown, ctx?: { cacheControl?: { revalidate: number } }): Promise<void>;
}

const cache = new CoursePageCache() as unknown as Handler;
const placeholder = newPlaceholder();
let renders = 0;
let nextCalls = 0;
const tagOf = (url: string) => topicViewTag(url.split("/").pop()!.split("?")[0]!);

async function fakeNext(req: http.IncomingMessage, res: http.ServerResponse) {
  nextCalls++;
  const key = new URL(req.url!, "http://x").pathname;
  if (key === "/dynamic") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    return void res.end(`<p>per request ${nextCalls}</p>`);
  }
  const hit = await cache.get(key);
  const html = hit?.value.html ?? `<html><script nonce="${placeholder}">render ${++renders} of ${key}</script></html>`;
  if (!hit) await cache.set(key, { kind: "APP_PAGE", html, headers: { "x-next-cache-tags": tagOf(key) } }, { cacheControl: { revalidate: 600 } });
  res.setHeader("x-nextjs-cache", hit ? "HIT" : "MISS");
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.statusCode = 200;
  res.write(html.slice(0, 10));
  res.end(html.slice(10));
}

const anonymous = anonymousPageCache({ maxEntries: 3 });
const compress = compression();
const server = http.createServer((req, res) => {
  compress(req, res, () => {});
  applyResponseNonce(req, res, { placeholder });
  void anonymous.serve(req, res).then((answered) => (answered ? undefined : anonymous.handle(req, res, () => fakeNext(req, res))));
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function get(path: string, headers: Record<string, string> = {}) {
  const before = nextCalls;
  const res = await fetch(`${base}${path}`, { headers });
  const body = await res.text();
  return { body, front: res.headers.get("x-anonymous-cache") === "HIT", throughNext: nextCalls > before, csp: res.headers.get("content-security-policy") ?? "", encoding: res.headers.get("content-encoding") };
}

describe("the anonymous page cache", () => {
  it("answers a signed-out visitor's view of a cached page without Next, each answer with its own nonce, compressed", async () => {
    const first = await get("/forum-view/t1/slug");
    expect([first.front, first.throughNext, first.body]).toEqual([false, true, expect.stringContaining("render 1")]);
    const second = await get("/forum-view/t1/slug");
    expect([second.front, second.throughNext]).toEqual([false, true]); // Next's own hit: now kept
    const third = await get("/forum-view/t1/slug", { "accept-encoding": "gzip" });
    expect([third.front, third.throughNext, third.encoding]).toEqual([true, false, "gzip"]);
    const fourth = await get("/forum-view/t1/slug");
    expect(fourth.front).toBe(true);
    for (const answer of [third, fourth]) {
      expect(answer.body).toContain("render 1");
      expect(answer.body).not.toContain(placeholder);
      const nonce = /'nonce-([^']+)'/.exec(answer.csp)?.[1];
      expect(answer.body).toContain(`nonce="${nonce}"`);
    }
    expect(third.csp).not.toBe(fourth.csp);
  });

  it("stops the moment the page cache drops the page (a write), and keeps the new render once Next has served it", async () => {
    await get("/forum-view/t2/slug");
    await get("/forum-view/t2/slug");
    expect((await get("/forum-view/t2/slug")).front).toBe(true);
    const before = renders;
    invalidateCachedPages([tagOf("/forum-view/t2/slug")]);
    const after = await get("/forum-view/t2/slug");
    expect([after.front, after.throughNext, renders]).toEqual([false, true, before + 1]);
    expect(after.body).toContain(`render ${renders} `);
    const rendered = after.body;
    await get("/forum-view/t2/slug");
    const kept = await get("/forum-view/t2/slug");
    expect([kept.front, kept.body.replace(/nonce="[^"]+"/, "")]).toEqual([true, rendered.replace(/nonce="[^"]+"/, "")]);
  });

  it("never answers signed-in members, Next's own client requests or other methods, and keeps nothing for them", async () => {
    await get("/forum-view/t3/slug");
    await get("/forum-view/t3/slug");
    expect((await get("/forum-view/t3/slug")).front).toBe(true);
    for (const headers of <Record<string, string>[]>[
      { cookie: "theme=dark; next-auth.session-token=abc" },
      { cookie: "__Secure-next-auth.session-token.0=abc" },
      { rsc: "1" },
      { "next-router-prefetch": "1" },
      { authorization: "Bearer x" },
    ]) {
      const answer = await get("/forum-view/t3/slug", headers);
      expect([answer.front, answer.throughNext], JSON.stringify(headers)).toEqual([false, true]);
    }
    expect(isAnonymousPageRequest({ method: "HEAD", headers: {} })).toBe(false);
    expect(isAnonymousPageRequest({ method: "POST", headers: {} })).toBe(false);
    expect(isAnonymousPageRequest({ method: "GET", headers: { cookie: "theme=dark" } })).toBe(true);
    // A page Next renders per request (no page-cache hit) is never kept.
    for (let i = 0; i < 3; i++) expect((await get("/dynamic")).front).toBe(false);
  });

  it("keeps at most its bound of pages, least recently used going first", async () => {
    for (const id of ["a", "b", "c", "d"]) {
      await get(`/forum-view/${id}/s`);
      await get(`/forum-view/${id}/s`);
    }
    expect(anonymous.size()).toBe(3);
    expect((await get("/forum-view/a/s")).front).toBe(false);
    expect((await get("/forum-view/d/s")).front).toBe(true);
  });
});
