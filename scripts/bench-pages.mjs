#!/usr/bin/env node
// `npm run bench:pages`: requests/s, p50 and p95 of the pages everyone sees (home, a lesson, a leaderboard),
// anonymous and signed in, at concurrency 16. It builds nothing: run `npm run build` (or `npm start` once) first.
// It starts the real site the way `npm start` does (COURSE_SKIP_BUILD=1) on a temporary data folder, signs up a
// student, measures only 127.0.0.1, and stops the site again.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, URLSearchParams } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? "1"]));
const port = Number(args.get("port") ?? process.env.BENCH_PORT ?? 3299);
const concurrency = Number(args.get("concurrency") ?? 16);
const maxRequests = Number(args.get("requests") ?? 2000);
const maxSeconds = Number(args.get("seconds") ?? 10);
const lesson = args.get("lesson") ?? "lesson-1";
const leaderboard = args.get("leaderboard") ?? "lesson-1";
for (const [name, value] of [["port", port], ["concurrency", concurrency], ["requests", maxRequests], ["seconds", maxSeconds]]) {
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`--${name} must be a positive whole number, got "${args.get(name)}".`);
    process.exit(2);
  }
}
if (!fs.existsSync(path.join(root, "apps/web/.next/BUILD_ID"))) {
  console.error("No build of the site: run `npm run build` first (bench:pages measures, it does not build).");
  process.exit(2);
}

const base = `http://127.0.0.1:${port}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

/** One request to the site; resolves with status, headers and body. */
function request(pathname, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${pathname}`, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${pathname} took over 30 s`)));
    if (body) req.write(body);
    req.end();
  });
}

async function startSite() {
  const taken = await request("/api/health").then(() => true, () => false);
  if (taken) throw new Error(`Port ${port} is already in use; pass --port=<free port>.`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "course-bench-"));
  const logFile = path.join(work, "server.log");
  const log = fs.openSync(logFile, "a");
  const server = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), COURSE_DATA_DIR: path.join(work, "data"), COURSE_SKIP_BUILD: "1", COURSE_LOCAL_RUNNER: "0", DATABASE_URL: "", NEXTAUTH_URL: base },
    stdio: ["ignore", log, log],
    detached: true,
  });
  const stop = async () => {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 500));
    fs.rmSync(work, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`The site exited before it was ready:\n${fs.readFileSync(logFile, "utf8")}`);
    if (await request("/api/health").then((r) => r.status === 200, () => false)) return { stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The site did not become healthy in 120 s:\n${fs.readFileSync(logFile, "utf8")}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const cookiesOf = (res) => (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");

/** Signs up a student through the real API and signs in with next-auth's credentials flow; returns the cookie. */
async function studentCookie() {
  const email = `bench-${Date.now()}@example.test`;
  const password = "a bench passphrase";
  const signUp = await request("/api/trpc/auth.signUp", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { email, name: "Bench Student", password } }),
  });
  if (signUp.status !== 200) throw new Error(`Signing up the bench student failed (${signUp.status}): ${signUp.body}`);
  const csrf = await request("/api/auth/csrf");
  const { csrfToken } = JSON.parse(csrf.body);
  const signIn = await request("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf) },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
  });
  const cookie = cookiesOf(signIn);
  if (!/session-token=/.test(cookie)) throw new Error(`Signing in the bench student failed (${signIn.status}): ${signIn.body.slice(0, 300)}`);
  return cookie;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** `concurrency` keep-alive loops on one page until `maxRequests` are done or `maxSeconds` have passed. */
async function measure(pathname, headers) {
  // Warm up (the first render fills caches; JIT) before timing.
  for (let i = 0; i < 5; i++) await request(pathname, { headers });
  const latencies = [];
  let errors = 0;
  let started = 0;
  const t0 = performance.now();
  const stopAt = t0 + maxSeconds * 1000;
  const loop = async () => {
    while (started < maxRequests && performance.now() < stopAt) {
      started++;
      const t = performance.now();
      const res = await request(pathname, { headers }).catch(() => ({ status: 0 }));
      latencies.push(performance.now() - t);
      if (res.status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, rps: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

const site = await startSite();
try {
  const cookie = await studentCookie();
  const pages = [
    ["home", "/"],
    ["lesson", `/lessons/${lesson}`],
    ["leaderboard", `/leaderboard/${leaderboard}`],
    ["health (reference)", "/api/health"],
  ];
  console.log(`bench:pages: concurrency ${concurrency}, at most ${maxRequests} requests or ${maxSeconds} s per row, ${os.cpus().length} CPUs\n`);
  console.log("page                 visitor     requests  errors     req/s    p50 ms    p95 ms");
  for (const [name, pathname] of pages) {
    for (const [who, headers] of [["anonymous", {}], ["signed in", { cookie }]]) {
      const r = await measure(pathname, headers);
      console.log(
        `${name.padEnd(20)} ${who.padEnd(10)} ${String(r.requests).padStart(9)} ${String(r.errors).padStart(7)} ${r.rps.toFixed(1).padStart(9)} ${r.p50.toFixed(1).padStart(9)} ${r.p95.toFixed(1).padStart(9)}`,
      );
    }
  }
} finally {
  agent.destroy();
  await site.stop();
}
