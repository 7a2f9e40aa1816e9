#!/usr/bin/env node
// `npm test`: lint and typecheck every workspace, then unit and integration tests, then browser tests.
// Phases run one after another so that heavy suites do not fight over the 2 cores CI has.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: process.env.FORCE_COLOR ?? "1" };
const only = process.argv.slice(2);

const phases = [
  { name: "lint and typecheck", args: ["turbo", "run", "lint", "typecheck", "--concurrency=2", "--output-logs=errors-only"] },
  { name: "unit and integration tests", args: ["turbo", "run", "test", "--concurrency=1"] },
  { name: "browser tests", args: ["turbo", "run", "test:e2e", "--concurrency=1"] },
].filter((phase) => only.length === 0 || only.some((word) => phase.name.includes(word)));

if (!process.env.TEST_DATABASE_URL) {
  console.log("TEST_DATABASE_URL is not set: database tests run on embedded PGlite only (CI also runs them on PostgreSQL).");
}

const results = [];
for (const phase of phases) {
  console.log(`\n\u001b[1m▸ ${phase.name}\u001b[0m`);
  const started = Date.now();
  const run = spawnSync("npx", phase.args, { cwd: root, env, stdio: "inherit" });
  results.push({ ...phase, ok: run.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
  if (run.status !== 0) break;
}

console.log("");
for (const r of results) console.log(`${r.ok ? "✔" : "✘"} ${r.name} (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
const skipped = phases.length - results.length;
console.log(`phases: ${results.length - failed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed ? 1 : 0);
