import { expect, test, type Page } from "@playwright/test";
import { signUp } from "./support/browser";
import { setTrustLevel } from "./support/forum-trust";
import { overflowing } from "./support/overflow";

// The site started by global-setup (E2E_PORT): its start created the forum's categories and each lesson's thread.
const baseUrl = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;

async function noSidewaysScroll(page: Page, width: number) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${page.url()} at ${width}px`).toBeLessThanOrEqual(width);
  expect(await page.evaluate(overflowing, width)).toEqual([]);
}

const post = (page: Page, number: number) => page.locator(`article#p${number}`);

test("a member opens Lesson 1's thread (a wiki first post), improves it, starts a topic, replies, edits and reads the history", async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const email = `forum-${Date.now()}@example.com`;
  await signUp(page, baseUrl, { email, name: "Fatima Forum" });
  // Wiki posts are edited from trust level 1 (earned by reading and watching lessons; here an admin gives it).
  await setTrustLevel(baseUrl, email, 1);

  // The lesson links its thread; the thread's first post is a wiki post seeded from the lesson.
  await page.goto(`${baseUrl}/lessons/lesson-1`);
  await expect(page.getByTestId("lesson-thread")).toContainText("Lesson 1 discussion");
  await page.getByTestId("lesson-link").getByRole("link", { name: "lesson-1-discussion" }).click();
  await expect(page).toHaveURL(/\/forum\/t\/[^/]+\/lesson-1-discussion$/);
  await expect(page.getByTestId("topic-title")).toContainText("Lesson 1 discussion: Recognizing cats and dogs");
  const wiki = post(page, 1);
  await expect(wiki).toContainText("wiki post");
  await expect(wiki.getByTestId("post-body").locator('a[href="/lessons/lesson-1?t=83"]')).toBeVisible();
  await expect(wiki.getByTestId("post-body").getByRole("link", { name: "Lesson 1 Notes" })).toHaveAttribute("href", "/wiki/Lesson_1_Notes");

  // Any member improves it; the edit is a revision in its history.
  await wiki.getByRole("button", { name: "Edit" }).click();
  const editor = wiki.getByTestId("forum-composer-edit");
  const text = editor.getByLabel(/Text/);
  await expect(text).toHaveValue(/## Chapters/);
  await text.fill(`${await text.inputValue()}\n- Tip from Fatima: start with the notebook.\n`);
  await editor.getByLabel(/Reason for the edit/).fill("a tip");
  await editor.getByRole("button", { name: "Save edit" }).click();
  await expect(wiki.getByTestId("post-body")).toContainText("Tip from Fatima");
  await wiki.getByTestId("post-edited").click();
  await expect(page.getByRole("heading", { name: "History of post 1" })).toBeVisible();
  await expect(page.getByTestId("post-history").locator("tbody tr")).toHaveCount(2);
  await expect(page.getByTestId("post-history")).toContainText("Course platform");
  await expect(page.getByTestId("post-history")).toContainText("a tip");
  await expect(page.getByRole("region", { name: "Differences" })).toContainText("Tip from Fatima");

  // A reply in the lesson's thread shows on the lesson page.
  await page.goto(`${baseUrl}/forum/l/lesson-1-discussion`);
  const composer = page.getByTestId("forum-composer-reply");
  await composer.getByLabel("Your reply (markdown)").fill("What happens at @4:40?");
  await expect(composer.getByTestId("forum-preview").locator('a[href="/lessons/lesson-1?t=280"]')).toBeVisible();
  await composer.getByRole("button", { name: "Reply", exact: true }).click();
  // Other tests may have replied in Lesson 1's thread before: the reply is the topic's last post, whatever its number.
  await expect(page.getByTestId("forum-post").last()).toContainText("What happens at");
  await page.goto(`${baseUrl}/lessons/lesson-1`);
  await expect(page.getByTestId("lesson-thread-replies")).toHaveText(/^\d+ repl(y|ies)$/);
  await expect(page.getByTestId("lesson-thread")).toContainText("Fatima Forum");

  // A new topic in General, with the live preview.
  await page.goto(`${baseUrl}/forum`);
  await expect(page.getByTestId("forum-category").filter({ hasText: "Lesson 1: Recognizing cats and dogs" })).toBeVisible();
  await page.getByTestId("forum-category").filter({ hasText: "General" }).getByRole("link", { name: "General" }).click();
  await page.getByText("New topic in General").click();
  const newTopic = page.getByTestId("forum-composer-topic");
  const title = `Which GPU do I need? ${Date.now()}`;
  await newTopic.getByLabel("Title").fill(title);
  await newTopic.getByLabel("First post (markdown)").fill("Is a **laptop** enough for [[Lesson 1]]?");
  await expect(newTopic.getByTestId("forum-preview").locator("strong")).toHaveText("laptop");
  await newTopic.getByRole("button", { name: "Create topic" }).click();
  await expect(page.getByTestId("topic-title")).toContainText(title);
  await expect(post(page, 1).getByTestId("post-body").getByRole("link", { name: "Lesson 1" })).toHaveAttribute("href", "/wiki/Lesson_1");

  // Replies: to the topic, then to post 1 by its Reply button.
  await page.getByTestId("forum-composer-reply").getByLabel("Your reply (markdown)").fill("Answering myself: yes.");
  await page.getByTestId("forum-composer-reply").getByRole("button", { name: "Reply", exact: true }).click();
  await expect(post(page, 2)).toContainText("Answering myself");
  await post(page, 1).getByRole("button", { name: "Reply" }).click();
  await page.getByTestId("forum-composer-reply").getByLabel("Your reply (markdown)").fill("More on the question.");
  await page.getByTestId("forum-composer-reply").getByRole("button", { name: "Reply to post 1" }).click();
  await expect(post(page, 3)).toContainText("More on the question.");
  await expect(post(page, 3).getByTestId("reply-to")).toHaveText("in reply to #1");

  // Edit a reply; its history shows both revisions.
  await post(page, 2).getByRole("button", { name: "Edit" }).click();
  await post(page, 2).getByLabel(/Text/).fill("Answering myself: yes, a laptop is enough.");
  await post(page, 2).getByRole("button", { name: "Save edit" }).click();
  await expect(post(page, 2).getByTestId("post-body")).toHaveText("Answering myself: yes, a laptop is enough.");
  await post(page, 2).getByRole("link", { name: "History" }).click();
  await expect(page.getByTestId("post-history").locator("tbody tr")).toHaveCount(2);

  // The topic is listed, and opening it at a post (?post=3) marks that post.
  await page.goto(`${baseUrl}/forum/c/general`);
  const row = page.getByTestId("topic-row").filter({ hasText: title });
  await expect(row).toContainText("2");
  await row.getByRole("link", { name: title }).click();
  const topicUrl = page.url();
  await page.goto(`${topicUrl}?post=3#p3`);
  await expect(post(page, 3)).toHaveAttribute("data-target", "true");

  // The same pages on a phone: nothing scrolls sideways.
  const historyUrl = `${baseUrl}${await post(page, 2).getByRole("link", { name: "History" }).getAttribute("href")}`;
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 844 });
    for (const path of ["/forum", "/forum/c/general", topicUrl, "/forum/l/lesson-1-discussion", historyUrl]) {
      await page.goto(path.startsWith("http") ? path : `${baseUrl}${path}`);
      // not "networkidle": the live connection (SSE) stays open on every page of a signed-in member
      await page.waitForLoadState("load");
      await noSidewaysScroll(page, width);
    }
  }
});
