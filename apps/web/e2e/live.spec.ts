import { expect, test, type Browser, type Page } from "@playwright/test";
import { signUp } from "./support/browser";
import { trpcMutation } from "./support/http-session";

// The shared site from global-setup (embedded database: live events go out in-process, after commit).
const baseUrl = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;

/** A student in a browser context of their own, on `site`, with the page at `/` and its live connection open. */
async function studentOn(browser: Browser, site: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, site, { email: `${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`, name });
  // The header subscribes to the user's channel once it knows who is signed in; the response (headers) comes once
  // the server listens.
  const live = page.waitForResponse((r) => r.url().includes("/api/live?"));
  await page.goto(`${site}/`);
  expect((await live).status()).toBe(200);
  return page;
}

test("the header's unread count goes up within 2 s when another student edits a page the student watches, without a reload", async ({ browser }) => {
  const alice = await studentOn(browser, baseUrl, "Alice");
  const title = `Live badge ${Date.now()}`;
  // Authors watch the pages they write.
  expect((await trpcMutation(alice.request, "wiki.save", { title, body: "First.\n", baseRevision: 0 })).status()).toBe(200);
  await expect(alice.getByTestId("unread-count")).toHaveCount(0);
  let loads = 0;
  alice.on("load", () => loads++);

  const bob = await studentOn(browser, baseUrl, "Bob");
  expect((await trpcMutation(bob.request, "wiki.save", { title, body: "First.\n\nSecond.\n", baseRevision: 1 })).status()).toBe(200);
  await expect(alice.getByTestId("unread-count")).toHaveText("1", { timeout: 2000 });
  expect(loads).toBe(0);
});

test("the live stream goes through the production server unbuffered and uncompressed", async () => {
  // A topic channel names a real topic (Lesson 1's thread, created on start): its id is in the thread's address.
  const thread = await fetch(`${baseUrl}/forum/l/lesson-1-discussion`, { redirect: "manual" });
  const topicId = /\/forum\/t\/([^/]+)\//.exec(thread.headers.get("location") ?? "")?.[1];
  expect(topicId, "Lesson 1's thread redirects to its topic").toBeTruthy();
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/api/live?channels=topic:${topicId}`, { headers: { "accept-encoding": "gzip, br" }, signal: abort.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  expect(res.headers.get("content-encoding")).toBeNull();
  const reader = res.body!.getReader();
  let text = "";
  const deadline = Date.now() + 2000;
  while (!text.includes("event: ready") && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  abort.abort();
  expect(text).toMatch(/^retry: \d+\n\nevent: ready\ndata: \{"channels":\["topic:[^"]+"\]\}\n\n/);
  expect(text).toContain(`"topic:${topicId}"`);
  // Refusals are plain JSON answers.
  expect((await fetch(`${baseUrl}/api/live?channels=user:someone-else`)).status).toBe(401);
  expect((await fetch(`${baseUrl}/api/live?channels=forum:1`)).status).toBe(400);
  expect((await fetch(`${baseUrl}/api/live?channels=topic:no-such-topic`)).status).toBe(404);
});
