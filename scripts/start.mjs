#!/usr/bin/env node
// `npm start`: build what changed, then serve the site on the embedded database (or DATABASE_URL), printing the URL.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Node ${process.versions.node} is too old: this project needs Node 20.19 or newer.`);
  process.exit(1);
}

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
env.PORT ||= "3000";
if (!/^\d+$/.test(env.PORT)) {
  console.error(`PORT must be a port number, got "${env.PORT}".`);
  process.exit(1);
}
env.COURSE_DATA_DIR = path.resolve(root, env.COURSE_DATA_DIR || ".data");
// Readable by others so the grading sandbox's own user can reach benchmarks' public folders; secrets inside are 0600.
fs.mkdirSync(env.COURSE_DATA_DIR, { recursive: true, mode: 0o755 });
env.COURSE_BENCHMARKS_DIR = path.resolve(root, env.COURSE_BENCHMARKS_DIR || path.join(env.COURSE_DATA_DIR, "benchmarks"));
fs.mkdirSync(env.COURSE_BENCHMARKS_DIR, { recursive: true, mode: 0o755 });
// Pretrained models that graded notebooks may use (mounted read-only in the sandbox): <dir>/<model id>/model.json.
env.COURSE_MODELS_DIR = path.resolve(root, env.COURSE_MODELS_DIR || path.join(env.COURSE_DATA_DIR, "models"));
fs.mkdirSync(env.COURSE_MODELS_DIR, { recursive: true, mode: 0o755 });
env.NEXTAUTH_URL ||= `http://localhost:${env.PORT}`;

// A secret for session cookies, made once per install and kept with the data.
if (!env.AUTH_SECRET) {
  const secretFile = path.join(env.COURSE_DATA_DIR, "auth-secret");
  if (!fs.existsSync(secretFile)) fs.writeFileSync(secretFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
  env.AUTH_SECRET = fs.readFileSync(secretFile, "utf8").trim();
}

// The local runner's token, made once per install; the site registers it at start.
const localRunner = process.env.COURSE_LOCAL_RUNNER !== "0";
if (localRunner) {
  const tokenFile = path.join(env.COURSE_DATA_DIR, "local-runner-token");
  if (!fs.existsSync(tokenFile)) fs.writeFileSync(tokenFile, `crt_${randomBytes(24).toString("base64url")}`, { mode: 0o600 });
  env.COURSE_LOCAL_RUNNER_TOKEN = fs.readFileSync(tokenFile, "utf8").trim();
}

const step = (label) => console.log(`\n\u001b[1m▸ ${label}\u001b[0m`);
const npx = (args, opts = {}) => spawnSync("npx", args, { cwd: root, env, stdio: "inherit", ...opts });

if (process.env.COURSE_SKIP_BUILD !== "1") {
  step("Building (cached parts are reused)");
  const build = npx(["turbo", "run", "build", "--filter=@course/web...", "--output-logs=errors-only"]);
  if (build.status !== 0) {
    console.error("\nThe build failed; see the errors above.");
    process.exit(build.status ?? 1);
  }
}

step("Checking course content");
const check = spawnSync(process.execPath, [path.join(root, "packages/content/bin/content-import.js"), "check", "--content", path.resolve(root, env.COURSE_CONTENT_DIR || "content")], {
  cwd: root,
  env,
  stdio: "inherit",
});
if (check.status !== 0) {
  console.error("\nFix the content problems above, then run npm start again.");
  process.exit(check.status ?? 1);
}

step(`Starting the site (${env.DATABASE_URL ? "PostgreSQL from DATABASE_URL" : `embedded database in ${path.relative(root, env.COURSE_DATA_DIR) || "."}`})`);
// Our own server around Next (not `next start`): it takes the client's address from the socket, or from
// TRUSTED_PROXY_HOPS proxies, so per-address limits cannot be dodged with a made-up X-Forwarded-For.
const web = spawn(process.execPath, [path.join(root, "apps/web/server.mjs")], { cwd: path.join(root, "apps/web"), env, stdio: ["ignore", "pipe", "inherit"] });
let announced = false;
web.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready in|started server on/i.test(String(chunk))) {
    announced = true;
    fetch(`http://127.0.0.1:${env.PORT}/api/health`)
      .then((res) => res.json())
      .then((health) => {
        if (health.status !== "ok") throw new Error(health.error ?? "health check failed");
        console.log(`\n\u001b[1m\u001b[32m✔ The course site is running: ${env.NEXTAUTH_URL}\u001b[0m  (Ctrl+C stops it)\n`);
        if (localRunner) startLocalRunner();
      })
      .catch((error) => {
        console.error(`\nThe site started but is not healthy: ${error.message}`);
        web.kill("SIGTERM");
      });
  }
});

/** Says what grading still lacks, and the one command that adds each missing piece. */
function reportGradingReadiness() {
  const missing = [];
  if (!fs.existsSync(path.join(env.COURSE_BENCHMARKS_DIR, "dogscats", "benchmark.json"))) {
    missing.push(
      `no benchmark "dogscats" in ${path.relative(root, env.COURSE_BENCHMARKS_DIR) || "."}: add it with\n` +
        "           npm run benchmark -- create --from-kaggle <folder with Kaggle's cat.N.jpg and dog.N.jpg> --name dogscats",
    );
  }
  if (!fs.existsSync(path.join(env.COURSE_MODELS_DIR, "mobilenet_v1_0.75_224", "model.json"))) {
    missing.push(
      `no pretrained MobileNet in ${path.relative(root, env.COURSE_MODELS_DIR) || "."}: copy the folder mobilenet_v1_0.75_224/ (model.json + weight files,\n` +
        "           published at https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.75_224/model.json) there, or start with COURSE_MODELS_DIR=<folder holding it>",
    );
  }
  for (const line of missing) console.log(`[runner] Lesson 1 homework cannot be graded yet: ${line}`);
}

let runner;
function startLocalRunner() {
  reportGradingReadiness();
  const check = spawnSync("/usr/bin/bwrap", ["--version"], { stdio: "ignore" });
  if (check.status !== 0) {
    console.log("[runner] Grading is off: bubblewrap is not installed (apt-get install bubblewrap), and notebooks only run sandboxed.");
    return;
  }
  runner = spawn(
    process.execPath,
    [path.join(root, "apps/runner/bin/course-runner.js"), "work", "--server", `http://127.0.0.1:${env.PORT}`, "--benchmarks-dir", env.COURSE_BENCHMARKS_DIR],
    { cwd: root, env: { ...env, RUNNER_TOKEN: env.COURSE_LOCAL_RUNNER_TOKEN, RUNNER_NAME: env.RUNNER_NAME || "local runner" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const prefix = (stream, out) => stream.on("data", (chunk) => out.write(String(chunk).replace(/^(?=.)/gm, "[runner] ")));
  prefix(runner.stdout, process.stdout);
  prefix(runner.stderr, process.stderr);
  runner.on("exit", (code, signal) => {
    if (!stopping) console.error(`[runner] the local runner stopped (${signal ?? `exit ${code}`}); the site keeps serving, grading is paused.`);
  });
}

let stopping = false;
const stop = (signal) => {
  stopping = true;
  runner?.kill(signal);
  web.kill(signal);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
web.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
