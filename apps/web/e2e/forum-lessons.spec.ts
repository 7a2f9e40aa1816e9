import { expect, test } from "@playwright/test";
import { signUp } from "./support/browser";

// The site started by global-setup (E2E_PORT): its start created each lesson's thread and wiki pages.
const baseUrl = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;

test("asks about a transcript line from the lesson page: the reply's time link leads back to that second", async ({ page }) => {
  test.setTimeout(180_000);
  await signUp(page, baseUrl, { email: `ask-${Date.now()}@example.com`, name: "Asha Ask" });
  await page.goto(`${baseUrl}/lessons/lesson-1`);
  await expect(page.getByTestId("ask-moment")).toBeVisible();
  const line = page.getByTestId("ask-line").first();
  const href = (await line.getAttribute("href"))!;
  const seconds = Number(new URL(href, baseUrl).searchParams.get("t"));
  await line.click();
  await expect(page).toHaveURL(/\/forum\/t\/[^/]+\/lesson-1-discussion\?ask=1/);
  const composer = page.getByTestId("forum-composer-reply");
  const text = composer.getByLabel("Your reply (markdown)");
  await expect(text).toHaveValue(/^At \[\[Lesson 1@\d+:\d{2}\]\]:\n\n> /);
  await text.fill(`${await text.inputValue()}What does this mean?`);
  await composer.getByRole("button", { name: "Reply", exact: true }).click();
  const link = page.locator(`article a[data-video-time="${seconds}"]`).last();
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/lessons/lesson-1\\?t=${seconds}`));
});

test("the Discuss tab of a wiki page creates its topic with the first post", async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, baseUrl, { email: `discuss-${Date.now()}@example.com`, name: "Dan Discuss" });
  await page.goto(`${baseUrl}/wiki/Lesson_1`);
  await page.getByRole("navigation", { name: "Page tabs" }).getByRole("link", { name: "Discuss" }).click();
  await page.getByTestId("wiki-discuss-body").fill("Should this page mention fine-tuning?");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByTestId("topic-title")).toContainText("Wiki: Lesson 1");
  await page.goto(`${baseUrl}/wiki/Lesson_1?action=discuss`);
  await expect(page.getByTestId("topic-title")).toContainText("Wiki: Lesson 1");
});
