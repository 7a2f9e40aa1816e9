import { expect, type Page } from "@playwright/test";
import { PASSWORD } from "./accounts";

/** Signs up through the real form on `baseUrl` and waits until the header shows the new account. */
export async function signUp(page: Page, baseUrl: string, who: { email: string; name: string }) {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel("Name").fill(who.name);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(who.name);
}

/** Signs in through the real form on `baseUrl` and waits until it took. */
export async function signIn(page: Page, baseUrl: string, email: string) {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}
