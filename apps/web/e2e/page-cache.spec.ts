import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { signUp } from "./support/browser";
import { trpcMutation } from "./support/http-session";

// Pages that are the same for everyone (home, lessons, leaderboards) are rendered once and served from the page
// cache (apps/web/cache-handler.mjs). These tests hold it to that: one HTML for every visitor (apart from each
// response's own CSP nonce), each visitor's own part filled in by the browser, and new content shown without a restart.

const LESSON = "/lessons/lesson-1";
const TITLE = "Recognizing cats and dogs";

// Every request for the YouTube API script gets a tiny stand-in (the tests' network is closed).
test.beforeEach(async ({ page }) => {
  await page.route(
    (url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost",
    (route) => (route.request().resourceType() === "script" ? route.fulfill({ contentType: "text/javascript", body: "" }) : route.abort()),
  );
});

async function student(browser: Browser, baseURL: string, name: string, positionSeconds: number): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, baseURL, { email: `cache-${name.toLowerCase().replace(/\W+/g, "-")}-${Date.now()}@example.com`, name });
  const saved = await page.request.post("/api/trpc/progress.save", { data: { json: { slug: "lesson-1", positionSeconds } } });
  expect(saved.status()).toBe(200);
  return page;
}

test("the cached lesson page is one HTML for everyone; each student sees only their own name and resume position", async ({ browser, baseURL, request }) => {
  const anna = await student(browser, baseURL!, "Anna Cachetest", 300);
  const bruno = await student(browser, baseURL!, "Bruno Cachetest", 1000);

  // The server's answer does not depend on who asks: byte for byte the same for anonymous and both students apart
  // from the CSP nonce, served from the cache, with nobody's name in it. Each response has its own nonce, in its
  // Content-Security-Policy header and on every script tag.
  await request.get(LESSON);
  const responses = [await request.get(LESSON), await anna.request.get(LESSON), await bruno.request.get(LESSON)];
  const bodies: string[] = [];
  const nonces: string[] = [];
  for (const response of responses) {
    expect(response.headers()["x-nextjs-cache"]).toBe("HIT");
    const body = await response.text();
    const nonce = /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(response.headers()["content-security-policy"] ?? "")?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    const scripts = [...body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(3);
    for (const tag of scripts) expect(tag).toContain(` nonce="${nonce}"`);
    bodies.push(body.replaceAll(nonce!, "NONCE"));
    nonces.push(nonce!);
  }
  expect(new Set(nonces).size).toBe(3);
  expect(bodies[1]).toBe(bodies[0]);
  expect(bodies[2]).toBe(bodies[0]);
  for (const name of ["Anna Cachetest", "Bruno Cachetest"]) expect(bodies[0]).not.toContain(name);
  // The page's data for client-side navigation (the RSC payload) comes from the cache too, and any nonce in it is
  // that response's own: a nonce shared between responses would be the server's secret stand-in getting out.
  const payloadNonces = async () => {
    const payload = await (await request.get(LESSON, { headers: { RSC: "1" } })).text();
    return new Set([...payload.matchAll(/"nonce":"([^"]+)"/g)].map((m) => m[1]));
  };
  const [first, second] = [await payloadNonces(), await payloadNonces()];
  for (const seen of [first, second]) expect(seen.size).toBeLessThanOrEqual(1);
  for (const nonce of first) expect(second.has(nonce)).toBe(false);

  // In the browser, each gets their own part, in turn and at the same time.
  for (let round = 0; round < 2; round++) {
    await Promise.all([anna.goto(LESSON), bruno.goto(LESSON)]);
    await expect(anna.getByTestId("signed-in-as")).toHaveText("Anna Cachetest");
    await expect(bruno.getByTestId("signed-in-as")).toHaveText("Bruno Cachetest");
    await expect(anna.getByTestId("resume-note")).toContainText("Resuming at 5:00");
    await expect(bruno.getByTestId("resume-note")).toContainText("Resuming at 16:40");
    await expect(anna.getByTestId("unread-count")).toHaveCount(0);
    await expect(bruno.getByTestId("unread-count")).toHaveCount(0);
  }
  // The course home too: each student's own progress badge.
  await Promise.all([anna.goto("/"), bruno.goto("/")]);
  await expect(anna.getByTestId("lesson-item").filter({ hasText: "Lesson 1:" }).getByTestId("lesson-progress")).toHaveText("Resume at 5:00");
  await expect(bruno.getByTestId("lesson-item").filter({ hasText: "Lesson 1:" }).getByTestId("lesson-progress")).toHaveText("Resume at 16:40");

  // Anonymous visitors get no one's part.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(LESSON);
  await expect(visitor.getByTestId("header-user")).toHaveAttribute("data-state", "anonymous");
  await expect(visitor.getByTestId("signed-in-as")).toHaveCount(0);
  await expect(visitor.getByTestId("resume-note")).toHaveCount(0);
  await Promise.all([anna.context().close(), bruno.context().close(), visitor.context().close()]);
});

test("editing a lesson's title in the content folder shows the new title without a restart", async ({ request }) => {
  const file = path.join(process.env.COURSE_CONTENT_DIR!, "lessons", "lesson-1.mdx");
  const original = fs.readFileSync(file, "utf8");
  expect(original).toContain(`title: ${TITLE}`);
  const titleOf = async (pathname: string) => {
    const html = await (await request.get(pathname)).text();
    return [TITLE, "Telling cats from dogs"].filter((t) => html.includes(t)).join(" and ");
  };

  await request.get(LESSON);
  expect((await request.get(LESSON)).headers()["x-nextjs-cache"]).toBe("HIT");
  expect(await titleOf(LESSON)).toBe(TITLE);
  try {
    fs.writeFileSync(file, original.replace(`title: ${TITLE}`, "title: Telling cats from dogs"));
    await expect.poll(() => titleOf(LESSON), { timeout: 10_000 }).toBe("Telling cats from dogs");
    await expect.poll(() => titleOf("/"), { timeout: 10_000 }).toBe("Telling cats from dogs");
    // And cached again under the new version.
    expect((await request.get(LESSON)).headers()["x-nextjs-cache"]).toBe("HIT");
  } finally {
    fs.writeFileSync(file, original);
  }
  await expect.poll(() => titleOf(LESSON), { timeout: 10_000 }).toBe(TITLE);
});

test("an anonymous reader's topic page is served from the cache and follows each write to the topic at once", async ({ browser, baseURL, request }) => {
  const writer = await (await browser.newContext()).newPage();
  await signUp(writer, baseURL!, { email: `cache-topic-${Date.now()}@example.com`, name: "Topic Cachetest" });
  const created = await trpcMutation(writer.request, "forum.createTopic", { category: "general", title: `Cached topic ${Date.now()}`, body: "The first post." });
  expect(created.status()).toBe(200);
  const topic = ((await created.json()) as { result: { data: { json: { id: string; url: string } } } }).result.data.json;

  // Anonymous: rendered once, then a cache hit, the same HTML for the next reader (apart from the nonce).
  const anonymous = async () => {
    const response = await request.get(topic.url);
    expect(response.status()).toBe(200);
    const nonce = /'nonce-([^']+)'/.exec(response.headers()["content-security-policy"] ?? "")?.[1] ?? "";
    const html = await response.text();
    return { cache: response.headers()["x-nextjs-cache"], front: response.headers()["x-anonymous-cache"], html, sameFor: html.replaceAll(nonce, "NONCE") };
  };
  await anonymous();
  const hit = await anonymous();
  expect(hit.cache).toBe("HIT");
  expect(hit.html).toContain("The first post.");
  // From then on it is answered in front of Next (server.mjs's anonymous page cache), the same page.
  const front = await anonymous();
  expect([front.cache, front.front]).toEqual(["HIT", "HIT"]);
  expect(front.sameFor).toBe(hit.sameFor);
  expect(front.html).not.toBe(hit.html); // each answer has its own nonce

  // A reply drops it: the very next anonymous view has the reply, and is cached again after that.
  const reply = await trpcMutation(writer.request, "forum.reply", { topicId: topic.id, body: "A reply the cache must not hide." });
  expect(reply.status()).toBe(200);
  const after = await anonymous();
  expect([after.cache, after.front]).toEqual(["MISS", undefined]);
  expect(after.html).toContain("A reply the cache must not hide.");
  expect((await anonymous()).cache).toBe("HIT");
  expect((await anonymous()).front).toBe("HIT");
  // An edit of the topic (its title) too.
  expect((await trpcMutation(writer.request, "forum.updateTopic", { id: topic.id, title: "Retitled while cached" })).status()).toBe(200);
  expect((await anonymous()).html).toContain("Retitled while cached");

  // A jump to a post and a signed-in reader are rendered per request, never from the anonymous copy.
  expect((await request.get(`${topic.url}?post=2`)).headers()["x-nextjs-cache"]).toBeUndefined();
  const mine = await writer.request.get(topic.url);
  expect(mine.headers()["x-nextjs-cache"]).toBeUndefined();
  expect(mine.headers()["x-anonymous-cache"]).toBeUndefined();
  expect(await mine.text()).toContain("Retitled while cached");

  // In a browser, the anonymous reader's cached page is live like any other: a new reply shows without a reload.
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(topic.url);
  await expect(reader.locator("article#p2")).toContainText("A reply the cache must not hide.");
  expect((await trpcMutation(writer.request, "forum.reply", { topicId: topic.id, body: "Live for cached readers." })).status()).toBe(200);
  await expect(async () => {
    if ((await reader.locator("article#p3").count()) === 0) await reader.getByTestId("new-replies").click({ timeout: 200 });
    await expect(reader.locator("article#p3")).toContainText("Live for cached readers.", { timeout: 200 });
  }).toPass({ timeout: 5000 });
  await Promise.all([writer.context().close(), reader.context().close()]);
});
