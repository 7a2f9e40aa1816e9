import { expect, test, type Browser, type Page } from "@playwright/test";
import { SEEDED } from "./support/accounts";
import { signIn, signUp } from "./support/browser";

// The site started by global-setup (E2E_PORT), seeded with an admin and a grader.
const baseUrl = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;
const lines = (...xs: string[]) => xs.map((x) => `${x}\n`).join("");

async function editorAs(browser: Browser, email: string | null, path: string, page?: Page): Promise<Page> {
  const p = page ?? (await (await browser.newContext()).newPage());
  if (email) await signIn(p, baseUrl, email);
  await p.goto(`${baseUrl}${path}?action=edit`);
  await expect(p.getByLabel("Page text")).toBeVisible();
  return p;
}

async function save(p: Page, summary: string) {
  await p.getByLabel("Summary of your change").fill(summary);
  await p.getByRole("button", { name: /Save/ }).click();
}

test("three people edit one page at once: the first save wins, the second merges, the overlapping third gets the conflict screen with its text kept", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const title = `Wiki e2e ${Date.now()}`;
  const path = `/wiki/${title.replace(/ /g, "_")}`;
  await signUp(page, baseUrl, { email: `wiki-${Date.now()}@example.com`, name: "Wendy Wiki" });

  // Wendy creates the page; the live preview renders through the markdown pipeline with a red link.
  await page.goto(`${baseUrl}/wiki?go=${encodeURIComponent(title)}`);
  await expect(page.getByTestId("wiki-missing")).toBeVisible();
  await page.getByRole("link", { name: "Create it" }).click();
  const start = lines("## Alpha", "", "alpha line", "", "## Beta", "", "beta line", "", "## Gamma", "", "gamma line, see [[No such page yet]]", "", "[[Category:E2E]]");
  await page.getByLabel("Page text").fill(start);
  await expect(page.getByTestId("wiki-preview").locator("a.wiki-link-missing")).toHaveText("No such page yet");
  await save(page, "first version");
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("wiki-toc")).toContainText("Gamma");
  await expect(page.getByTestId("wiki-categories")).toContainText("E2E");
  await expect(page.getByTestId("wiki-body").locator("a.wiki-link-missing")).toHaveAttribute("href", "/wiki/No_such_page_yet?action=edit");

  // All three open the editor on revision 1.
  const grace = await editorAs(browser, SEEDED.grader.email, path);
  const ada = await editorAs(browser, SEEDED.admin.email, path);
  const wendy = await editorAs(browser, null, path, page);

  await grace.getByLabel("Page text").fill(start.replace("alpha line", "alpha line, improved by Grace"));
  await save(grace, "alpha");
  await expect(grace.getByTestId("wiki-body")).toContainText("alpha line, improved by Grace");
  await expect(grace.getByTestId("wiki-merged")).toHaveCount(0);

  await ada.getByLabel("Page text").fill(start.replace("gamma line", "gamma line, clarified by Ada"));
  await save(ada, "gamma");
  await expect(ada.getByTestId("wiki-merged")).toBeVisible();
  await expect(ada.getByTestId("wiki-body")).toContainText("alpha line, improved by Grace");
  await expect(ada.getByTestId("wiki-body")).toContainText("gamma line, clarified by Ada");

  const mine = start.replace("alpha line", "alpha line, rewritten by Wendy");
  await wendy.getByLabel("Page text").fill(mine);
  await save(wendy, "my alpha");
  const conflict = wendy.getByTestId("wiki-conflict");
  await expect(conflict).toContainText("Edit conflict");
  await expect(conflict).toContainText("alpha line, improved by Grace");
  await expect(wendy.getByTestId("wiki-conflict-theirs")).toHaveValue(/clarified by Ada/);
  await expect(wendy.getByLabel("Page text")).toHaveValue(mine);

  // She reconciles and saves again (the base is now the newest revision): it goes through.
  await wendy.getByLabel("Page text").fill(start.replace("alpha line", "alpha line, improved by Grace and Wendy").replace("gamma line", "gamma line, clarified by Ada"));
  await save(wendy, "reconciled");
  await expect(wendy.getByTestId("wiki-body")).toContainText("improved by Grace and Wendy");

  // History: four revisions, any two compared with the shared diff view.
  await wendy.goto(`${baseUrl}${path}?action=history`);
  await expect(wendy.getByTestId("wiki-history").locator("tbody tr")).toHaveCount(4);
  await wendy.getByRole("button", { name: "Compare selected revisions" }).click();
  await expect(wendy.locator("table[data-view]")).toContainText("Grace and Wendy");

  // Raw text and search: the exact title opens the page.
  const raw = await wendy.request.get(`${baseUrl}${path}?action=raw`);
  expect(raw.headers()["content-type"]).toContain("text/markdown");
  expect(await raw.text()).toContain("improved by Grace and Wendy");
  await wendy.goto(`${baseUrl}/search?q=${encodeURIComponent(title.toLowerCase())}`);
  await expect(wendy).toHaveURL(new RegExp(`${path}$`));
});

test("a page reads well on a desktop and a 390 px phone", async ({ browser }) => {
  const title = `Layout e2e ${Date.now()}`;
  const path = `/wiki/${title.replace(/ /g, "_")}`;
  const writer = await editorAs(browser, SEEDED.admin.email, path);
  const long = "x".repeat(300);
  await writer.getByLabel("Page text").fill(lines("## One", "", `A long word ${long} and a table:`, "", "| a | b | c | d | e | f |", "|---|---|---|---|---|---|", `| ${"wide ".repeat(20)} | 2 | 3 | 4 | 5 | 6 |`, "", "## Two", "", "```", `code ${long}`, "```", "", "## Three"));
  await save(writer, "layout");
  await expect(writer.getByTestId("wiki-toc")).toBeVisible();
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const p = await context.newPage();
    await p.goto(`${baseUrl}${path}`);
    await expect(p.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(p.getByTestId("wiki-toc")).toBeVisible();
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `page scrolls sideways at ${width}px`).toBeLessThanOrEqual(0);
    await context.close();
  }
});
