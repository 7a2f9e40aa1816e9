import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import type { ClaimResponse, CompleteRequest, FailRequest } from "@course/runner/protocol";
import { SEEDED } from "./support/accounts";
import { signIn, signUp } from "./support/browser";
import { runnerPost as postAsRunner, testCapabilities } from "./support/runner-api";
import { startSite, type Site } from "./support/site";

// A private site whose local runner token we know, so this spec plays the runner (and its executor's events).
const token = `crt_${randomBytes(24).toString("base64url")}`;
const port = Number(process.env.E2E_PORT ?? 3210) + 13;
const student = { email: `failing-${Date.now()}@example.com`, name: "Fay Failing" };
const capabilities = testCapabilities;
const timings = { setupMs: 1, executeMs: 2, scoreMs: 0, totalMs: 3 };

const code = (id: string, source: string, executionCount: number | null = null, outputs: unknown[] = []) => ({ id, cell_type: "code", metadata: {}, execution_count: executionCount, outputs, source });
const md = (id: string, source: string) => ({ id, cell_type: "markdown", metadata: {}, source });
const TRAIN = 'for (let epoch = 1; epoch <= 2; epoch++) {\n  console.log(`epoch ${epoch}: loss ${0.5 / epoch}`);\n}';
const FAILING = 'const model = { fit() { return 1; } };\nmodel.fit();\n(model as any).predict(images);\nconsole.log("never");';
const TRACEBACK = [
  "\u001b[31mTypeError\u001b[39m: (intermediate value).predict is not a function",
  "Cell In[3], line 3",
  "      1 const model = { fit() { return 1; } };",
  "      2 model.fit();",
  "----> 3 (model as any).predict(images);",
  "      4 console.log(\"never\");",
];

// Markdown first and a blank code cell (the executor skips it): code cells are counted as the notebook numbers them.
function notebook(executed: boolean) {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" } },
    cells: [
      md("m1", "# Dogs vs cats"),
      code("c1", 'console.log("loading data");\nconst images = [1, 2, 3];', executed ? 1 : null, executed ? [{ output_type: "stream", name: "stdout", text: "loading data\n" }] : []),
      code("c2", "  "),
      md("m2", "Now train."),
      code("c3", TRAIN, executed ? 2 : null, executed ? [{ output_type: "stream", name: "stdout", text: "epoch 1: loss 0.5\nepoch 2: loss 0.25\n" }] : []),
      code("c4", FAILING, executed ? 3 : null, executed ? [{ output_type: "error", ename: "TypeError", evalue: "(intermediate value).predict is not a function", traceback: TRACEBACK }] : []),
      code("c5", 'console.log("not reached")'),
    ],
  });
}

// The executor's JSON-lines events, as the runner forwards them on stdout.
const ev = (e: object) => ({ at: new Date().toISOString(), stream: "stdout" as const, text: JSON.stringify(e) });
const runnerLine = (text: string) => ({ at: new Date().toISOString(), stream: "runner" as const, text });

let site: Site;
const runnerPost = (request: APIRequestContext, path: string, data: unknown) => postAsRunner(request, site.url, token, path, data);
test.beforeAll(async () => {
  site = await startSite({ port, seed: true, env: { COURSE_LOCAL_RUNNER_TOKEN: token } });
});
test.afterAll(async () => {
  await site?.stop();
});

test("a student follows the notebook's own output live and reads why it failed: the exception, In [n] and the line; limits in plain words; admins see whose job it is and requeue only failures", async ({ page, browser, request }) => {
  test.setTimeout(180_000);
  await signUp(page, site.url, student);
  await page.goto(`${site.url}/homework/lesson-1`);
  await page.locator("#notebook-file").setInputFiles({ name: "typo.ipynb", mimeType: "application/x-ipynb+json", buffer: Buffer.from(notebook(false)) });
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "accepted" })).toContainText("typo.ipynb was accepted");
  const item = page.getByTestId("submission").first();

  // Running: the progress counts code cells (In [2] of the 4 that run), the log shows prints, never events.
  const { job } = (await (await runnerPost(request, "/api/runner/claim", { capabilities, waitSeconds: 5 })).json()) as ClaimResponse;
  await runnerPost(request, `/api/runner/jobs/${job.id}/heartbeat`, {
    logLines: [
      runnerLine("executing notebook (sandboxed, timeout 600 s)"),
      ev({ event: "start", cells: 7, codeCells: 5, language: "typescript" }),
      ev({ event: "cell-start", index: 1, count: 7, executionCount: 1 }),
      ev({ event: "stream", index: 1, name: "stdout", text: "loading data\n" }),
      ev({ event: "cell-end", index: 1, count: 7, executionCount: 1, status: "ok", durationMs: 3 }),
      ev({ event: "cell-start", index: 4, count: 7, executionCount: 2 }),
      ev({ event: "stream", index: 4, name: "stdout", text: "epoch 1: " }),
      ev({ event: "stream", index: 4, name: "stdout", text: "loss 0.5\n" }),
      ev({ event: "heartbeat", index: 4, elapsedMs: 10000 }),
    ],
  });
  await expect(item.getByTestId("running-cell")).toContainText("Running cell 2 of 4 (In [2])");
  const log = item.getByTestId("log-tail");
  await expect(log).toContainText("epoch 1: loss 0.5");
  await expect(log).toContainText("loading data");
  await expect(log).not.toContainText('{"event"');
  await expect(log).not.toContainText("executing notebook");

  // It fails on line 3 of In [3].
  const errorEvent = { event: "error", index: 5, reason: "exception", ename: "TypeError", evalue: "(intermediate value).predict is not a function", traceback: TRACEBACK };
  const failed: FailRequest = {
    reason: "notebook error",
    message: `the notebook stopped with exit code 1\n${JSON.stringify(errorEvent)}\n${JSON.stringify({ event: "done", status: "error" })}`,
    executedNotebook: notebook(true),
    capabilities,
    timings,
    logLines: [ev({ event: "stream", index: 4, name: "stdout", text: "epoch 2: loss 0.25\n" }), ev({ event: "cell-start", index: 5, count: 7, executionCount: 3 }), ev(errorEvent)],
  };
  await runnerPost(request, `/api/runner/jobs/${job.id}/fail`, failed);
  await expect(item.getByTestId("submission-state")).toHaveText("Failed");
  await expect(item.getByTestId("failure-title")).toHaveText("TypeError in In [3]");
  await expect(item.getByTestId("failure-details")).not.toHaveAttribute("open", /.*/);

  await item.getByRole("link", { name: "typo.ipynb" }).click();
  const failure = page.getByTestId("failure-explanation");
  await expect(failure.getByTestId("failure-ename")).toHaveText("TypeError");
  await expect(failure.getByTestId("failure-cell")).toHaveText("In [3]");
  await expect(failure).toContainText("In [3], line 3");
  await expect(failure.getByTestId("failure-message")).toHaveText("(intermediate value).predict is not a function");
  await expect(failure.getByTestId("failure-line")).toContainText("(model as any).predict(images);");
  await expect(failure.getByTestId("failure-source")).toContainText("model.fit();");
  await expect(failure.getByTestId("failure-next")).toContainText("submit it again");
  // The raw runner record is there, folded away.
  const details = failure.getByTestId("failure-details");
  await expect(details).not.toHaveAttribute("open", /.*/);
  await expect(details.getByText('{"event":"error"', { exact: false })).toBeHidden();
  await details.getByText("Technical details").click();
  await expect(details.getByText('{"event":"error"', { exact: false })).toBeVisible();
  // The cell link leads to the failing cell of the executed notebook, which is marked.
  await expect(page.locator("#cell-5")).toHaveAttribute("data-highlighted", "true");
  const firstJobUrl = page.url();

  // A run that ran out of time says so in plain words, with what to do.
  await page.goto(`${site.url}/homework/lesson-1`);
  await page.locator("#notebook-file").setInputFiles({ name: "slow.ipynb", mimeType: "application/x-ipynb+json", buffer: Buffer.from(notebook(false)) });
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "accepted" })).toContainText("slow.ipynb was accepted");
  const second = (await (await runnerPost(request, "/api/runner/claim", { capabilities, waitSeconds: 5 })).json()) as ClaimResponse;
  await runnerPost(request, `/api/runner/jobs/${second.job.id}/fail`, {
    reason: "timeout",
    message: "the notebook ran past its time limit (cell 600 s, notebook 600 s)",
    executedNotebook: null,
    capabilities,
    timings,
    logLines: [],
  } satisfies FailRequest);
  const slow = page.getByTestId("submission").filter({ hasText: "slow.ipynb" });
  await expect(slow.getByTestId("failure-title")).toHaveText("Your notebook ran out of time");
  await expect(slow.getByTestId("failure-next")).toContainText("fewer epochs");

  // Admins: the jobs list and a job's page name the student and link to the submission.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, site.url, SEEDED.admin.email);
  await admin.goto(`${site.url}/admin/jobs`);
  const row = admin.locator(`[data-job-id="${job.id}"]`);
  await expect(row.getByTestId("job-submission")).toContainText(student.name);
  await expect(row.getByTestId("job-submission")).toContainText(student.email);
  await admin.goto(`${site.url}/admin/jobs/${job.id}`);
  const owner = admin.getByTestId("job-submission");
  await expect(owner).toContainText(student.name);
  await owner.getByRole("link", { name: "typo.ipynb" }).click();
  await expect(admin).toHaveURL(firstJobUrl);

  // Requeue is offered for a failed job only; once queued or succeeded it is gone, and the server refuses anyway.
  await admin.goto(`${site.url}/admin/jobs/${second.job.id}`);
  await admin.getByRole("button", { name: "Requeue" }).click();
  await expect(admin.getByRole("button", { name: "Requeue" })).toHaveCount(0);
  const again = (await (await runnerPost(request, "/api/runner/claim", { capabilities, waitSeconds: 5 })).json()) as ClaimResponse;
  expect(again.job.id).toBe(second.job.id);
  const metrics = { count: 100, accuracy: 0.9, logLoss: 0.3 };
  const complete: CompleteRequest = { executedNotebook: notebook(true), submissionCsv: "id,label\n1,0.9\n", scores: { overall: metrics, public: metrics, private: metrics }, capabilities, backend: "onnxruntime-cpu", timings, logLines: [] };
  await runnerPost(request, `/api/runner/jobs/${second.job.id}/complete`, complete);
  await expect(admin.getByTestId("job-scores")).toBeVisible({ timeout: 15_000 });
  await expect(admin.getByRole("button", { name: "Requeue" })).toHaveCount(0);
  const refused = await admin.request.post(`${site.url}/api/trpc/operations.jobs.requeue`, { data: { json: { id: second.job.id } } });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain("only failed or cancelled jobs can be requeued");
});
