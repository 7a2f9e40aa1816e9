import { expect, test, type Page } from "@playwright/test";
import { SEEDED } from "./support/accounts";
import { signIn, signUp } from "./support/browser";

// The header is the same HTML for every visitor (pages are cached whole); who is signed in arrives after load.
// On a phone it folds into a Menu button.

const menuButton = (page: Page) => page.getByRole("banner").getByRole("button", { name: /menu/i });
const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });

/** Nothing in the header may stick out past the right edge of the screen, and the page may not scroll sideways. */
async function expectHeaderFits(page: Page) {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("header *")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${Math.round(el.getBoundingClientRect().right)} > ${width}`);
    return { wide, scroll: document.documentElement.scrollWidth - width };
  });
  expect(overflow.wide).toEqual([]);
  expect(overflow.scroll).toBeLessThanOrEqual(0);
}

test.describe("header at 1280 px", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("links in one row, no menu button; the signed-in part appears after load with the role's links", async ({ page, baseURL }) => {
    await page.goto("/");
    await expect(menuButton(page)).toBeHidden();
    await expect(mainNav(page).getByRole("link", { name: "Lessons" })).toBeVisible();
    await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(mainNav(page).getByRole("link", { name: "Account" })).toHaveCount(0);
    await expectHeaderFits(page);

    await mainNav(page).getByRole("link", { name: "Leaderboards" }).click();
    await expect(page).toHaveURL(/\/leaderboard$/);
    await expect(mainNav(page).getByRole("link", { name: "Leaderboards" })).toHaveAttribute("aria-current", "page");

    const student = { email: `header-${Date.now()}@example.com`, name: "Hedda Header" };
    await signUp(page, baseURL!, student);
    await expect(mainNav(page).getByRole("link", { name: /Notifications/ })).toBeVisible();
    await expect(mainNav(page).getByRole("link", { name: "Account" })).toBeVisible();
    await expect(mainNav(page).getByRole("link", { name: "Grading" })).toHaveCount(0);
    await expect(mainNav(page).getByRole("link", { name: "Admin" })).toHaveCount(0);
    // A cached page (a lesson) still shows who is signed in.
    await page.goto("/lessons/lesson-1");
    await expect(page.getByTestId("signed-in-as")).toHaveText(student.name);
    await expectHeaderFits(page);
  });

  test("an admin gets the Grading and Admin links, which lead to the pages", async ({ page, baseURL }) => {
    await signIn(page, baseURL!, SEEDED.admin.email);
    await expect(page.getByTestId("signed-in-as")).toContainText(SEEDED.admin.name);
    await mainNav(page).getByRole("link", { name: "Admin" }).click();
    await expect(page).toHaveURL(/\/admin\/users/);
    await mainNav(page).getByRole("link", { name: "Grading" }).click();
    await expect(page).toHaveURL(/\/grading/);
  });
});

test.describe("header at 390 px", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the links fold into a menu that opens, works from the keyboard and closes on navigation", async ({ page }) => {
    await page.goto("/");
    const button = menuButton(page);
    await expect(button).toBeVisible();
    await expect(button).toHaveAttribute("aria-expanded", "false");
    await expect(mainNav(page).getByRole("link", { name: "Homework" })).toBeHidden();
    await expectHeaderFits(page);

    await button.click();
    await expect(button).toHaveAttribute("aria-expanded", "true");
    await expect(mainNav(page).getByRole("link", { name: "Homework" })).toBeVisible();
    await expect(page.getByRole("banner").getByRole("link", { name: "Sign up" })).toBeVisible();
    await expectHeaderFits(page);
    await mainNav(page).getByRole("link", { name: "Homework" }).click();
    await expect(page).toHaveURL(/\/homework$/);
    await expect(button).toHaveAttribute("aria-expanded", "false");
    await expect(mainNav(page).getByRole("link", { name: "Homework" })).toBeHidden();

    // Keyboard: Enter opens, Tab reaches the links, Escape closes and gives the focus back to the button.
    await button.focus();
    await page.keyboard.press("Enter");
    await expect(button).toHaveAttribute("aria-expanded", "true");
    await page.keyboard.press("Tab");
    await expect(mainNav(page).getByRole("link", { name: "Lessons" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(button).toHaveAttribute("aria-expanded", "false");
    await expect(button).toBeFocused();
    await page.keyboard.press("Space");
    await expect(button).toHaveAttribute("aria-expanded", "true");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/$/);
    await expect(button).toHaveAttribute("aria-expanded", "false");

    // Signed in (a long name must not widen the header): the name and account links are in the menu.
    const student = { email: `header-phone-${Date.now()}@example.com`, name: "Maximiliana Wolkenstein-Oberhausen de la Fuente" };
    await page.goto("/signup");
    await page.getByLabel("Name").fill(student.name);
    await page.getByLabel("Email").fill(student.email);
    await page.getByLabel("Password").fill("a sound passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/$/);
    await page.goto("/lessons/lesson-1");
    await expect(page.getByTestId("header-user")).toHaveAttribute("data-state", "signed-in");
    await expectHeaderFits(page);
    await button.click();
    await expect(page.getByTestId("signed-in-as")).toHaveText(student.name);
    await expect(mainNav(page).getByRole("link", { name: "Account" })).toBeVisible();
    await expect(page.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeVisible();
    await expectHeaderFits(page);
  });
});
