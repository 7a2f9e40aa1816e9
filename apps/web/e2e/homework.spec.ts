import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import type { ClaimResponse, CompleteRequest } from "@course/runner/protocol";
import { PASSWORD } from "./support/accounts";
import { runnerPost as postAsRunner, testCapabilities } from "./support/runner-api";
import { startSite, type Site } from "./support/site";

// A private site whose local runner token we know, so this spec can play the runner over the real HTTP API.
const token = `crt_${randomBytes(24).toString("base64url")}`;
const port = Number(process.env.E2E_PORT ?? 3210) + 5;
const student = { email: `hw-${Date.now()}@example.com`, name: "Hannah Homework" };

const capabilities = testCapabilities;

function notebook(source: string) {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" } },
    cells: [{ id: "c1", cell_type: "code", metadata: {}, execution_count: null, outputs: [], source }],
  });
}

const runnerPost = (request: APIRequestContext, site: Site, path: string, data: unknown) => postAsRunner(request, site.url, token, path, data);

let site: Site;
test.beforeAll(async () => {
  test.setTimeout(180_000); // a production start on a busy machine
  site = await startSite({ port, seed: true, env: { COURSE_LOCAL_RUNNER_TOKEN: token } });
});
test.afterAll(async () => {
  await site?.stop();
});

test("a student uploads a notebook, sees bad files refused, and follows it live from queued to scored on the leaderboard", async ({ browser, page, request }) => {
  test.setTimeout(120_000);
  await page.goto(`${site.url}/signup`);
  await page.getByLabel("Name").fill(student.name);
  await page.getByLabel("Email").fill(student.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(student.name);

  // The lesson page's homework box leads to the homework page.
  await page.goto(`${site.url}/lessons/lesson-1`);
  const box = page.getByTestId("homework-box");
  await expect(box).toContainText("2 submissions a day");
  await expect(box).toContainText("left)");
  await box.getByRole("link", { name: "Submit your notebook" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Homework:");
  await expect(page.getByTestId("no-submissions")).toBeVisible();

  // A file that is not a notebook: a clear error with its position, and nothing stored.
  await page.locator("#notebook-file").setInputFiles({ name: "broken.ipynb", mimeType: "application/json", buffer: Buffer.from('{\n  "cells": [,]\n}') });
  const error = page.getByRole("main").getByTestId("upload-error");
  await expect(error).toContainText("broken.ipynb: not valid JSON");
  await expect(error).toContainText("line 2, column");
  await page.reload();
  await expect(page.getByTestId("no-submissions")).toBeVisible();

  // A real notebook: accepted and queued, first in line.
  await page.locator("#notebook-file").setInputFiles({ name: "dogs-vs-cats.ipynb", mimeType: "application/x-ipynb+json", buffer: Buffer.from(notebook('console.log("hi")')) });
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "accepted" })).toContainText("dogs-vs-cats.ipynb was accepted");
  const item = page.getByTestId("submission").first();
  await expect(item.getByTestId("submission-state")).toHaveText("Queued");
  await expect(item.getByTestId("queue-position")).toContainText("next in line");

  // From here on the page must update by itself: mark the document and check the mark survives.
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

  const claim = await runnerPost(request, site, "/api/runner/claim", { capabilities, waitSeconds: 5 });
  const { job } = (await claim.json()) as ClaimResponse;
  expect(job.benchmarkId).toBe("dogscats");
  const at = () => new Date().toISOString();
  await runnerPost(request, site, `/api/runner/jobs/${job.id}/heartbeat`, {
    logLines: [
      { at: at(), stream: "runner", text: "cell 1/2" },
      { at: at(), stream: "stdout", text: "training epoch 1: loss 0.31" },
    ],
  });
  await expect(item.getByTestId("submission-state")).toHaveText("Running");
  await expect(item.getByTestId("running-cell")).toContainText("Running cell 1 of 2");
  await expect(item.getByTestId("log-tail")).toContainText("training epoch 1: loss 0.31");

  const metrics = { count: 100, accuracy: 0.97, logLoss: 0.1234 };
  const complete: CompleteRequest = {
    executedNotebook: notebook('console.log("hi")'),
    submissionCsv: "id,label\n1,0.9\n",
    scores: { overall: metrics, public: metrics, private: { ...metrics, logLoss: 0.2 } },
    capabilities,
    backend: "onnxruntime-cpu",
    timings: { setupMs: 1, executeMs: 2, scoreMs: 3, totalMs: 6 },
    logLines: [{ at: at(), stream: "runner", text: "cell 2/2" }],
  };
  await runnerPost(request, site, `/api/runner/jobs/${job.id}/complete`, complete);
  await expect(item.getByTestId("submission-state")).toHaveText("Scored");
  await expect(item.getByTestId("scores")).toContainText("0.1234");
  await expect(item.getByTestId("scores")).toContainText("97.00%");
  await expect(item.getByTestId("scores")).toContainText("Private score hidden until the deadline");
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

  // The submission page has the downloads; the leaderboard shows the score.
  await item.getByRole("link", { name: "dogs-vs-cats.ipynb" }).click();
  await expect(page.getByTestId("download-csv")).toBeVisible();
  const csvUrl = `${site.url}/api/submissions/${page.url().split("/").pop()}/submission.csv`;
  const mine = await page.request.get(csvUrl); // the page's cookies: the owner
  expect(mine.status()).toBe(200);
  expect(mine.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(mine.headers()["content-disposition"]).toBe('attachment; filename="dogs-vs-cats.submission.csv"');
  expect(await mine.text()).toBe(complete.submissionCsv);
  expect((await request.get(csvUrl)).status()).toBe(401); // no session cookie at all
  const executedUrl = csvUrl.replace(/submission\.csv$/, "executed.ipynb");
  expect((await page.request.get(executedUrl)).headers()["content-type"]).toBe("application/x-ipynb+json; charset=utf-8");

  // Another student gets nothing: not the files, not the page.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(`${site.url}/signup`);
  await otherPage.getByLabel("Name").fill("Other Student");
  await otherPage.getByLabel("Email").fill(`other-${student.email}`);
  await otherPage.getByLabel("Password").fill(PASSWORD);
  await otherPage.getByRole("button", { name: "Create account" }).click();
  await expect(otherPage.getByTestId("signed-in-as")).toContainText("Other Student");
  expect((await otherPage.request.get(csvUrl)).status()).toBe(404);
  expect((await otherPage.request.get(executedUrl)).status()).toBe(404);
  const theirView = await otherPage.goto(page.url());
  expect(theirView?.status()).toBe(404);
  // Too large for the real route (5 MB limit): refused with a clear message, nothing stored.
  const big = await otherPage.request.post(`${site.url}/api/submissions?assignment=lesson-1`, {
    multipart: { assignment: "lesson-1", file: { name: "huge.ipynb", mimeType: "application/json", buffer: Buffer.alloc(6_000_000, 32) } },
  });
  expect(big.status()).toBe(413);
  expect(((await big.json()) as { error: string }).error).toContain("too large");
  await other.close();
  await page.goto(`${site.url}/leaderboard/lesson-1`);
  const board = page.getByTestId("public-leaderboard");
  await expect(board).toContainText(student.name);
  await expect(board).toContainText("0.1234");
  await expect(page.getByTestId("score-chart")).toBeVisible();
  // Opening the submission page (above) read the notification that links to it: the nav counts none.
  await expect(page.getByTestId("unread-count")).toHaveCount(0);
  await page.getByRole("link", { name: /Notifications/ }).click();
  await expect(page.getByTestId("notifications")).toContainText("dogs-vs-cats.ipynb was scored");
  await expect(page.getByTestId("notifications").getByRole("listitem").first()).toHaveAttribute("data-unread", "false");

  // A second notebook by drag and drop, then a third refused by the daily limit (2), naming the time of the next one.
  await page.goto(`${site.url}/homework/lesson-1`);
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], "dropped.ipynb", { type: "application/x-ipynb+json" }));
    return dt;
  }, notebook("1 + 1"));
  await page.getByTestId("dropzone").dispatchEvent("drop", { dataTransfer });
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "accepted" })).toContainText("dropped.ipynb was accepted");
  await expect(page.getByTestId("submission")).toHaveCount(2);
  await expect(page.getByTestId("submission").first().getByTestId("queue-position")).toContainText("next in line");
  // The page now says the day's submissions are used and disables the picker; the server refuses a third anyway.
  await expect(page.getByTestId("dropzone")).toContainText("You used today's 2 submissions. The next one is allowed at");
  await expect(page.locator("#notebook-file")).toBeDisabled();
  const third = await page.request.post(`${site.url}/api/submissions`, {
    multipart: { assignment: "lesson-1", file: { name: "third.ipynb", mimeType: "application/x-ipynb+json", buffer: Buffer.from(notebook("2")) } },
  });
  expect(third.status()).toBe(429);
  expect(((await third.json()) as { error: string }).error).toContain("You already made 2 submissions today (UTC). The next one is allowed at");
  await page.reload();
  await expect(page.getByTestId("submission")).toHaveCount(2);
});

test("retried uploads are stored once, the day's limit disables the upload with one message, opening a submission reads its notifications, and Final works before hydration", async ({ browser, page, request }) => {
  test.setTimeout(120_000);
  await page.goto(`${site.url}/signup`);
  await page.getByLabel("Name").fill("Rita Retry");
  await page.getByLabel("Email").fill(`retry-${student.email}`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("Rita Retry");
  await page.goto(`${site.url}/homework/lesson-1`);
  await expect(page.getByTestId("no-submissions")).toBeVisible();

  // The connection resets after the server stored the upload: the form retries with the same key, and the server
  // answers with the stored submission instead of storing it twice.
  const keys: (string | null)[] = [];
  let reset = false;
  await page.route("**/api/submissions?**", async (route) => {
    keys.push(route.request().headers()["idempotency-key"] ?? null);
    if (reset) return route.continue();
    reset = true;
    await route.fetch(); // reaches the server, which stores it
    await route.abort("connectionreset");
  });
  await page.locator("#notebook-file").setInputFiles({ name: "same.ipynb", mimeType: "application/x-ipynb+json", buffer: Buffer.from(notebook("1")) });
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "accepted" })).toContainText("same.ipynb was accepted");
  expect(keys).toHaveLength(2);
  expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
  expect(keys[1]).toBe(keys[0]);
  await page.unroute("**/api/submissions?**");
  await expect(page.getByTestId("submission")).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId("submission")).toHaveCount(1);

  // The day's second submission comes from elsewhere (another tab): this page still offers the upload, the server
  // refuses a third, and the page then disables the whole area with one message saying when the next slot opens.
  const second = await page.request.post(`${site.url}/api/submissions`, {
    multipart: { assignment: "lesson-1", file: { name: "same.ipynb", mimeType: "application/x-ipynb+json", buffer: Buffer.from(notebook("2")) } },
  });
  expect(second.status()).toBe(201);
  await page.locator("#notebook-file").setInputFiles({ name: "third.ipynb", mimeType: "application/x-ipynb+json", buffer: Buffer.from(notebook("3")) });
  const dropzone = page.getByTestId("dropzone");
  await expect(dropzone).toHaveAttribute("aria-disabled", "true");
  await expect(page.getByText(/You used today's 2 submissions\. The next one is allowed at \d{4}-\d\d-\d\d 00:00 UTC/)).toHaveCount(1);
  await expect(page.getByText(/already made 2 submissions/)).toHaveCount(0);
  await expect(page.getByTestId("upload-error")).toHaveCount(0);
  await expect(page.locator("#notebook-file")).toBeDisabled();
  await expect(page.getByTestId("submission")).toHaveCount(2);
  await page.reload();
  await expect(dropzone).toHaveAttribute("aria-disabled", "true");
  await expect(page.getByText(/You used today's 2 submissions/)).toHaveCount(1);
  await expect(page.getByText("Choose a notebook…")).toHaveCount(0);

  // Score everything queued (this student's two, and whatever earlier tests left).
  const at = () => new Date().toISOString();
  let logLoss = 0.3;
  for (;;) {
    const claim = await runnerPost(request, site, "/api/runner/claim", { capabilities, waitSeconds: 0 });
    if (claim.status() === 204) break;
    const { job } = (await claim.json()) as ClaimResponse;
    const metrics = { count: 100, accuracy: 0.9, logLoss: (logLoss -= 0.05) };
    await runnerPost(request, site, `/api/runner/jobs/${job.id}/complete`, {
      executedNotebook: job.notebook,
      submissionCsv: "id,label\n1,0.9\n",
      scores: { overall: metrics, public: metrics, private: metrics },
      capabilities,
      backend: "onnxruntime-cpu",
      timings: { setupMs: 1, executeMs: 2, scoreMs: 3, totalMs: 6 },
      logLines: [{ at: at(), stream: "runner", text: "done" }],
    } satisfies CompleteRequest);
  }

  // Two "scored" notifications for two files of one name tell which is which; opening one's page reads it.
  await page.goto(`${site.url}/notifications`);
  const notes = page.getByTestId("notifications").getByRole("listitem");
  await expect(notes).toHaveCount(2);
  await expect(notes.nth(0)).toContainText(/same\.ipynb was scored: log loss 0\.\d{5} \(submission #2, /);
  await expect(notes.nth(1)).toContainText(/same\.ipynb was scored: log loss 0\.\d{5} \(submission #1, /);
  await expect(page.getByTestId("unread-count")).toHaveText("2");
  await notes.nth(1).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("same.ipynb");
  await expect(page.getByTestId("unread-count")).toHaveText("1");
  const submissionUrl = page.url();
  await page.goto(`${site.url}/notifications`);
  await expect(notes.nth(1)).toHaveAttribute("data-unread", "false");
  await expect(notes.nth(0)).toHaveAttribute("data-unread", "true");

  // Final before hydration: with no JavaScript at all, the button is a real form that the server answers.
  const noJs = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await noJs.newPage();
  await plain.goto(submissionUrl);
  const final = plain.getByRole("button", { name: "Final" });
  await expect(final).toHaveAttribute("aria-pressed", "false");
  await final.click();
  await expect(plain.getByRole("button", { name: "Final" })).toHaveAttribute("aria-pressed", "true");
  await noJs.close();
  // The choice is stored: the hydrated page shows it too, and can undo it without a reload.
  await page.goto(submissionUrl);
  await expect(page.getByRole("button", { name: "Final" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "Final" }).click();
  await expect(page.getByRole("button", { name: "Final" })).toHaveAttribute("aria-pressed", "false");
});
