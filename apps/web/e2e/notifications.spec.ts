import { expect, test } from "@playwright/test";
import { SEEDED } from "./support/accounts";
import { signIn, signUp } from "./support/browser";

// The shared site from global-setup; a student of our own.
const baseUrl = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;
const student = { email: `prefs-${Date.now()}@example.com`, name: "Pia Prefs" };

test("a student turns a kind of notification off and it stays off; mandatory kinds cannot be; graders see their own kinds", async ({ page, browser }) => {
  await signUp(page, baseUrl, student);
  await page.goto(`${baseUrl}/notifications`);
  const prefs = page.getByTestId("notification-preferences");
  const scoredOnSite = prefs.getByRole("checkbox", { name: "Submission scored on the site" });
  await expect(scoredOnSite).toBeChecked();
  await expect(prefs.getByRole("checkbox", { name: "Review returned on the site" })).toBeDisabled();
  await expect(prefs.getByRole("row", { name: /Review returned/ })).toContainText("Always shown on the site.");
  await expect(prefs.getByRole("row", { name: /Regrade requested/ })).toHaveCount(0);
  // This site has no SMTP_URL: the page says so instead of offering delivery choices (email.spec.ts has a site with it).
  await expect(page.getByTestId("email-off")).toContainText("Email is off on this site");
  await expect(page.getByTestId("email-delivery")).toHaveCount(0);

  await scoredOnSite.uncheck();
  await expect(scoredOnSite).not.toBeChecked();
  await page.reload();
  await expect(page.getByTestId("notification-preferences").getByRole("checkbox", { name: "Submission scored on the site" })).not.toBeChecked();

  const grader = await (await browser.newContext()).newPage();
  await signIn(grader, baseUrl, SEEDED.grader.email);
  await grader.goto(`${baseUrl}/notifications`);
  await expect(grader.getByTestId("notification-preferences").getByRole("checkbox", { name: "Regrade requested on the site" })).toBeChecked();
});
