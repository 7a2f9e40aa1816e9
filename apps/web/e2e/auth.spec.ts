import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, SEEDED } from "./support/accounts";
import { startSite } from "./support/site";

const student = { email: "auth-student@example.com", name: "Sam Student" };

async function signUp(page: Page, who: { email: string; name: string }, pw = PASSWORD) {
  await page.goto("/signup");
  await page.getByLabel("Name").fill(who.name);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(pw);
  await page.getByRole("button", { name: "Create account" }).click();
}

async function signIn(page: Page, email: string, pw: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(pw);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("on a fresh install the first account becomes admin, and the start-up log says so", async ({ page }) => {
  const fresh = await startSite({ port: Number(process.env.E2E_PORT ?? 3210) + 1 });
  try {
    await page.goto(`${fresh.url}/signup`);
    await page.getByLabel("Name").fill("First Person");
    await page.getByLabel("Email").fill("first@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("signed-in-as")).toContainText("First Person");
    await expect(page.getByTestId("signed-in-as")).toContainText("admin");
    await expect(page.getByRole("link", { name: "Admin" })).toBeVisible();
    const log = () => fs.readFileSync(fresh.logFile, "utf8");
    expect(log()).toContain("No accounts yet: the first account to sign up becomes admin.");
    // The server writes the line while the browser is already redirected; give its log a moment.
    await expect.poll(log).toContain("first@example.com is the first account on this install and is now admin.");
  } finally {
    await fresh.stop();
  }
});

test.describe.serial("accounts and roles", () => {
  test("sign up, sign out, sign in again; a wrong password is refused with a clear message", async ({ page }) => {
    await signUp(page, student);
    await expect(page.getByTestId("signed-in-as")).toContainText(student.name);
    await expect(page.getByTestId("signed-in-as")).not.toContainText("admin");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(page.getByTestId("signed-in-as")).toHaveCount(0);

    await signIn(page, student.email, "not the password");
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong email or password.");
    await signIn(page, "nobody@example.com", PASSWORD);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong email or password.");

    await signIn(page, student.email, PASSWORD);
    await expect(page.getByTestId("signed-in-as")).toContainText(student.name);
    await page.goto("/account");
    await expect(page.getByTestId("role")).toHaveText("student");
  });

  test("sign-up errors are specific: weak password, taken email", async ({ page }) => {
    await signUp(page, { email: "weak@example.com", name: "Weak" }, "password12");
    await expect(page.getByRole("main").getByRole("alert")).toContainText("too easy to guess. This is a commonly used password.");
    await signUp(page, { email: student.email, name: "Copycat" });
    await expect(page.getByRole("main").getByRole("alert")).toContainText("already exists");
  });

  test("a role-gated page is refused to anonymous visitors and students, and shown to an admin", async ({ page, browser }) => {
    const anonymous = await page.goto("/admin/users");
    expect(anonymous?.url()).toContain("/signin?callbackUrl=%2Fadmin%2Fusers");

    await signIn(page, student.email, PASSWORD);
    await expect(page.getByTestId("signed-in-as")).toContainText(student.name);
    await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
    const refused = await page.goto("/admin/users");
    expect(refused?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
    await expect(page.getByText(SEEDED.admin.email)).toHaveCount(0);

    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, SEEDED.admin.email, PASSWORD);
    await expect(adminPage.getByTestId("signed-in-as")).toContainText(SEEDED.admin.name);
    await adminPage.goto("/admin/users");
    await expect(adminPage.getByRole("heading", { name: "Users and roles" })).toBeVisible();
    await adminPage.getByLabel(`Role of ${student.email}`).selectOption("grader");
    await expect(adminPage.getByLabel(`Role of ${student.email}`)).toHaveValue("grader");
    await adminContext.close();

    // Roles are read from the database on every request: no new sign-in needed.
    await page.goto("/account");
    await expect(page.getByTestId("role")).toHaveText("grader");
    expect((await page.goto("/admin/users"))?.status()).toBe(403);
  });
});
