import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ASSETS, findCourseAssets } from "../../../tooling/course-assets";
import { SEEDED } from "./support/accounts";
import { signIn, signUp } from "./support/browser";
import { repoRoot, startSite, type Site } from "./support/site";

// The whole homework loop with nothing played by the test: the site and its local runner process, which grades
// the Lesson 1 template in the bubblewrap sandbox against a benchmark built from the shared dogs-vs-cats sample.
// Missing assets skip it on a developer's machine and fail it in CI (tooling/course-assets.ts).
const assets = findCourseAssets("the real-runner homework test", [ASSETS.kaggleSample, ASSETS.mobilenet]);
const sample = path.join(assets ?? "", ASSETS.kaggleSample);
const models = path.join(assets ?? "", "models");
const missing = [
  assets === undefined && "the course assets (COURSE_ASSETS_DIR)",
  spawnSync("/usr/bin/bwrap", ["--version"]).status !== 0 && "bubblewrap (/usr/bin/bwrap)",
].filter(Boolean);
if (missing.length) console.log(`skipping the real-runner homework test: missing ${missing.join(", ")}`);

const port = Number(process.env.E2E_PORT ?? 3210) + 9;
const student = { email: `real-${Date.now()}@example.com`, name: "Rita Runner" };
let site: Site;
let work: string;

test.describe("homework graded by the real local runner", () => {
  test.skip(missing.length > 0, `missing ${missing.join(", ")}`);

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "course-real-runner-"));
    fs.chmodSync(work, 0o755);
    const benchmarks = path.join(work, "benchmarks");
    const made = spawnSync(
      process.execPath,
      [path.join(repoRoot, "apps/runner/bin/course-runner.js"), "benchmark", "create", "--from-kaggle", sample, "--out", path.join(benchmarks, "dogscats"), "--seed", "42"],
      { encoding: "utf8" },
    );
    if (made.status !== 0) throw new Error(`benchmark create failed:\n${made.stderr}`);
    site = await startSite({ port, seed: true, env: { COURSE_LOCAL_RUNNER: "1", COURSE_BENCHMARKS_DIR: benchmarks, COURSE_MODELS_DIR: models } });
  });
  test.afterAll(async () => {
    await site?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test("a student uploads the Lesson 1 template; the local runner grades it live to the leaderboard; a grader's feedback reaches the student", async ({ page, browser }) => {
    test.setTimeout(420_000);
    await signUp(page, site.url, student);

    await page.goto(`${site.url}/homework/lesson-1`);
    await page.locator("#notebook-file").setInputFiles(path.join(repoRoot, "content/homework/lesson-1.ipynb"));
    await expect(page.getByRole("main").getByRole("status").filter({ hasText: "accepted" })).toContainText("lesson-1.ipynb was accepted");
    const item = page.getByTestId("submission").first();
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    await expect(item.getByTestId("submission-state")).toHaveText("Running", { timeout: 60_000 });
    await expect(item.getByTestId("log-tail")).toContainText("classes: cats, dogs", { timeout: 60_000 });
    await expect(item.getByTestId("submission-state")).toHaveText("Scored", { timeout: 300_000 });
    const scores = (await item.getByTestId("scores").textContent()) ?? "";
    const accuracy = Number(/(\d+(?:\.\d+)?)%/.exec(scores)?.[1]);
    expect(accuracy).toBeGreaterThanOrEqual(97);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

    await item.getByRole("link", { name: "lesson-1.ipynb" }).click();
    await page.waitForURL(/\/homework\/submissions\//);
    const submissionUrl = page.url();
    await page.goto(`${site.url}/leaderboard/lesson-1`);
    await expect(page.getByTestId("public-leaderboard")).toContainText(student.name);

    // A grader reads the executed notebook, comments on the training cell, scores the rubric and returns it.
    const graderContext = await browser.newContext();
    const grader = await graderContext.newPage();
    await signIn(grader, site.url, SEEDED.grader.email);
    await grader.goto(`${site.url}/grading`);
    await grader.getByTestId("queue-item").filter({ hasText: student.email }).getByRole("link", { name: "lesson-1.ipynb" }).click();
    await expect(grader.getByTestId("student")).toContainText(student.email);
    const cell = grader.locator("#cell-3");
    // The training cell prints every epoch of the head (as many as cross-validation chose), ending with the last.
    await expect(cell).toContainText(/epoch (\d+)\/\1\b/);
    // Comment boxes are labelled as the executed notebook numbers the cell (In [n]).
    await cell.getByText(/^Comment on In \[\d+\]$/).click();
    await cell.getByLabel(/^Comment on In \[\d+\]$/).fill("Good run. Try a fourth epoch and compare the validation loss.");
    await cell.getByRole("button", { name: "Add comment" }).click();
    await expect(cell.getByTestId("cell-comment")).toContainText("Try a fourth epoch");
    const form = grader.getByTestId("review-form");
    await form.getByLabel("Runs end to end").fill("4");
    await form.getByLabel("Data and model").fill("3");
    await form.getByLabel("Score", { exact: true }).fill("2");
    await form.getByLabel("Explanation").fill("0.5");
    await form.getByLabel("Overall feedback").fill("Clean notebook; explain the refit on train+valid in a sentence.");
    await form.getByRole("button", { name: "Return to student" }).click();
    await expect(form.getByRole("status")).toHaveText("Returned to the student.");
    await graderContext.close();

    await page.goto(submissionUrl);
    const feedback = page.getByTestId("feedback");
    await expect(feedback.getByTestId("rubric-total")).toHaveText("9.5 / 10");
    await expect(feedback.getByTestId("feedback-text")).toContainText("explain the refit");
    await expect(page.locator("#cell-3").getByTestId("cell-comment")).toContainText("Try a fourth epoch");
    const log = fs.readFileSync(site.logFile, "utf8");
    expect(log).toMatch(/\[runner\] .*claimed job \S+ \(attempt 1\)/);
    expect(log).toMatch(/\[runner\] .*job \S+: completed, accuracy (9[7-9]|100)\.\d\d%/);
  });
});
