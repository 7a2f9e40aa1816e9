/**
 * Timing report: validating + scoring a 12,500-row submission, and the sandbox's start-up cost.
 * Run with `npm run bench -w @course/runner`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { checkSandbox, runSandboxed } from "../src/sandbox/sandbox";
import { scorePredictions } from "../src/scoring/score";
import { validateSubmission } from "../src/scoring/submission";

const n = 12_500;
const labels = new Map<number, 0 | 1>();
const rows = ["id,label"];
for (let id = 1; id <= n; id++) {
  labels.set(id, Math.random() < 0.5 ? 1 : 0);
  rows.push(`${id},${Math.random().toFixed(6)}`);
}
const text = rows.join("\r\n") + "\r\n";
const ids = new Set(labels.keys());
const times: number[] = [];
for (let i = 0; i < 20; i++) {
  const t0 = performance.now();
  const v = validateSubmission(text, ids);
  if (!v.ok) throw new Error("generated submission should be valid");
  scorePredictions(v.predictions, labels, "bench-salt");
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(
  `validate+score ${n} rows (${(text.length / 1024).toFixed(0)} KiB): median ${times[10]?.toFixed(1)} ms, min ${times[0]?.toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)} ms`,
);

const check = await checkSandbox();
if (!check.ok) {
  console.log(`sandbox: ${check.message}; skipping start-up timing`);
} else {
  const work = await mkdtemp(path.join(os.tmpdir(), "course-bench-"));
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await runSandboxed({ command: "node", args: ["-e", ""], workDir: work });
    if (!r.ok) throw new Error(r.message);
    starts.push(r.durationMs);
  }
  starts.sort((a, b) => a - b);
  console.log(`sandboxed \`node -e ""\`: median ${starts[2]} ms (min ${starts[0]}, max ${starts[4]})`);
  await rm(work, { recursive: true, force: true });
}
