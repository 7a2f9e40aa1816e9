/**
 * `npm run bench:forum`: the forum under load, on PostgreSQL with two production web instances (and the topic page
 * on embedded PGlite with one). Needs TEST_DATABASE_URL (a server on which it creates and drops a throwaway
 * database) and a production build (`npm run build -w @course/web`). Only 127.0.0.1 traffic; every phase is bounded.
 *  - topic page views of a 1,000-post topic, anonymous, alternating instances: requests/s, p50, p95 at c1 and c16;
 *  - 50 concurrent posters for --seconds (default 60): posts/s, p95 save latency, then 0 lost, 0 duplicated, gapless;
 *  - live latency: a reply's commit to its event on an SSE stream held open on the other instance (p50, p95).
 * The posters and the live probe write through the forum's server module (replyToTopic) on the bench's own
 * connection, as the tRPC mutation does inside an instance: what is measured is the write path and its delivery to
 * the other instance's browsers, not sign-in. A benchmark, not a test: it prints a table and asserts nothing.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { loadCourse, loadForumCategories } from "@course/content";
import { findRepoRoot, openDatabase, type Database, type PrismaClient } from "@course/db";
import pg from "pg";
import { freePort, startSite, type Site } from "../e2e/support/site";
import { syncForumCategories } from "../src/server/forum/categories";
import type { ForumActor } from "../src/server/forum/permissions";
import { replyToTopic } from "../src/server/forum/posts";
import { topicPath } from "../src/server/forum/paths";
import { createTopic } from "../src/server/forum/topics";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > 100_000) throw new Error(`--${name} must be a whole number from 1 to 100000.`);
  return value;
}
const SECONDS = option("seconds", 60);
const POSTS = option("posts", 1000);
const POSTERS = option("posters", 50);
const VIEWS = option("views", 500);
const LIVE_PROBES = option("probes", 30);

const adminUrl = process.env.TEST_DATABASE_URL?.trim();
if (!adminUrl) {
  console.error("bench:forum needs TEST_DATABASE_URL=postgresql://... (it creates and drops a database there).");
  process.exit(1);
}
const root = findRepoRoot();
// The time-based limits are for people (seconds between posts, topics a day); this measures the write path's throughput.
process.env.FORUM_RATE_LIMITS = "off";

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const rows: string[][] = [];
const row = (...cells: string[]) => {
  rows.push(cells);
  console.log(cells.join(" | "));
};

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function seed(db: Database, label: string) {
  const { prisma } = db;
  const course = await loadCourse(path.join(root, "content"));
  await syncForumCategories(prisma, await loadForumCategories(path.join(root, "content"), course.lessons));
  const members: ForumActor[] = [];
  for (let i = 0; i < POSTERS; i++) {
    const name = `bench${i}`;
    const u = await prisma.user.create({ data: { email: `${name}@example.com`, name, role: "student", username: name } });
    members.push({ id: u.id, name, role: "student" });
  }
  const started = performance.now();
  const long = await createTopic(prisma, { categorySlug: "general", title: "A long topic for the benchmark", body: "Post one.", author: members[0]! });
  for (let n = 2; n <= POSTS; n++) {
    await replyToTopic(prisma, { topicId: long.id, body: `Reply ${n}: the learning rate finder, one cycle, and **markdown** with \`code\`.`, author: members[n % members.length]! });
  }
  console.log(`[${label}] seeded a ${POSTS}-post topic in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { prisma, members, long };
}

// Page views go over keep-alive connections as a browser's would, asking for compression as a browser does; the
// client is node:http (not fetch), which leaves more of the two cores to the servers being measured.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const BROWSER_HEADERS = { "accept-encoding": "gzip, deflate, br", accept: "text/html" };

function get(url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: BROWSER_HEADERS }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${url} took over 30 s`)));
  });
}

/** `total` GETs, `concurrency` at a time, alternating over the sites. */
async function views(label: string, urls: string[], total: number, concurrency: number) {
  const times: number[] = [];
  let next = 0;
  let failed = 0;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t = performance.now();
        const res = await get(urls[i % urls.length]!);
        if (res.status !== 200) failed++;
        bytes = res.bytes;
        times.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  row(label, `c${concurrency}`, `${(total / seconds).toFixed(1)} req/s`, `p50 ${ms(percentile(times, 50))}`, `p95 ${ms(percentile(times, 95))}`, `${(bytes / 1024).toFixed(0)} KB compressed`, failed ? `${failed} failed` : "");
}

async function posters(prisma: PrismaClient, members: ForumActor[]) {
  const topic = await createTopic(prisma, { categorySlug: "general", title: "Many posters at once", body: "Go.", author: members[0]! });
  const deadline = Date.now() + SECONDS * 1000;
  const times: number[] = [];
  const sent = new Set<string>();
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    members.map(async (author, w) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const body = `poster ${w} post ${i}`;
        const t = performance.now();
        try {
          await replyToTopic(prisma, { topicId: topic.id, body, author });
          sent.add(body);
          times.push(performance.now() - t);
        } catch (error) {
          errors++;
          if (errors <= 3) console.error("a post failed:", (error as Error).message);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const saved = await prisma.forumPost.findMany({ where: { topicId: topic.id, number: { gt: 1 } }, select: { number: true, raw: true }, orderBy: { number: "asc" } });
  const bodies = saved.map((p) => p.raw.trim());
  const lost = [...sent].filter((b) => !bodies.includes(b)).length;
  const duplicated = bodies.length - new Set(bodies).size;
  const gapless = saved.every((p, i) => p.number === i + 2);
  row("posting", `${members.length} posters, ${SECONDS} s`, `${(times.length / seconds).toFixed(1)} posts/s`, `p50 ${ms(percentile(times, 50))}`, `p95 ${ms(percentile(times, 95))}`, `${times.length} saved, ${errors} refused, ${lost} lost, ${duplicated} duplicated, numbers ${gapless ? "gapless" : "WITH GAPS"}`);
}

/** Replies one at a time on the bench's connection; an SSE stream on `site` times each reply's commit to its event. */
async function liveLatency(prisma: PrismaClient, site: string, author: ForumActor) {
  const topic = await createTopic(prisma, { categorySlug: "general", title: "Live latency", body: "Probe.", author });
  const abort = new AbortController();
  const res = await fetch(`${site}/api/live?channels=topic:${topic.id}`, { signal: abort.signal });
  if (!res.ok || !res.body) throw new Error(`GET /api/live answered ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const arrived = new Map<number, number>();
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let at: number;
      while ((at = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (block.startsWith("event: ready")) ready();
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!data || block.startsWith("event:")) continue;
        const event = (JSON.parse(data) as { event: { type: string; number?: number } }).event;
        if (event.type === "post-created" && event.number) arrived.set(event.number, performance.now());
      }
    }
  })();
  await isReady;
  const times: number[] = [];
  for (let i = 0; i < LIVE_PROBES; i++) {
    const post = await replyToTopic(prisma, { topicId: topic.id, body: `probe ${i}`, author });
    const committed = performance.now();
    const until = Date.now() + 5000;
    while (!arrived.has(post.number) && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
    const at = arrived.get(post.number);
    times.push(at === undefined ? 5000 : Math.max(0, at - committed));
  }
  abort.abort();
  await pump;
  row("live", `post -> SSE on the other instance, ${LIVE_PROBES} posts`, "", `p50 ${ms(percentile(times, 50))}`, `p95 ${ms(percentile(times, 95))}`, times.some((t) => t >= 5000) ? "some never arrived (5 s)" : "");
}

async function onPostgres() {
  const dbName = `course_bench_forum_${process.pid}_${crypto.randomBytes(3).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${dbName}"`));
  const url = new URL(adminUrl!);
  url.pathname = `/${dbName}`;
  const sites: Site[] = [];
  let db: Database | undefined;
  try {
    const env = { DATABASE_URL: url.toString(), AUTH_SECRET: crypto.randomBytes(32).toString("base64") };
    for (let i = 0; i < 2; i++) sites.push(await startSite({ port: await freePort(), env }));
    db = await openDatabase({ kind: "postgresql", url: url.toString() });
    const { prisma, members, long } = await seed(db, "postgresql");
    const urls = sites.map((s) => `${s.url}${topicPath(long)}`);
    await views("PostgreSQL, 2 instances: warm-up", urls, 200, 16);
    await views(`PostgreSQL, 2 instances: topic page (${POSTS} posts)`, urls, Math.ceil(VIEWS / 2), 1);
    await views(`PostgreSQL, 2 instances: topic page (${POSTS} posts)`, urls, VIEWS * 2, 16);
    await liveLatency(prisma, sites[1]!.url, members[1]!);
    await posters(prisma, members);
  } finally {
    await db?.close();
    for (const site of sites) await site.stop();
    await admin(async (c) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          return void (await c.query(`DROP DATABASE IF EXISTS "${dbName}"`));
        } catch (error) {
          if ((error as { code?: string }).code !== "55006") throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    });
  }
}

async function onPGlite() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "course-bench-forum-"));
  let site: Site | undefined;
  try {
    // PGlite is one process's: seed first, then the site opens it.
    const db = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") }, { migrate: true });
    const { long } = await seed(db, "pglite");
    await db.close();
    site = await startSite({ port: await freePort(), env: { COURSE_DATA_DIR: dataDir } });
    const urls = [`${site.url}${topicPath(long)}`];
    await views("PGlite, 1 instance: warm-up", urls, 100, 16);
    await views(`PGlite, 1 instance: topic page (${POSTS} posts)`, urls, Math.ceil(VIEWS / 2), 1);
    await views(`PGlite, 1 instance: topic page (${POSTS} posts)`, urls, VIEWS, 16);
  } finally {
    await site?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await onPostgres();
if (!process.argv.includes("--no-pglite")) await onPGlite();
console.log(`\nfloors: topic page p95 < 100 ms at c16; live p95 < 2 s. ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}.`);
process.exit(0);
