#!/usr/bin/env node
// `npm test`: lint and typecheck every workspace, then unit and integration tests, then browser tests.
// Phases run one after another. A phase is a list of steps; a step's lanes run side by side, each lane's commands one
// after another. CI has 2 cores: the unit phase runs apps/web's suite (the longest) in one lane, and in the other the
// site's production build for the browser phase, then every other workspace's suite, one at a time.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: process.env.FORCE_COLOR ?? "1" };
const only = process.argv.slice(2);

const turbo = (...args) => ["turbo", "run", ...args];
const phases = [
  { name: "lint and typecheck", steps: [[[turbo("lint", "typecheck", "--concurrency=2", "--output-logs=errors-only")]]] },
  {
    name: "unit and integration tests",
    steps: [
      // What the tests import ready first (the Prisma client), so the lanes' tests (--only: no dependencies) never
      // see it regenerated under them.
      [[turbo("build", "--filter=!@course/web", "--output-logs=errors-only")]],
      [
        [turbo("test", "--only", "--filter=@course/web")],
        // The browser phase's build (turbo finds it cached there), then the other suites.
        [turbo("build", "--filter=@course/web", "--output-logs=errors-only"), turbo("test", "--only", "--filter=!@course/web", "--concurrency=1")],
      ],
    ],
  },
  { name: "browser tests", steps: [[[turbo("test:e2e", "--concurrency=1")]]] },
].filter((phase) => only.length === 0 || only.some((word) => phase.name.includes(word)));

// The site's production build skips Next's own TypeScript pass when this run's first phase ran the same check over
// the same tsconfig (COURSE_TYPECHECKED, read in apps/web/next.config.ts); any other build checks the types itself.
if (phases.some((phase) => phase.name === "lint and typecheck")) env.COURSE_TYPECHECKED = "1";

if (!process.env.TEST_DATABASE_URL) {
  console.log("TEST_DATABASE_URL is not set: database tests run on embedded PGlite only (CI also runs them on PostgreSQL).");
}

/** Runs one npx command with inherited output; resolves to its exit status. */
function run(args) {
  return new Promise((resolve) => {
    const child = spawn("npx", args, { cwd: root, env, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on("error", () => resolve(1));
  });
}

/** A lane's commands one after another, stopping at the first that fails; true when all passed. */
async function runLane(commands) {
  for (const args of commands) if ((await run(args)) !== 0) return false;
  return true;
}

const results = [];
for (const phase of phases) {
  console.log(`\n\u001b[1m▸ ${phase.name}\u001b[0m`);
  const started = Date.now();
  let ok = true;
  for (const lanes of phase.steps) {
    ok = (await Promise.all(lanes.map(runLane))).every(Boolean);
    if (!ok) break;
  }
  results.push({ ...phase, ok, seconds: Math.round((Date.now() - started) / 1000) });
  if (!ok) break;
}

console.log("");
for (const r of results) console.log(`${r.ok ? "✔" : "✘"} ${r.name} (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
const skipped = phases.length - results.length;
console.log(`phases: ${results.length - failed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed ? 1 : 0);
