import { expect, test, type Page } from "@playwright/test";
import { SEEDED } from "./support/accounts";
import { signIn } from "./support/browser";
import { trpcMutation } from "./support/http-session";

// The wiki editor's helpers on the shared site (global-setup): `[[` completes live titles, "Insert image" uploads and
// puts the image at the caret, the preview resolves a lesson page's time links, categories show at the foot only;
// and anonymous readers' cached view of the page follows each save.
const baseUrl = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;

// A 4 x 3 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAEElEQVR4nGM4kWIERww4OQBHKhBpqqu7qgAAAABJRU5ErkJggg==", "base64");

async function openEditor(page: Page, path: string) {
  await page.goto(`${baseUrl}${path}?action=edit`);
  await expect(page.getByLabel("Page text")).toBeVisible();
}

test("the editor completes [[ titles, uploads an image to the caret, and previews time links and categories as the page shows them", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  const target = `Completion target ${stamp}`;
  await signIn(page, baseUrl, SEEDED.admin.email);
  expect((await trpcMutation(page.request, "wiki.save", { title: target, body: "The page to link.\n", baseRevision: 0 })).ok()).toBe(true);
  expect((await trpcMutation(page.request, "wiki.save", { title: `Completion redirect ${stamp}`, body: `#REDIRECT [[${target}]]\n`, baseRevision: 0 })).ok()).toBe(true);

  const title = `Editor e2e ${stamp}`;
  const path = `/wiki/${title.replace(/ /g, "_")}`;
  await openEditor(page, path);
  const text = page.getByLabel("Page text");

  // `[[` and a few letters, any case: the live titles that start with them, the redirect marked; Enter completes.
  await text.pressSequentially(`See [[completion `);
  const list = page.getByRole("listbox", { name: "Page titles" });
  await expect(list.getByRole("option", { name: target, exact: true })).toBeVisible();
  await expect(list.getByRole("option", { name: new RegExp(`Completion redirect ${stamp} \\(redirect to`) })).toBeVisible();
  await expect(list.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
  await text.press("Enter");
  await expect(text).toHaveValue(`See [[${target}]]`);
  await expect(list).toHaveCount(0);
  // a click completes too, and Escape closes the list without changing the text
  await text.pressSequentially(" and [[Completion r");
  await list.getByRole("option", { name: new RegExp(`Completion redirect ${stamp}`) }).click();
  await expect(text).toHaveValue(`See [[${target}]] and [[Completion redirect ${stamp}]]`);
  await text.pressSequentially(" [[complet");
  await expect(list).toBeVisible();
  await text.press("Escape");
  await expect(list).toHaveCount(0);
  await expect(text).toHaveValue(`See [[${target}]] and [[Completion redirect ${stamp}]] [[complet`);
  await text.fill(`See [[${target}]].\n\n`);

  // "Insert image": the upload goes to /api/media and the image lands where the caret is; a file that is no image
  // gets the server's refusal and inserts nothing.
  await text.press("End");
  const upload = page.getByLabel("Insert image");
  await upload.setInputFiles({ name: "not-an-image.png", mimeType: "image/png", buffer: Buffer.from("just text, not a picture") });
  await expect(page.getByTestId("wiki-image-upload").getByRole("alert")).toBeVisible();
  await expect(text).toHaveValue(`See [[${target}]].\n\n`);
  await upload.setInputFiles({ name: `Editor dot ${stamp}.png`, mimeType: "image/png", buffer: PNG });
  await expect(text).toHaveValue(new RegExp(`^See \\[\\[${target}\\]\\]\\.\\n\\n!\\[[^\\]]*\\]\\(/media/[0-9a-f]{64}/[^)]*${stamp}\\.png\\)$`));
  await expect(page.getByTestId("wiki-image-upload").getByRole("alert")).toHaveCount(0);
  const preview = page.getByTestId("wiki-preview");
  await expect(preview.locator("img")).toHaveAttribute("src", /\/media\/[0-9a-f]{64}\//);

  // Time links in the preview: the long form on any page; a category shows nothing where it is written.
  await text.press("End");
  await text.pressSequentially("\n\nWatch [[Lesson 1@0:30]] again.\n\n[[Category:Editor e2e]]\n");
  await expect(preview.locator("a[data-video-time='30']")).toHaveAttribute("href", "/lessons/lesson-1?t=30");
  await expect(preview).not.toContainText("Category:Editor e2e");
  await expect(preview.locator(`a.wiki-link[href='/wiki/Completion_target_${stamp}']`)).toBeVisible();

  await page.getByLabel("Summary of your change").fill("editor e2e");
  await page.getByRole("button", { name: /Save/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("wiki-categories")).toContainText("Editor e2e");
  await expect(page.getByTestId("wiki-body")).not.toContainText("Category:");

  // An anonymous reader gets the cached view; the next save shows there at once.
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(`${baseUrl}${path}`);
  await expect(reader.getByTestId("wiki-body").locator("img")).toBeVisible();
  await expect(reader.getByTestId("wiki-body").locator("a[data-video-time='30']")).toBeVisible();
  await reader.reload();
  await expect(reader.getByTestId("wiki-body")).toContainText("Watch");
  await openEditor(page, path);
  await page.getByLabel("Page text").fill("Rewritten for the reader.\n");
  await page.getByRole("button", { name: /Save/ }).click();
  await expect(page.getByTestId("wiki-body")).toContainText("Rewritten for the reader.");
  await reader.reload();
  await expect(reader.getByTestId("wiki-body")).toHaveText("Rewritten for the reader.");
  await expect(reader).toHaveURL(`${baseUrl}${path}`);
  await reader.context().close();
});

test("on a lesson's notes page the preview links the short form @m:ss to that lesson's video", async ({ page }) => {
  await signIn(page, baseUrl, SEEDED.admin.email);
  await openEditor(page, "/wiki/Lesson_1_Notes");
  const text = page.getByLabel("Page text");
  await text.press("ControlOrMeta+End");
  await text.pressSequentially("\n- @1:05 a moment worth a note\n");
  const link = page.getByTestId("wiki-preview").locator("a[data-video-time='65']");
  await expect(link).toHaveAttribute("href", "/lessons/lesson-1?t=65");
  // previewed only: leaving without saving keeps the page as it was (the draft stays in this browser)
  page.on("dialog", (d) => void d.accept());
});
