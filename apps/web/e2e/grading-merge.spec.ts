import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { SEEDED } from "./support/accounts";
import { signIn, signUp } from "./support/browser";
import { scoreNextJob, submitNotebook } from "./support/scored-submission";
import { freePort, startSite, type Site } from "./support/site";

// Two graders edit the same feedback in two browsers: the later save merges, or shows the conflict and keeps the text.
const token = `crt_${randomBytes(24).toString("base64url")}`;
let site: Site;
test.beforeAll(async () => {
  site = await startSite({ port: await freePort(), seed: true, env: { COURSE_LOCAL_RUNNER_TOKEN: token } });
});
test.afterAll(async () => {
  await site?.stop();
});

async function graderPage(browser: Browser, email: string, submissionId: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, site.url, email);
  await page.goto(`${site.url}/grading/submissions/${submissionId}`);
  return page;
}

const lines = (...xs: string[]) => xs.join("\n");

test("two graders edit one feedback: a clean merge names the other grader, an overlap shows the conflict and keeps the typed text", async ({ page, request, browser }) => {
  test.setTimeout(180_000);
  await signUp(page, site.url, { email: `merge-${Date.now()}@example.com`, name: "Mo Merge" });
  const { id } = await submitNotebook(page, site.url, "merge.ipynb");
  await scoreNextJob(request, site.url, token, { logLoss: 0.2, accuracy: 0.9 });

  const grace = await graderPage(browser, SEEDED.grader.email, id);
  const graceForm = grace.getByTestId("review-form");
  const graceBox = graceForm.getByLabel("Overall feedback");
  await graceBox.fill(lines("Good start.", "", "The model trains.", "", "Plots are missing."));
  await graceForm.getByRole("button", { name: "Save draft" }).click();
  await expect(graceForm.getByRole("status")).toHaveText("Draft saved.");

  // Ada opens the page now: both edit revision 1.
  const ada = await graderPage(browser, SEEDED.admin.email, id);
  const adaForm = ada.getByTestId("review-form");
  const adaBox = adaForm.getByLabel("Overall feedback");
  await expect(adaBox).toHaveValue(lines("Good start.", "", "The model trains.", "", "Plots are missing."));

  await graceBox.fill(lines("Great start.", "", "The model trains.", "", "Plots are missing."));
  await graceForm.getByRole("button", { name: "Save draft" }).click();
  await expect(graceForm.getByRole("status")).toHaveText("Draft saved.");

  // Different lines: Ada's save merges with Grace's, and her box shows both.
  await adaBox.fill(lines("Good start.", "", "The model trains.", "", "Plots are missing: add a loss curve."));
  await adaForm.getByRole("button", { name: "Save draft" }).click();
  await expect(adaForm.getByRole("status")).toHaveText("Draft saved. Merged with changes saved meanwhile by Grace Grader.");
  await expect(adaBox).toHaveValue(lines("Great start.", "", "The model trains.", "", "Plots are missing: add a loss curve."));

  // The same line: Grace (who has not seen Ada's save) gets the conflict, her text stays in the box, nothing is saved.
  const graceText = lines("Great start.", "", "The model trains.", "", "Plots are missing: show the accuracy per epoch.");
  await graceBox.fill(graceText);
  await graceForm.getByRole("button", { name: "Save draft" }).click();
  const conflict = graceForm.getByTestId("edit-conflict");
  await expect(conflict).toContainText("Ada Admin saved this feedback while you were editing it");
  await expect(conflict.getByRole("heading", { name: "Their version" })).toBeVisible();
  await expect(conflict.getByRole("heading", { name: "Your version" })).toBeVisible();
  await expect(conflict).toContainText("Plots are missing: add a loss curve.");
  await expect(graceBox).toHaveValue(graceText);

  // She reconciles the two and saves again: it goes through.
  const resolved = lines("Great start.", "", "The model trains.", "", "Plots are missing: add a loss curve and the accuracy per epoch.");
  await graceBox.fill(resolved);
  await graceForm.getByRole("button", { name: "Save draft" }).click();
  await expect(graceForm.getByRole("status")).toHaveText("Draft saved.");
  await expect(conflict).toHaveCount(0);
  await expect(graceBox).toHaveValue(resolved);

  // The history lists the four revisions; any two diff, inline or side by side.
  await grace.reload();
  const history = grace.getByTestId("text-history");
  await history.getByText("Feedback history").click();
  await expect(history.getByTestId("revision")).toHaveCount(4);
  await expect(history.getByTestId("revision").first()).toContainText("#4 Grace Grader");
  await expect(history.locator('table[data-view="inline"]')).toContainText("and the accuracy per epoch");
  await history.getByLabel("Side by side").check();
  await expect(history.locator('table[data-view="side-by-side"]')).toBeVisible();
  await history.getByLabel("From").selectOption("1");
  await expect(history.locator("caption")).toContainText("Changes from revision 1 to revision 4: 2 lines added, 2 removed");
});
