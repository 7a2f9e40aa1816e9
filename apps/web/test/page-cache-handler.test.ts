import { describe, expect, it } from "vitest";
import CoursePageCache from "../cache-handler.mjs";
import { ALL_WIKI_VIEWS, invalidateCachedPages, wikiViewTag } from "~/server/page-cache";

// The page cache's drops (cache-handler.mjs): pages carry tags; a write drops the pages carrying the tags it names,
// through the global entry point the app's write paths use, whichever copy of the module holds the entries.
interface Handler {
  get(key: string): Promise<{ value: unknown } | null>;
  set(key: string, value: unknown, ctx?: { tags?: string[]; cacheControl?: { revalidate: number } }): Promise<void>;
}

const page = (tags: string[]) => ({ kind: "APP_PAGE", html: "<p>page</p>", headers: { "x-next-cache-tags": tags.join(",") } });

async function render(cache: Handler, key: string, tags: string[], during?: () => void) {
  expect(await cache.get(key)).toBeNull();
  during?.();
  await cache.set(key, page(tags), { cacheControl: { revalidate: 600 } });
}

describe("the page cache's drops", () => {
  it("drops the pages carrying a changed tag, by prefix too, and keeps the others", async () => {
    const cache = new CoursePageCache() as unknown as Handler;
    const a = wikiViewTag("Page_A");
    const b = wikiViewTag("Page_B");
    await render(cache, "/wiki-view/Page_A", ["_N_T_/layout", a]);
    await render(cache, "/wiki-view/Page_B", [b]);
    await render(cache, "/lessons/lesson-1", ["_N_T_/lessons/lesson-1"]);
    expect(await cache.get("/wiki-view/Page_A")).not.toBeNull();

    invalidateCachedPages([a]);
    expect(await cache.get("/wiki-view/Page_A")).toBeNull();
    expect(await cache.get("/wiki-view/Page_B")).not.toBeNull();

    // a second copy of the module (Next bundles one into other server code) shares the entries
    const other = new CoursePageCache() as unknown as Handler;
    expect(await other.get("/wiki-view/Page_B")).not.toBeNull();

    invalidateCachedPages([ALL_WIKI_VIEWS]);
    expect(await cache.get("/wiki-view/Page_B")).toBeNull();
    expect(await cache.get("/lessons/lesson-1")).not.toBeNull();
  });

  it("does not store a render that began before a drop of what it shows (it read the old data)", async () => {
    const cache = new CoursePageCache() as unknown as Handler;
    const c = wikiViewTag("Page_C");
    await new Promise((r) => setTimeout(r, 5));
    await render(cache, "/wiki-view/Page_C", [c], () => invalidateCachedPages([c]));
    expect(await cache.get("/wiki-view/Page_C")).toBeNull();
    // the render after the drop is kept
    await new Promise((r) => setTimeout(r, 5));
    await render(cache, "/wiki-view/Page_C", [c]);
    expect(await cache.get("/wiki-view/Page_C")).not.toBeNull();
    // an entry whose tags come with the call (unstable_cache's) is dropped by them too
    await cache.set("fetch-entry", { kind: "FETCH", data: { body: "true" } }, { tags: [c] });
    expect(await cache.get("fetch-entry")).not.toBeNull();
    invalidateCachedPages([c]);
    expect(await cache.get("fetch-entry")).toBeNull();
  });
});
