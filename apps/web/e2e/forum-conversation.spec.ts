import { expect, test, type Page } from "@playwright/test";
import { SEEDED } from "./support/accounts";
import { signIn, signUp } from "./support/browser";

// The site started by global-setup (E2E_PORT), with the forum's categories.
const baseUrl = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;
const post = (page: Page, number: number) => page.locator(`article#p${number}`);

/** Selects the text of a post's first paragraph and lets go of the mouse, as a reader dragging over it would. */
async function selectFirstParagraph(page: Page, number: number) {
  await post(page, number).getByTestId("post-body").locator("p").first().evaluate((p) => {
    const range = document.createRange();
    range.selectNodeContents(p);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    p.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
  });
}

test("two students talk: a like, a quote with a mention, the notification, a draft on another tab, a bookmark, a grader marks the answer", async ({ browser }) => {
  test.setTimeout(240_000);
  const stamp = Date.now();
  const ann = await (await browser.newContext()).newPage();
  const ben = await (await browser.newContext()).newPage();
  await signUp(ann, baseUrl, { email: `ann-${stamp}@example.com`, name: `Ann${stamp % 100000}` });
  await signUp(ben, baseUrl, { email: `ben-${stamp}@example.com`, name: `Ben${stamp % 100000}` });

  // Ann asks in Homework help (solvable).
  await ann.goto(`${baseUrl}/forum/c/homework-help`);
  await ann.getByText("New topic in Homework help").click();
  const newTopic = ann.getByTestId("forum-composer-topic");
  const title = `Loss turns into NaN ${stamp}`;
  await newTopic.getByLabel("Title").fill(title);
  await newTopic.getByLabel("First post (markdown)").fill("My loss goes to NaN after two epochs.\n\nI use a learning rate of 10.");
  await newTopic.getByRole("button", { name: "Create topic" }).click();
  await expect(ann.getByTestId("topic-title")).toContainText(title);
  const topicUrl = ann.url().replace(/[?#].*$/, "");
  const annUsername = decodeURIComponent((await post(ann, 1).locator('a[href^="/forum/u/"]').first().getAttribute("href"))!.replace("/forum/u/", ""));
  await expect(ann.getByTestId("watch-level-topic").getByRole("combobox")).toHaveValue("watching");
  // Ann leaves the topic: an open topic page shows replies live and marks them read as they scroll into view.
  await ann.goto(`${baseUrl}/forum`);

  // Ben likes the question.
  await ben.goto(topicUrl);
  const like = post(ben, 1).getByTestId("like-button");
  await like.click();
  await expect(like).toHaveAttribute("aria-pressed", "true");
  await expect(like).toContainText("1 like");

  // He quotes a selection of it and mentions Ann through the completion list.
  await selectFirstParagraph(ben, 1);
  await ben.getByTestId("quote-selection").click();
  const reply = ben.getByTestId("forum-composer-reply");
  const text = reply.getByLabel("Your reply (markdown)");
  await expect(text).toHaveValue(new RegExp(`^> \\[!quote @${annUsername}\\]\\(/forum/t/[^)]+\\?post=1#p1\\)\\n> My loss goes to NaN after two epochs\\.\\n\\n$`));
  await text.press("Control+End");
  await text.pressSequentially(`Lower it, @${annUsername.slice(0, -1)}`);
  await expect(reply.getByTestId("mention-suggestions")).toContainText(`@${annUsername}`);
  await text.press("Enter");
  await expect(text).toHaveValue(new RegExp(`Lower it, @${annUsername} $`));
  await text.pressSequentially("try 0.01.");
  await expect(reply.getByTestId("forum-preview").locator("blockquote.quote")).toContainText("My loss goes to NaN");

  // The draft is on the server: another tab of Ben's opens with it (once the autosave after the last key ran).
  await ben.waitForTimeout(2500);
  await expect(reply.getByTestId("draft-status")).toContainText("Draft saved", { timeout: 15_000 });
  const benTab = await ben.context().newPage();
  await benTab.goto(topicUrl);
  await expect(benTab.getByTestId("forum-composer-reply").getByLabel("Your reply (markdown)")).toHaveValue(/try 0\.01\.$/);
  await expect(benTab.getByTestId("draft-status")).toContainText("Draft restored");
  await benTab.close();

  await reply.getByRole("button", { name: "Reply", exact: true }).click();
  const answer = post(ben, 2);
  await expect(answer.locator("blockquote.quote .quote-source")).toContainText("wrote");
  await expect(answer.getByTestId("post-body")).toContainText("try 0.01.");

  // Ben bookmarks the question with a note; it is on his bookmarks page.
  await post(ben, 1).getByTestId("bookmark-button").click();
  await expect(post(ben, 1).getByTestId("bookmark-button")).toHaveText("Bookmarked");
  await post(ben, 1).getByTestId("bookmark-button").click();
  await post(ben, 1).getByLabel("Bookmark note").fill("the NaN question");
  await post(ben, 1).getByRole("button", { name: "Save note" }).click();
  await ben.goto(`${baseUrl}/account/bookmarks`);
  await expect(ben.getByTestId("bookmark").filter({ hasText: title })).toBeVisible();
  await expect(ben.getByLabel(new RegExp(`Note for post #1 of ${title}`))).toHaveValue("the NaN question");

  // Ann is told once (mentioned, quoted and answered by one post), and the topic counts as unread until she reads it.
  await ann.goto(`${baseUrl}/notifications`);
  const note = ann.getByRole("link", { name: new RegExp(`mentioned you in "${title}"`) });
  await expect(note).toHaveCount(1);
  await ann.goto(`${baseUrl}/forum/c/homework-help`);
  await expect(ann.getByTestId("topic-row").filter({ hasText: title }).getByTestId("topic-unread")).toHaveText("1");
  await ann.goto(`${baseUrl}/notifications`);
  await ann.getByRole("link", { name: new RegExp(`mentioned you in "${title}"`) }).click();
  await expect(post(ann, 2)).toContainText("try 0.01.");

  // Ann cannot like her own post; a grader marks Ben's reply as the answer, shown under the question.
  await expect(post(ann, 1).getByTestId("like-button")).toHaveCount(0);
  const grader = await (await browser.newContext()).newPage();
  await signIn(grader, baseUrl, SEEDED.grader.email);
  await grader.goto(topicUrl);
  await post(grader, 2).getByTestId("solve-button").click();
  await expect(grader.getByTestId("solved-answer")).toContainText("post #2");
  await expect(post(grader, 2).getByTestId("solve-button")).toHaveAttribute("aria-pressed", "true");
  await ann.goto(topicUrl);
  await expect(ann.getByTestId("solved-answer")).toContainText(`Ben${stamp % 100000}`);
  await expect(ann.getByTestId("solved-answer")).toContainText("Lower it");

  // The unsolved filter leaves it out; the full list marks it solved.
  await ann.goto(`${baseUrl}/forum/c/homework-help?filter=unsolved`);
  await expect(ann.getByTestId("topic-list").getByText(title)).toHaveCount(0);
  await ann.getByRole("link", { name: "All topics" }).click();
  await expect(ann.getByTestId("topic-row").filter({ hasText: title })).toContainText("solved");
});

test("live in Lesson 1's thread: a reply reaches the other student without reload, a quote with a mention lights the badge, the answer mark shows for both", async ({ browser }) => {
  test.setTimeout(240_000);
  const stamp = Date.now();
  const ann = await (await browser.newContext()).newPage();
  const ben = await (await browser.newContext()).newPage();
  await signUp(ann, baseUrl, { email: `live-ann-${stamp}@example.com`, name: `Ann${stamp % 100000}` });
  await signUp(ben, baseUrl, { email: `live-ben-${stamp}@example.com`, name: `Ben${stamp % 100000}` });
  const opened = (page: Page) => page.waitForResponse((r) => r.url().includes("/api/live?") && r.url().includes("topic%3A"));
  const annLive = opened(ann);
  await ann.goto(`${baseUrl}/forum/l/lesson-1-discussion`);
  await annLive;
  const topicUrl = ann.url().replace(/[?#].*$/, "");
  const benLive = opened(ben);
  await ben.goto(topicUrl);
  await benLive;
  const before = Number(await ben.getByTestId("topic-stream").getAttribute("data-highest"));

  // Ann replies; Ben, at the end of the thread, sees it within 2 s (appended, or behind the "new replies" bar).
  const annReply = ann.getByTestId("forum-composer-reply");
  await annReply.getByLabel("Your reply (markdown)").fill(`Which learning rate do you use? ${stamp}`);
  await annReply.getByRole("button", { name: "Reply", exact: true }).click();
  const number = before + 1;
  // The 2 s are counted from the save (Ann's page shows her reply once the server has it), not from the click.
  await expect(post(ann, number)).toContainText(`${stamp}`);
  await expect(async () => {
    if ((await post(ben, number).count()) === 0) await ben.getByTestId("new-replies").click({ timeout: 200 });
    await expect(post(ben, number)).toContainText(`${stamp}`, { timeout: 200 });
  }).toPass({ timeout: 2000 });
  await expect(ben).toHaveURL(new RegExp(topicUrl.replace(/[.?]/g, "\\$&")));

  // Ben quotes it and mentions Ann; her header badge goes up live and the reply appears on her page.
  const annUsername = decodeURIComponent((await post(ann, number).locator('a[href^="/forum/u/"]').first().getAttribute("href"))!.replace("/forum/u/", ""));
  await selectFirstParagraph(ben, number);
  await ben.getByTestId("quote-selection").click();
  const reply = ben.getByTestId("forum-composer-reply");
  const text = reply.getByLabel("Your reply (markdown)");
  await text.press("Control+End");
  await text.pressSequentially(`@${annUsername} 0.01 works for me.`);
  await reply.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(ann.getByTestId("unread-count")).toHaveText("1", { timeout: 5000 });
  await expect(async () => {
    if ((await post(ann, number + 1).count()) === 0) await ann.getByTestId("new-replies").click({ timeout: 200 });
    await expect(post(ann, number + 1)).toContainText("0.01 works for me", { timeout: 200 });
  }).toPass({ timeout: 5000 });

  // A grader marks Ben's reply as the answer; both pages show it without reload.
  const grader = await (await browser.newContext()).newPage();
  await signIn(grader, baseUrl, SEEDED.grader.email);
  await grader.goto(`${topicUrl}?post=${number + 1}`);
  await post(grader, number + 1).getByTestId("solve-button").click();
  await expect(grader.getByTestId("solved-answer")).toContainText(`post #${number + 1}`);
  for (const page of [ann, ben]) await expect(page.getByTestId("solved-answer")).toContainText(`post #${number + 1}`, { timeout: 5000 });
});
