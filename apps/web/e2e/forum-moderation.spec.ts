import { expect, test, type Browser, type Page } from "@playwright/test";
import { SEEDED } from "./support/accounts";
import { signIn, signUp } from "./support/browser";
import { overflowing } from "./support/overflow";

// The site started by global-setup (E2E_PORT), seeded with an admin and a grader.
const baseUrl = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

async function noSidewaysScroll(page: Page, width: number) {
  await page.setViewportSize({ width, height: 800 });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${page.url()} at ${width}px`).toBeLessThanOrEqual(width);
  expect(await page.evaluate(overflowing, width)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("a member flags a post, a grader agrees in the review queue, the post is hidden, and the admin finds it all in the log", async ({ browser }) => {
  test.setTimeout(240_000);
  const stamp = Date.now();
  const sam = { email: `sam-${stamp}@example.com`, name: "Sam Spammer" };
  const fay = { email: `fay-${stamp}@example.com`, name: "Fay Flagger" };
  const title = `Cheap watches for deep learners ${stamp}`;

  // Sam starts a topic.
  const samPage = await newPage(browser);
  await signUp(samPage, baseUrl, sam);
  await samPage.goto(`${baseUrl}/forum/c/general`);
  await samPage.getByText("New topic in General").click();
  const composer = samPage.getByTestId("forum-composer-topic");
  await composer.getByLabel("Title").fill(title);
  await composer.getByLabel("First post (markdown)").fill("Buy **cheap watches** here, best prices for students.");
  await composer.getByRole("button", { name: "Create topic" }).click();
  await expect(samPage.getByTestId("topic-title")).toContainText(title);
  const topicUrl = samPage.url();

  // Fay is new: no Flag button yet. An admin gives her trust level 1 on her moderation page.
  const fayPage = await newPage(browser);
  await signUp(fayPage, baseUrl, fay);
  await fayPage.goto(topicUrl);
  await expect(fayPage.locator("article#p1")).toContainText("cheap watches");
  await expect(fayPage.getByRole("button", { name: "Flag post 1" })).toHaveCount(0);

  const admin = await newPage(browser);
  await signIn(admin, baseUrl, SEEDED.admin.email);
  await admin.goto(`${baseUrl}/admin/users`);
  await admin.getByRole("link", { name: fay.email }).click();
  await expect(admin.getByRole("heading", { name: fay.name })).toBeVisible();
  await expect(admin.getByRole("heading", { name: /Trust level 0 \(new\)/ })).toBeVisible();
  // Fay has read Sam's post (or is about to: the page reports reads as they happen), so 0 or 1.
  await expect(admin.getByText(/posts read: [01] of at least 30/)).toBeVisible();
  const trust = admin.getByRole("form", { name: "Trust level" });
  await trust.getByLabel("Trust level").selectOption("1");
  await trust.getByLabel("Reason (for the log)").fill("Known from class");
  await trust.getByRole("button", { name: "Set trust level" }).click();
  await expect(admin.getByRole("heading", { name: /Trust level 1 \(basic\)/ })).toBeVisible();
  await noSidewaysScroll(admin, 390);

  // Fay flags the post as spam.
  await fayPage.reload();
  await fayPage.getByRole("button", { name: "Flag post 1" }).click();
  const flagForm = fayPage.getByRole("form", { name: "Flag post 1" });
  await flagForm.getByLabel(/^Spam/).check();
  await flagForm.getByLabel(/Note/).fill("Advertising");
  await flagForm.getByRole("button", { name: "Flag post" }).click();
  await expect(fayPage.getByRole("status").filter({ hasText: "Flagged" })).toContainText("a moderator will review it");

  // The grader finds it in the review queue and agrees: the post is hidden.
  const grader = await newPage(browser);
  await signIn(grader, baseUrl, SEEDED.grader.email);
  await grader.goto(`${baseUrl}/forum`);
  await grader.getByTestId("review-queue-link").getByRole("link", { name: "Review queue" }).click();
  const item = grader.getByTestId("review-item").filter({ hasText: title });
  await expect(item).toContainText("Spam by Fay Flagger (trust level 1)");
  await expect(item).toContainText("“Advertising”");
  await expect(item).toContainText("cheap watches");
  await noSidewaysScroll(grader, 390);
  await item.getByPlaceholder(/Note for the log/).fill("Advertising is not allowed");
  await item.getByRole("button", { name: "Agree, hide" }).click();
  await expect(grader.getByTestId("review-item").filter({ hasText: title })).toHaveCount(0);

  // Others see a placeholder; Sam still reads his post, marked hidden, and was told why.
  await fayPage.goto(topicUrl);
  await expect(fayPage.locator("article#p1")).toContainText("hidden until a moderator reviews it");
  await expect(fayPage.locator("article#p1")).not.toContainText("cheap watches");
  await samPage.goto(topicUrl);
  await expect(samPage.locator("article#p1")).toContainText("cheap watches");
  await expect(samPage.locator("article#p1")).toContainText("hidden: Flagged as spam");
  await samPage.goto(`${baseUrl}/notifications`);
  await expect(samPage.getByText(`A moderator agreed with the flags on your post in "${title}"`)).toBeVisible();

  // The admin's log has the trust level change and the decision; the filter narrows it to flag decisions.
  await admin.goto(`${baseUrl}/admin/moderation-log`);
  const log = admin.getByTestId("moderation-log");
  await expect(log.locator("tr").filter({ hasText: "flag.agree" }).filter({ hasText: "Advertising is not allowed" })).toBeVisible();
  await expect(log.locator("tr").filter({ hasText: "user.trust-level" }).filter({ hasText: "Known from class" })).toBeVisible();
  await admin.getByLabel("Action").selectOption("flag.");
  await admin.getByRole("button", { name: "Filter" }).click();
  await expect(admin).toHaveURL(/action=flag\./);
  await expect(log.locator("tbody tr").filter({ hasText: "user.trust-level" })).toHaveCount(0);
  await expect(log.locator("tbody tr").filter({ hasText: title })).toHaveCount(1);
  await noSidewaysScroll(admin, 390);
});
