import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signUp } from "./support/browser";
import { scoreNextJob, submitNotebook } from "./support/scored-submission";
import { startSite, type Site } from "./support/site";

// A private site whose local runner token we know, so this spec plays the runner over the real HTTP API.
const token = `crt_${randomBytes(24).toString("base64url")}`;
const port = Number(process.env.E2E_PORT ?? 3210) + 4;
const stamp = Date.now();
const first = { email: `lb-first-${stamp}@example.com`, name: "Fiona First" };
const second = { email: `lb-second-${stamp}@example.com`, name: "Sam Second" };

let site: Site;
test.beforeAll(async () => {
  test.setTimeout(180_000); // starting a site takes a while on a busy machine
  site = await startSite({ port, seed: true, env: { COURSE_LOCAL_RUNNER_TOKEN: token } });
});
test.afterAll(async () => {
  await site?.stop();
});

test("equal scores are ranked by the earlier submission as the page says, your own row is marked, and the chart's times are the table's", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const firstPage = await (await browser.newContext()).newPage();
  const secondPage = await (await browser.newContext()).newPage();
  await signUp(firstPage, site.url, first);
  await signUp(secondPage, site.url, second);
  // Fiona submits first, Sam second, and both get exactly the same score.
  await submitNotebook(firstPage, site.url, "first.ipynb");
  await submitNotebook(secondPage, site.url, "second.ipynb");
  await scoreNextJob(request, site.url, token, { logLoss: 0.1, accuracy: 0.95 });
  await scoreNextJob(request, site.url, token, { logLoss: 0.1, accuracy: 0.95 });

  const page = secondPage;
  await page.goto(`${site.url}/leaderboard/lesson-1`);
  await expect(page.locator(".lead")).toContainText("on equal log loss the higher accuracy ranks first, then the earlier submission");
  const rows = page.getByTestId("public-leaderboard").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  // The stated tie-break is the applied one: a full tie on score, so the earlier submission ranks first, alone.
  await expect(rows.nth(0).locator("td").nth(0)).toHaveText("1");
  await expect(rows.nth(0).locator("td").nth(1)).toHaveText(first.name);
  await expect(rows.nth(1).locator("td").nth(0)).toHaveText("2");
  await expect(rows.nth(1).locator("td").nth(1)).toHaveText(`${second.name}You`);

  // Sam's own row is highlighted and marked; Fiona's is not. Anonymous visitors see no "You".
  const mine = page.getByTestId("your-row");
  await expect(mine).toHaveCount(1);
  await expect(mine).toHaveAttribute("aria-current", "true");
  await expect(mine).toContainText(second.name);
  await expect(rows.nth(0)).not.toHaveAttribute("aria-current", /.*/);
  const background = (i: number) => rows.nth(i).locator("td").first().evaluate((td) => getComputedStyle(td).backgroundColor);
  expect(await background(1)).not.toBe(await background(0));
  const anonymous = await (await browser.newContext()).newPage();
  await anonymous.goto(`${site.url}/leaderboard/lesson-1`);
  await expect(anonymous.getByTestId("public-leaderboard").locator("tbody tr")).toHaveCount(2);
  await expect(anonymous.getByTestId("your-row")).toHaveCount(0);

  // The chart has one point (the first 0.1), at the instant the table says the leader submitted, same text too.
  const points = page.getByTestId("chart-point");
  await expect(points).toHaveCount(1);
  const leaderTime = rows.nth(0).getByTestId("submitted").locator("time");
  const pointTime = points.nth(0).locator("time");
  expect(await pointTime.getAttribute("datetime")).toBe(await leaderTime.getAttribute("datetime"));
  expect(await pointTime.textContent()).toBe(await leaderTime.textContent());
  await expect(page.getByTestId("score-chart").locator("circle title")).toHaveText([`${await leaderTime.textContent()}: 0.10000`]);
});
