import crypto from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { signUp } from "./support/browser";
import { freePort, startSite, type Site } from "./support/site";

// Two web instances on one PostgreSQL database, as in production behind a load balancer: a write on one reaches a
// browser connected to the other (pg_notify -> the other's LISTEN connection -> its SSE stream).
const adminUrl = process.env.TEST_DATABASE_URL?.trim();
test.skip(!adminUrl, "needs TEST_DATABASE_URL (a PostgreSQL server on which this spec creates and drops a database)");

const dbName = `course_e2e_live_${process.pid}_${crypto.randomBytes(3).toString("hex")}`;
const sites: Site[] = [];

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await admin((c) => c.query(`CREATE DATABASE "${dbName}"`));
  const url = new URL(adminUrl!);
  url.pathname = `/${dbName}`;
  // One secret for both, as every instance behind one site shares it: a session works on either.
  const env = { DATABASE_URL: url.toString(), AUTH_SECRET: crypto.randomBytes(32).toString("base64") };
  for (let i = 0; i < 2; i++) sites.push(await startSite({ port: await freePort(), env }));
});

test.afterAll(async () => {
  for (const site of sites) await site.stop();
  await admin(async (c) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await c.query(`DROP DATABASE IF EXISTS "${dbName}"`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "55006") throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  });
});

/** wiki.save on the instance the page is on (the context's request helper would resolve a bare path against the shared site). */
async function saveWiki(page: Page, site: string, input: { title: string; body: string; baseRevision: number }) {
  const res = await page.request.post(`${site}/api/trpc/wiki.save`, { data: { json: input }, headers: { "content-type": "application/json" } });
  expect(res.status(), await res.text()).toBe(200);
}

async function studentOn(browser: Browser, site: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, site, { email: `${name.toLowerCase()}-${Date.now()}@example.com`, name });
  const live = page.waitForResponse((r) => r.url().includes("/api/live?"));
  await page.goto(`${site}/`);
  expect((await live).status()).toBe(200);
  return page;
}

test("a write on one instance updates the badge of a student connected to the other within 2 s", async ({ browser }) => {
  test.setTimeout(120_000);
  const [one, two] = sites as [Site, Site];
  const alice = await studentOn(browser, one.url, "Alice");
  const title = `Two instances ${Date.now()}`;
  await saveWiki(alice, one.url, { title, body: "First.\n", baseRevision: 0 });
  await expect(alice.getByTestId("unread-count")).toHaveCount(0);

  const bob = await studentOn(browser, two.url, "Bob");
  await saveWiki(bob, two.url, { title, body: "First.\n\nSecond.\n", baseRevision: 1 });
  await expect(alice.getByTestId("unread-count")).toHaveText("1", { timeout: 2000 });

  // And back: Alice's edit on instance one reaches Bob (a watcher since his edit) on instance two.
  await saveWiki(alice, one.url, { title, body: "First.\n\nSecond.\n\nThird.\n", baseRevision: 2 });
  await expect(bob.getByTestId("unread-count")).toHaveText("1", { timeout: 2000 });
});
