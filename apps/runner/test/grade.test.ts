import { existsSync } from "node:fs";
import { chmod, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBenchmark } from "../src/benchmark/create";
import { loadBenchmark, type Benchmark } from "../src/benchmark/manifest";
import { gradeNotebook, parseExecutor, type GradeOptions } from "../src/job/grade";
import type { LogLine } from "../src/protocol";
import { kaggleSampleDir, kaggleSubset, packageDir } from "./helpers";
import { constantSubmission, notebook } from "./notebooks";

const sample = kaggleSampleDir();
const hasBwrap = existsSync("/usr/bin/bwrap");

describe("parseExecutor", () => {
  it("splits a command line with quotes", () => {
    expect(parseExecutor("course-notebook run")).toEqual({ command: "course-notebook", args: ["run"] });
    expect(parseExecutor(`node '/opt/a b/cli.js' "x y" run`)).toEqual({ command: "node", args: ["/opt/a b/cli.js", "x y", "run"] });
    expect(() => parseExecutor("  ")).toThrow(/empty/);
  });
});

describe.skipIf(!sample || !hasBwrap)("gradeNotebook in the sandbox with the mini executor", () => {
  let tmp: string;
  let bench: Benchmark;
  const grade = async (nb: string, extra: Partial<GradeOptions> = {}) => {
    const logs: LogLine[] = [];
    const outcome = await gradeNotebook({
      notebook: nb,
      benchmark: bench,
      executor: { command: "node", args: ["/opt/course-test/mini-executor.mjs", "run"] },
      jobsDir: path.join(tmp, "jobs"),
      readOnlyBinds: [{ source: path.join(packageDir, "test/fixtures"), target: "/opt/course-test" }],
      limits: { wallTimeMs: 20_000, nodeHeapMb: 256, memoryBytes: 2048 * 1024 * 1024, maxProcesses: 64 },
      graceMs: 0,
      onLog: (l) => logs.push(l),
      ...extra,
    });
    return { outcome, logs };
  };

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "course-grade-"));
    await chmod(tmp, 0o755);
    const src = await kaggleSubset(sample as string, path.join(tmp, "kaggle"), 20);
    const created = await createBenchmark({ fromKaggle: src, out: path.join(tmp, "bench"), seed: 3 });
    bench = await loadBenchmark(created.dir);
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("executes the notebook, then scores submission.csv outside the sandbox", async () => {
    const { outcome, logs } = await grade(constantSubmission(0.9));
    if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.message}`);
    // 8 test images, half dogs: P(dog)=0.9 everywhere is right on the dogs only.
    expect(bench.manifest.counts.test).toBe(8);
    expect(outcome.scores.overall.count).toBe(8);
    expect(outcome.scores.overall.accuracy).toBe(0.5);
    expect(outcome.scores.overall.logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.1)) / 2, 12);
    expect(outcome.scores.public.count + outcome.scores.private.count).toBe(8);
    expect(outcome.submissionCsv.split("\n")[0]).toBe("id,label");
    // The sandbox sees train/valid/test, never the hidden labels or the manifest.
    expect(outcome.executedNotebook).toContain("data: test,train,valid");
    expect(outcome.executedNotebook).toContain("found 8 test images");
    expect(logs.some((l) => l.stream === "stdout" && l.text.includes('"type":"cell_done"'))).toBe(true);
    expect(logs.some((l) => l.stream === "runner" && l.text.includes("accuracy 50.00%"))).toBe(true);
    expect(outcome.timings.totalMs).toBeGreaterThanOrEqual(outcome.timings.executeMs);
    expect(existsSync(outcome.workDir)).toBe(false); // cleaned up
  });

  it("fails with the notebook's error and keeps the executed notebook", async () => {
    const { outcome } = await grade(notebook(`console.log("before"); throw new TypeError("boom in cell")`));
    if (outcome.ok) throw new Error("expected failure");
    expect(outcome.reason).toBe("notebook error");
    expect(outcome.message).toContain("TypeError: boom in cell");
    expect(outcome.executedNotebook).toContain('"ename": "TypeError"');
  });

  it("reports an invalid submission with line numbers, and a missing one", async () => {
    const bad = await grade(notebook(`fs.writeFileSync("submission.csv", "id,label\\n1,2\\n2,abc\\n")`));
    if (bad.outcome.ok) throw new Error("expected failure");
    expect(bad.outcome.reason).toBe("invalid submission");
    expect(bad.outcome.message).toContain("line 2: label must be in [0, 1], got 2");
    expect(bad.outcome.message).toContain("line 3: label must be a number");
    expect(bad.outcome.message).toMatch(/8 test id\(s\) missing/);

    const none = await grade(notebook(`console.log("no submission here")`));
    if (none.outcome.ok) throw new Error("expected failure");
    expect(none.outcome.reason).toBe("no submission");
  });

  it("does not follow a submission.csv symlink out of the work directory", async () => {
    const { outcome } = await grade(notebook(`fs.symlinkSync("/etc/hostname", "submission.csv")`));
    if (outcome.ok) throw new Error("expected failure");
    expect(outcome.reason).toBe("invalid submission");
    expect(outcome.message).toContain("symbolic link");
  });

  it("stops a notebook that runs too long: timeout", async () => {
    const { outcome } = await grade(notebook(`for (;;) {}`), { limits: { wallTimeMs: 2000, nodeHeapMb: 256, maxProcesses: 64 } });
    if (outcome.ok) throw new Error("expected failure");
    expect(outcome.reason).toBe("timeout");
    expect(outcome.timings.executeMs).toBeLessThan(10_000);
  });

  it("rejects a file that is not a notebook before running anything", async () => {
    const { outcome } = await grade("{ not json");
    if (outcome.ok) throw new Error("expected failure");
    expect(outcome.reason).toBe("invalid notebook");
    const v3 = await grade(JSON.stringify({ nbformat: 3, worksheets: [] }));
    expect(v3.outcome.ok || v3.outcome.message).toBe("expected nbformat 4, got 3");
    expect(await readdir(path.join(tmp, "jobs"))).toEqual([]);
  });
});
