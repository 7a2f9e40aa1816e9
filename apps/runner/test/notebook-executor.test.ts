/**
 * Integration with the real notebook executor (`course-notebook run` from @course/notebook), resolved
 * the way the CLI does it: the monorepo's node_modules and packages bound read-only at /opt/course.
 * Skips when @course/notebook is not installed in this checkout (COURSE_TEST_MONOREPO may point at
 * another checkout that has it).
 */
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBenchmark } from "../src/benchmark/create";
import { loadBenchmark, type Benchmark } from "../src/benchmark/manifest";
import { defaultExecutorBinds } from "../src/config";
import { DEFAULT_EXECUTOR, gradeNotebook, parseExecutor } from "../src/job/grade";
import { kaggleSampleDir, kaggleSubset, repoRoot } from "./helpers";

const monorepo = process.env.COURSE_TEST_MONOREPO ?? repoRoot;
const executorPkg = path.join(monorepo, "node_modules/@course/notebook/package.json");
const hasExecutor = existsSync(executorPkg);
if (!hasExecutor) console.log(`skipping the real-executor test: ${executorPkg} not found (@course/notebook not installed)`);
// The default command when npm has linked the bin; otherwise the same CLI through node.
const executor = existsSync(path.join(monorepo, "node_modules/.bin/course-notebook"))
  ? DEFAULT_EXECUTOR
  : "node /opt/course/node_modules/@course/notebook/bin/course-notebook.js run";
const sample = kaggleSampleDir();

function tsNotebook(...cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "typescript", display_name: "TypeScript", language: "typescript" } },
    cells: cells.map((source) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source })),
  });
}

describe.skipIf(!hasExecutor || !sample || !existsSync("/usr/bin/bwrap"))("grading with the real course-notebook executor", () => {
  let tmp: string;
  let bench: Benchmark;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "course-nbexec-"));
    await chmod(tmp, 0o755);
    const src = await kaggleSubset(sample as string, path.join(tmp, "kaggle"), 20);
    bench = await loadBenchmark((await createBenchmark({ fromKaggle: src, out: path.join(tmp, "bench"), seed: 9 })).dir);
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("executes a TypeScript notebook in the sandbox and scores its submission", async () => {
    const { binds, extraPath } = defaultExecutorBinds(path.join(monorepo, "apps"));
    const outcome = await gradeNotebook({
      notebook: tsNotebook(
        `import fs from "node:fs";
const dir: string = process.env.COURSE_DATA_DIR + "/test";
const ids: number[] = fs.readdirSync(dir).map((f) => parseInt(f));
console.log(\`found \${ids.length} test images\`);`,
        `fs.writeFileSync("submission.csv", "id,label\\n" + ids.map((id) => \`\${id},0.6\`).join("\\n") + "\\n");
ids.length`,
      ),
      benchmark: bench,
      executor: parseExecutor(executor),
      jobsDir: path.join(tmp, "jobs"),
      readOnlyBinds: binds,
      extraPath,
      limits: { wallTimeMs: 90_000 },
    });
    if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.message}`);
    expect(outcome.scores.overall).toMatchObject({ count: 8, accuracy: 0.5 });
    const executed = JSON.parse(outcome.executedNotebook) as { cells: { outputs: { output_type: string; text?: string | string[] }[] }[] };
    expect(JSON.stringify(executed.cells[0]?.outputs)).toContain("found 8 test images");
    expect(executed.cells[1]?.outputs.some((o) => o.output_type === "execute_result")).toBe(true);
  }, 120_000);

  it("a notebook printing 1 GB fails as output limit within seconds, with the executed notebook cut at the limit", async () => {
    const { binds, extraPath } = defaultExecutorBinds(path.join(monorepo, "apps"));
    const maxOutputBytes = 2 * 1024 * 1024;
    const outcome = await gradeNotebook({
      notebook: tsNotebook(
        `const line = "x".repeat(1023);
for (let i = 0; i < 1024 * 1024; i++) console.log(line);
console.log("printed 1 GB");`,
        `require("node:fs").writeFileSync("submission.csv", "id,label\n");`,
      ),
      benchmark: bench,
      executor: parseExecutor(executor),
      jobsDir: path.join(tmp, "jobs"),
      readOnlyBinds: binds,
      extraPath,
      limits: { wallTimeMs: 120_000, maxOutputBytes },
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason, outcome.message).toBe("output limit");
    expect(outcome.message).toContain("more than 2 MiB of output (2097152 bytes)");
    expect(outcome.message).toContain("the executed notebook shows its output up to the limit");
    // Far from the 120 s wall time: the executor stopped the notebook at the cap.
    expect(outcome.timings.executeMs).toBeLessThan(60_000);
    const nb = outcome.executedNotebook ?? "";
    expect(Buffer.byteLength(nb)).toBeLessThan(3 * maxOutputBytes);
    expect(nb).toContain("[output truncated");
    expect(nb).toContain("OutputLimitExceeded");
    const cells = (JSON.parse(nb) as { cells: { outputs: unknown[] }[] }).cells;
    expect(JSON.stringify(cells[0]?.outputs)).not.toContain("printed 1 GB");
    expect(cells[1]?.outputs).toEqual([]);
  }, 150_000);

  it("a notebook filling Buffers far past the job's memory fails as memory limit within seconds", async () => {
    const { binds, extraPath } = defaultExecutorBinds(path.join(monorepo, "apps"));
    const outcome = await gradeNotebook({
      notebook: tsNotebook(
        `const keep: Buffer[] = [];
for (let i = 0; i < 128; i++) keep.push(Buffer.alloc(64 * 1024 * 1024, i));
console.log("filled 8 GB");`,
      ),
      benchmark: bench,
      executor: parseExecutor(executor),
      jobsDir: path.join(tmp, "jobs"),
      readOnlyBinds: binds,
      extraPath,
      limits: { wallTimeMs: 120_000, memoryBytes: 1536 * 1024 * 1024, nodeHeapMb: 512 },
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason, outcome.message).toBe("memory limit");
    expect(outcome.timings.executeMs).toBeLessThan(60_000);
  }, 150_000);
});
