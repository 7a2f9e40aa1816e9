import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { SEEDED } from "./support/accounts";
import { signIn, signUp } from "./support/browser";
import { scoreNextJob, submitNotebook } from "./support/scored-submission";
import { startSite, type Site } from "./support/site";
import { overflowing } from "./support/overflow";
import { youtubeStubFile } from "./support/youtube-stub-content";

// Every page, as every kind of visitor, on a phone (390x844) and on a desktop (1280 wide): the page never scrolls
// sideways and no element reaches past the right edge of the screen unless a scrolling box of its own holds it.
const token = `crt_${randomBytes(24).toString("base64url")}`;
const port = Number(process.env.E2E_PORT ?? 3210) + 3;
const student = { email: `mobile-${Date.now()}@example.com`, name: "Maya Mobile-Phone-User-With-An-Unbreakably-Long-Name" };
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const;

let site: Site;
let submissionId = "";
let jobId = "";

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  site = await startSite({ port, seed: true, env: { COURSE_LOCAL_RUNNER_TOKEN: token } });
  // One scored submission, so the submission, grading and job pages have something to show.
  const page = await (await browser.newContext()).newPage();
  await signUp(page, site.url, student);
  ({ id: submissionId } = await submitNotebook(page, site.url, "a-notebook-with-a-rather-long-file-name-for-a-phone.ipynb"));
  jobId = await scoreNextJob(page.request, site.url, token, { logLoss: 0.1234, accuracy: 0.97 });
  await page.context().close();
});
test.afterAll(async () => {
  await site?.stop();
});

async function check(page: Page, paths: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    for (const path of paths) {
      const response = await page.goto(`${site.url}${path}`);
      expect(response, path).not.toBeNull();
      await page.waitForLoadState("networkidle").catch(() => undefined);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      const wide = await page.evaluate(overflowing, viewport.width);
      if (scrollWidth > viewport.width || wide.length > 0) {
        problems.push(`${viewport.width}px ${path}: page ${scrollWidth}px wide; ${wide.join(" | ") || "no single element"}`);
      }
    }
  }
  return problems;
}

async function visitor(browser: Browser, email?: string): Promise<Page> {
  const context = await browser.newContext();
  // The YouTube API script comes from the stand-in (the tests' network is closed); nothing else leaves the machine.
  await context.route(
    (url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost",
    (route) => (route.request().resourceType() === "script" ? route.fulfill({ path: youtubeStubFile, contentType: "text/javascript; charset=utf-8" }) : route.abort()),
  );
  const page = await context.newPage();
  if (email) await signIn(page, site.url, email);
  return page;
}

test("anonymous visitors: no page scrolls sideways on a phone or a desktop", async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await visitor(browser);
  const paths = ["/", "/lessons/lesson-1", "/lessons/lesson-0-setup", "/lessons/lesson-1/transcript", "/notebooks/lesson-1.ipynb", "/leaderboard", "/leaderboard/lesson-1", "/signin", "/signup", "/no-such-page"];
  expect(await check(page, paths)).toEqual([]);
});

test("a student: no page scrolls sideways on a phone or a desktop", async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await visitor(browser, student.email);
  const paths = ["/", "/lessons/lesson-1", "/homework", "/homework/lesson-1", `/homework/submissions/${submissionId}`, "/leaderboard/lesson-1", "/notifications", "/account"];
  expect(await check(page, paths)).toEqual([]);
});

test("a grader and an admin: no page scrolls sideways on a phone or a desktop", async ({ browser }) => {
  test.setTimeout(180_000);
  const grader = await visitor(browser, SEEDED.grader.email);
  expect(await check(grader, ["/grading", `/grading/submissions/${submissionId}`])).toEqual([]);
  const admin = await visitor(browser, SEEDED.admin.email);
  expect(await check(admin, ["/admin/users", "/admin/runners", "/admin/jobs", `/admin/jobs/${jobId}`, "/admin/email", "/account"])).toEqual([]);
});

test("the site has an icon (favicon)", async ({ page, request }) => {
  await page.goto(`${site.url}/`);
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  const icon = await request.get(`${site.url}${href}`);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  expect(await icon.text()).toContain("<svg");
});
