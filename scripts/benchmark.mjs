#!/usr/bin/env node
// `npm run benchmark -- create --from-kaggle <dir> [--name dogscats] [--seed 42]`: builds a benchmark into the
// folder the local runner reads (COURSE_BENCHMARKS_DIR, default .data/benchmarks/<name>).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const cli = path.join(root, "apps/runner/bin/course-runner.js");
if (args[0] === "create" && !args.includes("--out")) {
  const nameAt = args.indexOf("--name");
  const name = nameAt >= 0 ? args[nameAt + 1] : "dogscats";
  if (!name || !/^[a-z0-9][a-z0-9._-]{0,99}$/.test(name)) {
    console.error(`--name must be lowercase letters, digits, '.', '_' or '-', got "${name ?? ""}"`);
    process.exit(2);
  }
  const dataDir = path.resolve(root, process.env.COURSE_DATA_DIR || ".data");
  const dir = path.resolve(root, process.env.COURSE_BENCHMARKS_DIR || path.join(dataDir, "benchmarks"));
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dataDir, 0o755);
  args.push("--out", path.join(dir, name));
  if (nameAt < 0) args.push("--name", name);
}
const run = spawnSync(process.execPath, [cli, "benchmark", ...args], { stdio: "inherit" });
process.exit(run.status ?? 1);
