import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);

// Debian's Chromium (the tests never download a browser). CHROMIUM_PATH overrides the location.
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

/**
 * Specs whose tests all run on a site of their own (startSite in their beforeAll: a runner token they know, an empty job
 * queue, their own database). They run one at a time beside the specs on the shared site (global-setup), which also
 * run one at a time, since those share one database and one content folder that some of them change (page-cache
 * retitles a lesson, lesson-wiki edits its wiki page). A new spec belongs to the shared site unless it is listed here.
 */
const OWN_SITE_SPECS = [
  "failures.spec.ts",
  "grading-merge.spec.ts",
  "grading.spec.ts",
  "homework.spec.ts",
  "leaderboard.spec.ts",
  "mobile.spec.ts",
  "operations.spec.ts",
];

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  // One worker per project below: a shared-site spec and an own-site spec at a time, on CI's 2 cores.
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromiumLaunch,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "shared site", testIgnore: [...OWN_SITE_SPECS, "homework-real-runner.spec.ts"], workers: 1, use: { browserName: "chromium" } },
    { name: "own sites", testMatch: OWN_SITE_SPECS, workers: 1, use: { browserName: "chromium" } },
    // The real runner trains a model in its sandbox: with another spec beside it on 2 cores it missed its 5-minute
    // limit, so it runs last, alone (on its own site too).
    {
      name: "real runner",
      testMatch: ["homework-real-runner.spec.ts"],
      dependencies: ["shared site", "own sites"],
      workers: 1,
      use: { browserName: "chromium" },
    },
  ],
});
