import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import type { ClaimResponse, CompleteRequest } from "@course/runner/protocol";
import { SEEDED } from "./support/accounts";
import { signIn as signInAt, signUp as signUpAt } from "./support/browser";
import { runnerPost as postAsRunner, testCapabilities } from "./support/runner-api";
import { tinyNotebook as notebook } from "./support/scored-submission";
import { startSite, type Site } from "./support/site";

// A private site whose local runner token we know, so this spec plays the runner over the real HTTP API.
const token = `crt_${randomBytes(24).toString("base64url")}`;
const port = Number(process.env.E2E_PORT ?? 3210) + 6;
const stamp = Date.now();
const student = { email: `graded-${stamp}@example.com`, name: "Gina Graded" };
const other = { email: `nosy-${stamp}@example.com`, name: "Nora Nosy" };

const capabilities = testCapabilities;

const runnerPost = (request: APIRequestContext, path: string, data: unknown) => postAsRunner(request, site.url, token, path, data);

const signUp = (page: Page, who: { email: string; name: string }) => signUpAt(page, site.url, who);

const signIn = (page: Page, email: string) => signInAt(page, site.url, email);

async function newPage(browser: Browser) {
  const context = await browser.newContext();
  return context.newPage();
}

let site: Site;
test.beforeAll(async () => {
  site = await startSite({ port, seed: true, env: { COURSE_LOCAL_RUNNER_TOKEN: token } });
});
test.afterAll(async () => {
  await site?.stop();
});

test("a grader comments, scores and returns a submission; the student sees it and asks for a regrade; others see nothing", async ({ page, request, browser }) => {
  test.setTimeout(180_000);

  // The student submits a notebook, and the runner executes and scores it.
  await signUp(page, student);
  await page.goto(`${site.url}/homework/lesson-1`);
  await page.locator("#notebook-file").setInputFiles({ name: "graded.ipynb", mimeType: "application/x-ipynb+json", buffer: Buffer.from(notebook(false)) });
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "accepted" })).toContainText("graded.ipynb was accepted");
  const claim = await runnerPost(request, "/api/runner/claim", { capabilities, waitSeconds: 5 });
  const { job } = (await claim.json()) as ClaimResponse;
  const metrics = { count: 100, accuracy: 0.97, logLoss: 0.1234 };
  const complete: CompleteRequest = {
    executedNotebook: notebook(true),
    submissionCsv: "id,label\n1,0.9\n",
    scores: { overall: metrics, public: metrics, private: { ...metrics, logLoss: 0.2 } },
    capabilities,
    backend: "onnxruntime-cpu",
    timings: { setupMs: 1, executeMs: 2, scoreMs: 3, totalMs: 6 },
    logLines: [{ at: new Date().toISOString(), stream: "stdout", text: "training epoch 1: loss 0.31" }],
  };
  await runnerPost(request, `/api/runner/jobs/${job.id}/complete`, complete);
  const item = page.getByTestId("submission").first();
  await expect(item.getByTestId("submission-state")).toHaveText("Scored");
  await item.getByRole("link", { name: "graded.ipynb" }).click();
  await expect(page.getByTestId("no-feedback")).toBeVisible();
  const submissionUrl = page.url();
  const submissionId = submissionUrl.split("/").pop()!;

  // Students may not open the grading pages; anonymous visitors are sent to sign in.
  expect((await page.goto(`${site.url}/grading`))?.status()).toBe(403);
  expect((await page.goto(`${site.url}/grading/submissions/${submissionId}`))?.status()).toBe(403);
  for (const admin of ["/admin/users", "/admin/runners", "/admin/jobs"]) expect((await page.goto(`${site.url}${admin}`))?.status()).toBe(403);
  expect((await page.request.get(`${site.url}/api/grading/export?assignment=lesson-1`)).status()).toBe(403);
  const anonymous = await newPage(browser);
  await anonymous.goto(`${site.url}/grading`);
  await expect(anonymous).toHaveURL(/\/signin\?callbackUrl=%2Fgrading/);

  // The grader finds it in the queue, comments on a cell, saves a draft, then returns it.
  const grader = await newPage(browser);
  await signIn(grader, SEEDED.grader.email);
  await grader.getByRole("link", { name: "Grading" }).click();
  const row = grader.getByTestId("queue-item").filter({ hasText: student.email });
  await expect(row.getByTestId("queue-review")).toHaveText("Not reviewed");
  await row.getByRole("link", { name: "graded.ipynb" }).click();
  await expect(grader.getByTestId("student")).toContainText(student.email);
  await expect(grader.getByTestId("grader-scores")).toContainText("0.1234");
  await grader.getByText(/Notebook output/).click();
  await expect(grader.getByTestId("grader-log")).toContainText("training epoch 1");

  const cell = grader.locator("#cell-1");
  // Comment boxes are named as the notebook shows the cell: In [1] (the markdown cell above is not "cell 1" of code).
  await expect(grader.locator("#cell-0").getByText("Comment on markdown cell 1")).toBeVisible();
  await cell.getByText("Comment on In [1]").click();
  await cell.getByLabel("Comment on In [1]").fill("Print the **validation** accuracy too.");
  await cell.getByRole("button", { name: "Add comment" }).click();
  await expect(cell.getByTestId("cell-comment")).toContainText("Print the validation accuracy too.");
  await expect(cell.locator("strong", { hasText: "validation" })).toBeVisible();

  const form = grader.getByTestId("review-form");
  // Point inputs: one labelled number input per criterion, 0..max with half-point steps, usable from the keyboard
  // and large enough to hit.
  const runs = form.getByRole("spinbutton", { name: "Runs end to end" });
  await expect(runs).toHaveAttribute("min", "0");
  await expect(runs).toHaveAttribute("max", "4");
  await expect(runs).toHaveAttribute("step", "0.5");
  await expect(runs).toHaveAccessibleDescription(/out of 4/);
  const box = await runs.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(32);
  expect(box!.width).toBeGreaterThanOrEqual(80);
  await runs.fill("3");
  await runs.press("ArrowUp");
  await expect(runs).toHaveValue("3.5");
  await runs.press("ArrowUp");
  await expect(runs).toHaveValue("4");
  await form.getByLabel("Runs end to end").fill("4");
  await form.getByLabel("Data and model").fill("2.5");
  await form.getByRole("button", { name: "Save draft" }).click();
  await expect(form.getByRole("status")).toHaveText("Draft saved.");
  await expect(form.getByTestId("review-status")).toHaveText("Draft");
  // A draft is not shown to the student.
  await page.goto(submissionUrl);
  await expect(page.getByTestId("no-feedback")).toBeVisible();
  await expect(page.getByTestId("cell-comment")).toHaveCount(0);

  // Returning needs every criterion.
  await form.getByRole("button", { name: "Return to student" }).click();
  await expect(form.getByRole("alert")).toContainText("Score every criterion before returning");
  await form.getByLabel("Score", { exact: true }).fill("2");
  await form.getByLabel("Explanation").fill("1");
  await form.getByLabel("Overall feedback").fill("Solid work. <script>window.__pwned = 1</script>");
  await form.getByRole("button", { name: "Return to student" }).click();
  await expect(form.getByRole("status")).toHaveText("Returned to the student.");
  await expect(form.getByTestId("review-status")).toHaveText("Returned");

  // The student sees scores, total, feedback (sanitized) and the cell comment, and asks for a regrade.
  await page.goto(submissionUrl);
  const feedback = page.getByTestId("feedback");
  await expect(feedback.getByTestId("rubric-total")).toHaveText("9.5 / 10");
  await expect(feedback.getByTestId("feedback-text")).toContainText("Solid work.");
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.locator("#cell-1").getByTestId("cell-comment")).toContainText("Print the validation accuracy too.");
  await page.getByLabel("Why should it be looked at again?").fill("Cell 2 does print the validation accuracy.");
  await page.getByRole("button", { name: "Ask for a regrade" }).click();
  await expect(page.getByTestId("regrade-request")).toHaveCount(1);
  await expect(page.getByTestId("regrade-request").first()).toHaveAttribute("data-status", "open");
  await expect(page.getByTestId("regrade-form")).toHaveCount(0);

  // Every grader (and admin) is told, with a link to the submission's grading page.
  await grader.goto(`${site.url}/notifications`);
  const told = grader.getByTestId("notifications").getByRole("link", { name: `${student.name} (${student.email}) asked for a regrade of graded.ipynb` });
  await expect(told).toBeVisible();
  await told.click();
  await expect(grader).toHaveURL(`${site.url}/grading/submissions/${submissionId}`);

  // The grader sees the request first in the queue and answers it, raising the points in the same step.
  await grader.goto(`${site.url}/grading`);
  await expect(grader.getByTestId("queue-item").first().getByTestId("open-regrade")).toBeVisible();
  await grader.getByTestId("queue-item").first().getByRole("link", { name: "graded.ipynb" }).click();
  const answerForm = grader.getByTestId("regrade-answer-form");
  await answerForm.getByLabel("Your answer").fill("You are right: Data and model is now 3.");
  await expect(answerForm.getByRole("spinbutton", { name: "Data and model" })).toHaveValue("2.5");
  await answerForm.getByRole("spinbutton", { name: "Data and model" }).fill("3");
  await answerForm.getByRole("button", { name: "Send answer" }).click();
  await expect(grader.getByTestId("regrade-answer")).toContainText("You are right");
  await expect(grader.getByTestId("review-form").getByLabel("Data and model")).toHaveValue("3");

  // The student sees the answer and the new total, told once, and may ask again.
  await page.reload();
  await expect(page.getByTestId("regrade-answer")).toContainText("You are right: Data and model is now 3.");
  await expect(page.getByTestId("feedback").getByTestId("rubric-total")).toHaveText("10 / 10");
  await expect(page.getByTestId("regrade-form")).toBeVisible();
  await page.goto(`${site.url}/notifications`);
  const notes = page.getByTestId("notifications").locator("li");
  await expect(notes.filter({ hasText: "Your regrade request for graded.ipynb was answered: now 10/10 points (was 9.5)" })).toHaveCount(1);
  // One notification for the answer and the new points together: scored, reviewed, answered.
  await expect(notes.filter({ hasText: "graded.ipynb" })).toHaveCount(3);

  // The student makes it a final; the queue shows that, and groups each student's submissions on request.
  await page.goto(`${site.url}/homework/lesson-1`);
  // The Final button follows the saved choice, so it turns pressed once the server took it.
  await page.getByTestId("submission").filter({ hasText: "graded.ipynb" }).getByRole("button", { name: "Final" }).click();
  await expect(page.getByTestId("submission").filter({ hasText: "graded.ipynb" }).getByRole("button", { name: "Final" })).toHaveAttribute("aria-pressed", "true");
  await grader.goto(`${site.url}/grading`);
  const queued = grader.getByTestId("queue-item").filter({ hasText: student.email });
  await expect(queued.getByTestId("final-badge")).toHaveText("Final");
  await expect(queued.getByTestId("queue-student")).toContainText(student.name);
  await expect(queued.getByTestId("submission-state")).toHaveText("Scored");
  await grader.getByLabel("Show").selectOption("student");
  await grader.getByRole("button", { name: "Filter" }).click();
  await expect(grader).toHaveURL(/group=student/);
  await expect(grader.getByTestId("queue-group").filter({ hasText: student.email })).toHaveCount(1);

  // Another student learns nothing about it.
  const nosy = await newPage(browser);
  await signUp(nosy, other);
  expect((await nosy.goto(submissionUrl))?.status()).toBe(404);
  expect((await nosy.request.get(`${site.url}/api/submissions/${submissionId}/executed.ipynb`)).status()).toBe(404);
  expect((await nosy.goto(`${site.url}/grading/submissions/${submissionId}`))?.status()).toBe(403);
  expect((await nosy.request.post(`${site.url}/api/trpc/grading.requestRegrade`, { data: { json: { submissionId, reason: "mine?" } } })).status()).toBe(404);
  // The grader may open the student's page, without the student's feedback box.
  expect((await grader.goto(submissionUrl))?.status()).toBe(200);
  await expect(grader.getByRole("link", { name: "Review it" })).toBeVisible();

  // The grades export has the row.
  const csv = await grader.request.get(`${site.url}/api/grading/export?assignment=lesson-1`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trimEnd().split("\r\n");
  expect(lines[0]).toBe(
    "student_email,student_name,submission_id,submitted_at,public_log_loss,public_accuracy,private_log_loss,private_accuracy,runs-end-to-end,data-and-model,score,explanation,total,max_total,review_status,returned_at",
  );
  const mine = lines.find((l) => l.includes(submissionId));
  expect(mine).toMatch(new RegExp(`^${student.email.replace(/\./g, "\\.")},${student.name},${submissionId},.*,0\\.1234,0\\.97,0\\.2,0\\.97,4,3,2,1,10,10,returned,\\d{4}-`));
});
