import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { PASSWORD, SEEDED } from "./support/accounts";
import { signIn as signInAt } from "./support/browser";
import { seedDatabase, startSite, type Site } from "./support/site";

// A private site, so the queue holds exactly the job this spec seeds (the shared site's queue belongs to other
// specs, and a claim there could take one of their jobs).
const PORT = Number(process.env.E2E_PORT ?? 3210) + 7;
const webDir = path.resolve(import.meta.dirname, "..");

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const capabilities = {
  runnerName: "e2e-gpu-box",
  runnerVersion: "9.9.9",
  cpuModel: "AMD EPYC 9654 96-Core Processor",
  cpuCount: 16,
  memoryBytes: 128 * 2 ** 30,
  gpu: "NVIDIA H100 80GB HBM3",
  backend: "cuda-e2e",
  platform: "linux-x64",
  sandbox: "bubblewrap",
};
const submitted = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "typescript", display_name: "TypeScript" } },
  cells: [
    { id: "md1", cell_type: "markdown", metadata: {}, source: "# Dogs vs cats\n\nMy **homework**." },
    { id: "code1", cell_type: "code", metadata: {}, source: "const answer: number = 42;\nconsole.log(answer);", outputs: [], execution_count: null },
  ],
};
const executed = {
  ...submitted,
  cells: [
    submitted.cells[0],
    {
      ...submitted.cells[1],
      execution_count: 1,
      outputs: [
        { output_type: "stream", name: "stdout", text: ["42\n"] },
        { output_type: "display_data", data: { "image/png": PNG, "text/plain": "<Plot of the losses>" }, metadata: {} },
        {
          output_type: "display_data",
          data: { "text/html": '<b>bold html</b><img src="x" onerror="window.__pwned = 1"><script>window.__pwned = 2</script>' },
          metadata: {},
        },
      ],
    },
  ],
};
const metrics = (accuracy: number, count: number) => ({ count, accuracy, logLoss: 0.3125 });
const timings = { setupMs: 120, executeMs: 4200, scoreMs: 15, totalMs: 4335 };

let site: Site;
let dataRoot: string;
let token = "";
let jobId = "";
const runnerName = `e2e runner ${Date.now()}`;

function seedJob(dataDir: string): string {
  const code = `
    const { openDatabase } = await import("@course/db");
    const db = await openDatabase({ kind: "pglite", dataDir: process.env.SEED_DATA_DIR }, { migrate: true });
    const job = await db.prisma.job.create({ data: { notebook: process.env.SEED_NOTEBOOK, benchmarkId: "e2e-bench", maxAttempts: 2 } });
    console.log(job.id);
    await db.close();`;
  const run = (args: string[], env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, args, { cwd: webDir, encoding: "utf8", env: { ...process.env, ...env } });
    if (result.status !== 0) throw new Error(`Seeding failed: ${args.join(" ")}\n${result.stderr}`);
    return result.stdout.trim();
  };
  seedDatabase(dataDir);
  return run(["--import", "tsx", "--input-type=module", "-e", code], { SEED_DATA_DIR: dataDir, SEED_NOTEBOOK: JSON.stringify(submitted) });
}

const signIn = (page: Page, email: string) => signInAt(page, site.url, email);

const post = (request: APIRequestContext, url: string, data: unknown, bearer = token) =>
  request.post(`${site.url}${url}`, { headers: { authorization: `Bearer ${bearer}` }, data });

test.describe.serial("operators: runners and jobs", () => {
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "course-e2e-ops-"));
    fs.chmodSync(dataRoot, 0o755);
    jobId = seedJob(path.join(dataRoot, "pglite"));
    site = await startSite({ port: PORT, env: { COURSE_DATA_DIR: dataRoot } });
  });
  test.afterAll(async () => {
    await site?.stop();
    fs.rmSync(dataRoot, { recursive: true, force: true });
  });

  test("an admin creates a runner token in the UI and sees it exactly once", async ({ page }) => {
    await signIn(page, SEEDED.admin.email);
    await page.goto(`${site.url}/admin/users`);
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Runners" }).click();
    await expect(page.getByRole("heading", { name: "Runners", level: 1 })).toBeVisible();

    await page.getByLabel("Runner name").fill(runnerName);
    await page.getByRole("button", { name: "Create token" }).click();
    const box = page.getByTestId("new-token");
    await expect(box).toContainText("will not be shown again");
    token = await page.getByTestId("new-token-value").inputValue();
    expect(token).toMatch(/^crt_[A-Za-z0-9_-]{32}$/);
    await expect(page.getByTestId("new-token-command")).toHaveText(
      `RUNNER_TOKEN=${token} course-runner work --server ${site.url} --benchmarks-dir <dir>`,
    );
    const row = page.getByTestId("runner-row").filter({ hasText: runnerName });
    await expect(row.getByTestId("runner-state")).toHaveText("offline");
    await expect(row).toContainText(token.slice(0, 10));
    await expect(row).toContainText("not reported yet");

    await page.reload();
    await expect(page.getByTestId("runner-row").filter({ hasText: runnerName })).toBeVisible();
    expect(await page.content()).not.toContain(token);
    await expect(page.getByTestId("new-token")).toHaveCount(0);
  });

  test("a runner using the token shows online with its capabilities and job; the job page shows its run live", async ({ page, request }) => {
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await signIn(page, SEEDED.admin.email);
    await page.goto(`${site.url}/admin/runners`);
    const row = page.getByTestId("runner-row").filter({ hasText: runnerName });
    await expect(row.getByTestId("runner-state")).toHaveText("offline");

    // The runner asks for work: it gets the seeded job.
    const claim = await post(request, "/api/runner/claim", { capabilities, waitSeconds: 0 });
    expect(claim.status()).toBe(200);
    const claimed = (await claim.json()) as { job: { id: string; attempt: number } };
    expect(claimed.job).toMatchObject({ id: jobId, attempt: 1 });

    // No reload: the page refetches by itself.
    await expect(row.getByTestId("runner-state")).toHaveText("online", { timeout: 15_000 });
    await expect(row).toContainText("NVIDIA H100 80GB HBM3");
    await expect(row).toContainText("cuda-e2e");
    await expect(row).toContainText("AMD EPYC 9654 96-Core Processor × 16");
    await expect(row).toContainText("bubblewrap");
    await expect(row).toContainText(/\d+ s ago|just now/);
    if (process.env.OPS_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.OPS_SCREENSHOTS, "runners.png"), fullPage: true });
    await row.getByRole("link", { name: jobId }).click();

    await expect(page.getByRole("heading", { level: 1 })).toContainText(jobId);
    await expect(page.getByTestId("job-status")).toHaveText("running");
    await expect(page.getByTestId("job-attempts")).toHaveText("1 of 2");
    await expect(page.getByRole("heading", { name: "Submitted notebook" })).toBeVisible();

    const at = new Date().toISOString();
    const beat = await post(request, `/api/runner/jobs/${jobId}/heartbeat`, {
      logLines: [
        { at, stream: "runner", text: "sandbox ready" },
        { at, stream: "stdout", text: "epoch 1: loss 0.25" },
        { at, stream: "stderr", text: "\u001b[33mwarning\u001b[0m: slow disk" },
      ],
    });
    expect(beat.status()).toBe(200);
    const logs = page.getByTestId("job-logs");
    await expect(logs).toContainText("epoch 1: loss 0.25", { timeout: 15_000 });
    await expect(logs.locator('[data-stream="stderr"]')).toContainText("warning: slow disk");

    const done = await post(request, `/api/runner/jobs/${jobId}/complete`, {
      executedNotebook: JSON.stringify(executed),
      submissionCsv: "id,label\n1,0.9\n2,0.2\n",
      scores: { overall: metrics(0.875, 8), public: metrics(0.75, 4), private: metrics(1, 4) },
      capabilities,
      backend: "cuda-e2e",
      timings,
      logLines: [{ at: new Date().toISOString(), stream: "runner", text: "scored 8 rows" }],
    });
    expect(done.status()).toBe(200);

    await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 15_000 });
    const scores = page.getByTestId("job-scores");
    await expect(scores.getByRole("row", { name: /Public/ })).toContainText("75.00%");
    await expect(scores.getByRole("row", { name: /Overall/ })).toContainText("87.50%");
    await expect(page.getByText("execute 4.20 s")).toBeVisible();
    // The executed notebook replaces the submitted one (server-rendered, refreshed when the job finished).
    const notebook = page.getByRole("region", { name: "Executed notebook" });
    await expect(notebook).toBeVisible({ timeout: 15_000 });
    await expect(notebook.getByRole("heading", { name: "Dogs vs cats" })).toBeVisible();
    await expect(notebook).toContainText("In [1]:");
    await expect(notebook.getByRole("img", { name: /Image output 2 of cell 2: <Plot of the losses>/ })).toBeVisible();
    await expect(notebook.locator("b", { hasText: "bold html" })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    if (process.env.OPS_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.OPS_SCREENSHOTS, "job.png"), fullPage: true });
    // Server render and hydration agree (relative times use the server's clock), and nothing else went wrong.
    expect(consoleErrors).toEqual([]);

    // Nothing else queued: the same call now answers 204.
    const again = await post(request, "/api/runner/claim", { capabilities, waitSeconds: 0 });
    expect(again.status()).toBe(204);
  });

  // Requeueing and cancelling a failed job from its page: e2e/failures.spec.ts.
  test("a succeeded job keeps its score: no Requeue on its page, and the server refuses it", async ({ page }) => {
    await signIn(page, SEEDED.admin.email);
    await page.goto(`${site.url}/admin/jobs`);
    const jobRow = page.getByTestId("job-row").filter({ hasText: jobId });
    await expect(jobRow.getByTestId("job-status")).toHaveText("succeeded");
    await expect(jobRow).toContainText("75.00%");
    await expect(jobRow).toContainText(runnerName);
    await page.getByRole("navigation", { name: "Filter jobs by status" }).getByRole("link", { name: /^failed/ }).click();
    await expect(page.getByText("No jobs with the status failed yet.")).toBeVisible();

    await page.goto(`${site.url}/admin/jobs/${jobId}`);
    await expect(page.getByTestId("job-status")).toHaveText("succeeded");
    await expect(page.getByRole("button", { name: "Requeue" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Cancel" })).toBeDisabled();
    const refused = await page.request.post(`${site.url}/api/trpc/operations.jobs.requeue`, { data: { json: { id: jobId } } });
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toContain("only failed or cancelled jobs can be requeued");
    await expect(page.getByTestId("job-status")).toHaveText("succeeded");
  });

  test("revoking the token in the UI refuses the runner with 401", async ({ page, request }) => {
    await signIn(page, SEEDED.admin.email);
    await page.goto(`${site.url}/admin/runners`);
    const row = page.getByTestId("runner-row").filter({ hasText: runnerName });
    await row.getByRole("button", { name: `Revoke ${runnerName}` }).click();
    await row.getByRole("button", { name: "Yes, revoke" }).click();
    await expect(row.getByTestId("runner-state")).toHaveText("revoked");
    await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
    const refused = await post(request, "/api/runner/claim", { capabilities, waitSeconds: 0 });
    expect(refused.status()).toBe(401);
  });

  test("a student gets 403 on the runners and jobs pages", async ({ page }) => {
    await page.goto(`${site.url}/signup`);
    await page.getByLabel("Name").fill("Ops Student");
    await page.getByLabel("Email").fill(`ops-student-${Date.now()}@example.com`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("signed-in-as")).toContainText("Ops Student");
    for (const url of ["/admin/runners", "/admin/jobs", `/admin/jobs/${jobId}`]) {
      const response = await page.goto(`${site.url}${url}`);
      expect(response?.status(), url).toBe(403);
      await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
    }
    await expect(page.getByText(runnerName)).toHaveCount(0);
  });
});
