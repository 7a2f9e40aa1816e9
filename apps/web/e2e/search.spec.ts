import { expect, test } from "@playwright/test";
import { ensureLesson1Transcript, stubYouTube } from "./support/youtube-stub-content";

interface StubWindow {
  __ytStub: { current(): { state: { playerVars: Record<string, number | string>; seeks: { seconds: number }[] } } | null };
}

test.beforeAll(() => {
  // The site re-reads content while it runs; search reindexes the course when its files changed.
  ensureLesson1Transcript();
});

// Same stand-in for the YouTube API as lessons.spec.ts: nothing leaves the machine.
test.beforeEach(async ({ page }) => stubYouTube(page));

test.describe("search", () => {
  test("a transcript phrase found from the search box lands on the lesson video at that second", async ({ page }) => {
    await page.goto("/search");
    // The results page's own box (the header may carry another).
    const box = page.getByRole("main").getByRole("searchbox", { name: "Search the course" });
    await box.fill("small steps downhill");
    await box.press("Enter");
    await expect(page).toHaveURL(/\/search\?q=small\+steps\+downhill/);
    const hit = page.getByTestId("search-hit").filter({ hasText: "at 9:00" }).first();
    await expect(hit).toContainText("Video");
    await expect(hit.locator("mark").first()).toHaveText("small");
    const link = hit.getByRole("link", { name: "Recognizing cats and dogs at 9:00" });
    await expect(link).toHaveAttribute("href", "/lessons/lesson-1?t=540");
    await link.click();
    await expect(page).toHaveURL(/\/lessons\/lesson-1\?t=540$/);
    await page.waitForFunction(() => (window as unknown as Partial<StubWindow>).__ytStub?.current() != null);
    const state = await page.evaluate(() => (window as unknown as StubWindow).__ytStub.current()!.state);
    expect(state.playerVars.start).toBe(540);
    await expect(page.getByRole("list", { name: "Transcript lines" }).locator('button[aria-current="true"]')).toContainText(
      "An intuition for gradient descent",
    );
  });

  test("lessons are found by title, and an empty result says so", async ({ page }) => {
    await page.goto("/search?q=cats+and+dogs");
    await expect(page.getByTestId("search-hit").first()).toContainText("Lesson");
    await expect(page.getByRole("link", { name: /Recognizing cats and dogs/ }).first()).toHaveAttribute("href", /^\/lessons\/lesson-1/);
    await page.goto("/search?q=zzzqqqxxx");
    await expect(page.getByTestId("search-summary")).toHaveText("Nothing found for “zzzqqqxxx”.");
  });
});
