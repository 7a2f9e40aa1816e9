#!/usr/bin/env node
// `npm run bench:wiki`: the same 30 KB wiki page (headings, lists, code, tables, 50 links of which 10 red) served by
// our wiki and by MediaWiki 1.39 set up as a competent operator would (scripts/bench-wiki/mediawiki.mjs: nginx,
// PHP-FPM, SQLite, opcache, APCu, parser cache, and the file cache for anonymous views), anonymous page views at
// concurrency 1 and 16, the servers alternating row by row in every round. Prints requests/s, p50 and p95 for each
// and the ratio to MediaWiki's best configuration, then the save latency of an edit and of a merged edit on ours.
//
// It builds nothing (run `npm run build` first) and starts our site the way `npm start` does (COURSE_SKIP_BUILD=1,
// embedded PGlite in a temporary folder, local runner off). MediaWiki is installed with apt-get when absent (root),
// into a temporary folder of its own; both servers listen on 127.0.0.1 only and are stopped at the end.
// Options: --port= (ours, 3296), --mw-port= (3297; the parser-cache-only MediaWiki is on the next port),
// --rounds= (3), --requests= (3000 per row), --seconds= (6 per row), --saves= (10), --no-mediawiki.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, URLSearchParams } from "node:url";
import { ensureMediaWiki, startMediaWiki } from "./bench-wiki/mediawiki.mjs";
import { benchPage, editSection, LINKS, RED_LINKS, TOPICS } from "./bench-wiki/page.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? "1"]));
const num = (name, fallback) => {
  const value = Number(args.get(name) ?? fallback);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`--${name} must be a positive whole number, got "${args.get(name)}".`);
    process.exit(2);
  }
  return value;
};
const port = num("port", process.env.BENCH_PORT ?? 3296);
const mwPort = num("mw-port", 3297);
const rounds = num("rounds", 3);
const maxRequests = num("requests", 3000);
const maxSeconds = num("seconds", 6);
const saves = num("saves", 10);
const withMediaWiki = !args.has("no-mediawiki");
const CONCURRENCY = [1, 16];

if (!fs.existsSync(path.join(root, "apps/web/.next/BUILD_ID"))) {
  console.error("No build of the site: run `npm run build` first (bench:wiki measures, it does not build).");
  process.exit(2);
}
const log = (line) => console.error(`[bench:wiki] ${line}`);

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request; resolves with status, headers and body. Only to 127.0.0.1. */
function request(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${url} took over 30 s`)));
    if (body) req.write(body);
    req.end();
  });
}

// ---- our site -------------------------------------------------------------------------------------------------

const ours = `http://127.0.0.1:${port}`;

async function startSite() {
  if (await request(`${ours}/api/health`).then(() => true, () => false)) throw new Error(`Port ${port} is already in use; pass --port=<free port>.`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "course-bench-wiki-"));
  const logFile = path.join(work, "server.log");
  const out = fs.openSync(logFile, "a");
  const server = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), COURSE_DATA_DIR: path.join(work, "data"), COURSE_SKIP_BUILD: "1", COURSE_LOCAL_RUNNER: "0", DATABASE_URL: "", NEXTAUTH_URL: ours },
    stdio: ["ignore", out, out],
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
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`The site exited before it was ready:\n${fs.readFileSync(logFile, "utf8")}`);
    if (await request(`${ours}/api/health`).then((r) => r.status === 200, () => false)) return { stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The site did not become healthy in 180 s:\n${fs.readFileSync(logFile, "utf8")}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const cookiesOf = (res) => (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");

/** The first account (an admin, so its edits are not paced) through the real sign-up and sign-in. */
async function editorCookie() {
  const email = `bench-${Date.now()}@example.test`;
  const password = "a bench passphrase";
  const signUp = await request(`${ours}/api/trpc/auth.signUp`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { email, name: "Bench Editor", password } }),
  });
  if (signUp.status !== 200) throw new Error(`Signing up failed (${signUp.status}): ${signUp.body}`);
  const csrf = await request(`${ours}/api/auth/csrf`);
  const { csrfToken } = JSON.parse(csrf.body);
  const signIn = await request(`${ours}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf) },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
  });
  const cookie = cookiesOf(signIn);
  if (!/session-token=/.test(cookie)) throw new Error(`Signing in failed (${signIn.status}): ${signIn.body.slice(0, 300)}`);
  return cookie;
}

async function trpc(cookie, procedure, input, method = "POST") {
  const url =
    method === "GET"
      ? `${ours}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`
      : `${ours}/api/trpc/${procedure}`;
  const res = await request(url, {
    method,
    headers: { "content-type": "application/json", cookie },
    ...(method === "POST" ? { body: JSON.stringify({ json: input }) } : {}),
  });
  if (res.status !== 200) throw new Error(`${procedure} failed (${res.status}): ${res.body.slice(0, 500)}`);
  return JSON.parse(res.body).result.data.json;
}

// ---- measuring ------------------------------------------------------------------------------------------------

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** `concurrency` keep-alive loops on one URL until `maxRequests` are done or `maxSeconds` have passed. */
async function measure(url, concurrency) {
  const latencies = [];
  let errors = 0;
  let bytes = 0;
  let started = 0;
  const t0 = performance.now();
  const stopAt = t0 + maxSeconds * 1000;
  const loop = async () => {
    while (started < maxRequests && performance.now() < stopAt) {
      started++;
      const t = performance.now();
      const res = await request(url).catch(() => ({ status: 0, body: "" }));
      latencies.push(performance.now() - t);
      if (res.status !== 200) errors++;
      bytes += res.body.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { latencies, errors, bytes, seconds: (performance.now() - t0) / 1000 };
}

function summary(runs) {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const errors = runs.reduce((s, r) => s + r.errors, 0);
  const bytes = runs.reduce((s, r) => s + r.bytes, 0);
  return { requests: latencies.length, errors, rps: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), kb: bytes / Math.max(1, latencies.length) / 1024 };
}

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "-");
const row = (name, c, r) =>
  `${name.padEnd(34)} ${String(c).padStart(4)} ${String(r.requests).padStart(9)} ${String(r.errors).padStart(7)} ${fmt(r.rps).padStart(9)} ${fmt(r.p50).padStart(8)} ${fmt(r.p95).padStart(8)} ${fmt(r.kb).padStart(8)}`;

/** Checks that a server really serves the page: status, the title, and the red links where they should be. */
function checkPage(name, res, redPattern) {
  if (res.status !== 200) throw new Error(`${name} answered ${res.status} for the bench page.`);
  const red = (res.body.match(redPattern) ?? []).length;
  if (!res.body.includes("Section 10") || red !== RED_LINKS) throw new Error(`${name} does not serve the bench page as expected (${red} red links, want ${RED_LINKS}).`);
}

// ---- the run --------------------------------------------------------------------------------------------------

const page = benchPage();
const stops = [];
try {
  log(`starting our site on 127.0.0.1:${port}...`);
  const site = await startSite();
  stops.push(() => site.stop());
  const cookie = await editorCookie();
  log(`creating ${TOPICS.length + 1} pages on our wiki...`);
  for (const title of TOPICS) await trpc(cookie, "wiki.save", { title, body: `About ${title}.\n`, baseRevision: 0 });
  await trpc(cookie, "wiki.save", { title: page.title, body: page.markdown, baseRevision: 0, summary: "bench page" });

  const servers = [{ name: "ours (anonymous, page cache)", url: `${ours}/wiki/Bench_page`, red: /class="wiki-link wiki-link-missing"/g }];
  if (withMediaWiki) {
    ensureMediaWiki(log);
    const mw = await startMediaWiki({ port: mwPort, parserPort: mwPort + 1, pages: [{ title: page.title, text: page.wikitext }, ...TOPICS.map((t) => ({ title: t, text: `About ${t}.` }))], log });
    stops.push(() => mw.stop());
    servers.push(
      { name: "MediaWiki (parser + file cache)", url: `http://127.0.0.1:${mwPort}/wiki/Bench_page`, red: /class="new"/g, best: true },
      { name: "MediaWiki (parser cache only)", url: `http://127.0.0.1:${mwPort + 1}/wiki/Bench_page`, red: /class="new"/g },
    );
  }
  // Ready, correct, and warm (the first views fill the caches; JIT) before any timing.
  for (const s of servers) {
    const deadline = Date.now() + 60_000;
    let res = await request(s.url).catch(() => ({ status: 0, body: "" }));
    while (res.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      res = await request(s.url).catch(() => ({ status: 0, body: "" }));
    }
    checkPage(s.name, res, s.red);
    for (let i = 0; i < 20; i++) await request(s.url);
  }

  console.log(
    `bench:wiki: a ${fmt(page.markdown.length / 1024)} KB page (${fmt(page.wikitext.length / 1024)} KB as wikitext), ${LINKS} links of which ${RED_LINKS} red; ` +
      `${rounds} rounds, each row at most ${maxRequests} requests or ${maxSeconds} s, servers alternating; ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => fmt(l, 2)).join(" ")}\n`,
  );
  const header = `${"server".padEnd(34)} ${"conc".padStart(4)} ${"requests".padStart(9)} ${"errors".padStart(7)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"KB/resp".padStart(8)}`;
  const runs = new Map(servers.flatMap((s) => CONCURRENCY.map((c) => [`${s.name}@${c}`, []])));
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round}`);
    for (const c of CONCURRENCY) {
      // each round starts with the other server, so neither always runs first (or right after the other)
      const order = round % 2 === 1 ? servers : [...servers].reverse();
      for (const s of order) {
        const r = await measure(s.url, c);
        runs.get(`${s.name}@${c}`).push(r);
        console.log(`  ${row(s.name, c, summary([r]))}`);
      }
    }
  }
  console.log(`\nall rounds\n${header}`);
  const totals = new Map();
  for (const c of CONCURRENCY) {
    for (const s of servers) {
      const r = summary(runs.get(`${s.name}@${c}`));
      totals.set(`${s.name}@${c}`, r);
      console.log(row(s.name, c, r));
    }
  }
  const best = servers.find((s) => s.best);
  if (best) {
    console.log("");
    for (const c of CONCURRENCY) {
      const a = totals.get(`${servers[0].name}@${c}`);
      const b = totals.get(`${best.name}@${c}`);
      console.log(`concurrency ${String(c).padStart(2)}: ours / MediaWiki (file cache) = ${fmt(a.rps / b.rps, 2)}x requests/s; p95 ${fmt(a.p95)} ms vs ${fmt(b.p95)} ms`);
    }
    const a16 = totals.get(`${servers[0].name}@16`);
    const b16 = totals.get(`${best.name}@16`);
    const ok = a16.rps >= 2 * b16.rps && a16.p95 < b16.p95;
    console.log(`floor (at least 2x MediaWiki's best at concurrency 16, lower p95): ${ok ? "met" : "NOT met"}`);
  }

  // Save latency on ours: an edit from the current revision, and an edit from a revision someone else saved over
  // meanwhile (a clean three-way merge), each timed from request to answer.
  const times = { edit: [], merged: [] };
  for (let i = 0; i < saves; i++) {
    let current = await trpc(cookie, "wiki.forEdit", { title: page.title }, "GET");
    let t = performance.now();
    const edited = await trpc(cookie, "wiki.save", { title: page.title, body: editSection(current.body, 1 + (i % 10), `edit ${i}`), baseRevision: current.baseRevision, summary: "edit" });
    times.edit.push(performance.now() - t);
    if (edited.status !== "saved" || edited.merged) throw new Error(`an edit did not save plainly: ${JSON.stringify(edited).slice(0, 200)}`);
    current = await trpc(cookie, "wiki.forEdit", { title: page.title }, "GET");
    await trpc(cookie, "wiki.save", { title: page.title, body: editSection(current.body, 2, `theirs ${i}`), baseRevision: current.baseRevision, summary: "theirs" });
    t = performance.now();
    const merged = await trpc(cookie, "wiki.save", { title: page.title, body: editSection(current.body, 9, `mine ${i}`), baseRevision: current.baseRevision, summary: "mine" });
    times.merged.push(performance.now() - t);
    if (merged.status !== "saved" || !merged.merged) throw new Error(`a stale edit did not merge: ${JSON.stringify(merged).slice(0, 200)}`);
  }
  // and the page view after them still shows the newest text (the cached copy was dropped)
  const after = await request(`${ours}/wiki/Bench_page`);
  if (!after.body.includes(`mine ${saves - 1}`)) throw new Error("the anonymous view still shows an older revision after the saves");
  console.log(`\nsave latency on ours (${saves} each, 30 KB page, via tRPC over HTTP):`);
  for (const [name, list] of [["edit", times.edit], ["merged edit (stale base, three-way merge)", times.merged]]) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(`  ${name.padEnd(44)} p50 ${fmt(percentile(sorted, 50)).padStart(7)} ms   p95 ${fmt(percentile(sorted, 95)).padStart(7)} ms`);
  }
} finally {
  agent.destroy();
  for (const stop of stops.reverse()) await stop();
}
