import { expect, test, type Page } from "@playwright/test";
import { signUp } from "./support/browser";
import { trpcMutation } from "./support/http-session";
import { stubYouTube } from "./support/youtube-stub-content";

// Runs on the shared site (global-setup): Lesson 1's wiki page was created at start from the lesson. A student adds a
// time-stamped line through the wiki's save procedure; the open lesson page shows it on its timeline without a
// reload, and clicking it seeks the (stand-in) player.
interface StubWindow {
  __ytStub: { current(): { state: { seeks: { seconds: number }[] } } | null };
}

test.beforeEach(async ({ page }) => stubYouTube(page));

async function lastSeek(page: Page): Promise<number | undefined> {
  return page.evaluate(() => (window as unknown as StubWindow).__ytStub.current()?.state.seeks.at(-1)?.seconds);
}

test("a time-stamped line added to Lesson 1's wiki page appears on the lesson's timeline live and seeks the video", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  await signUp(page, baseURL!, { email: `lw-${Date.now()}@example.com`, name: "Lena Wiki" });

  await page.goto("/lessons/lesson-1");
  const timeline = page.getByTestId("wiki-timeline");
  await expect(timeline.getByRole("heading", { name: "From the wiki" })).toBeVisible();
  // The starter: the lesson's chapters as time links.
  await expect(timeline.getByTestId("wiki-timeline-item").filter({ hasText: "Teaching" })).toContainText("1:23");
  await page.waitForFunction(() => (window as unknown as Partial<StubWindow>).__ytStub?.current() != null);
  // A mark on this document: still there afterwards means the page was never reloaded.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  const sameDocument = () => page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);

  // The student's edit, through the wiki's own save path (the same procedure the editor calls).
  const input = encodeURIComponent(JSON.stringify({ json: { title: "Lesson 1" } }));
  const current = (await (await page.request.get(`/api/trpc/wiki.forEdit?input=${input}`)).json()) as { result: { data: { json: { body: string; baseRevision: number } } } };
  const { body, baseRevision } = current.result.data.json;
  const saved = await trpcMutation(page.request, "wiki.save", {
    title: "Lesson 1",
    body: body.replace("## Links", "- @3:05 Why pretrained models work so well\n\n## Links"),
    summary: "A moment worth finding",
    minor: false,
    baseRevision,
  });
  expect(saved.status()).toBe(200);

  const added = timeline.getByTestId("wiki-timeline-item").filter({ hasText: "Why pretrained models work so well" });
  await expect(added).toBeVisible({ timeout: 30_000 });
  await expect(added).toContainText("3:05");
  expect(await sameDocument()).toBe(true);

  await added.getByRole("link").click();
  await expect.poll(() => lastSeek(page)).toBe(185);
  expect(await sameDocument()).toBe(true);
});
