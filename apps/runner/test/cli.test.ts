import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limitsFromSettings, loadSettings } from "../src/config";
import { kaggleSampleDir, kaggleSubset, packageDir } from "./helpers";
import { close, fakeServer, job, listen, newState, TOKEN } from "./fake-web-app";
import { constantSubmission } from "./notebooks";

const bin = path.join(packageDir, "bin/course-runner.js");
const fixtures = path.join(packageDir, "test/fixtures");

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("loadSettings", () => {
  it("validates env and flags and names the source of a bad value", () => {
    expect(() => loadSettings({}, { RUNNER_TIMEOUT_S: "abc" })).toThrow(/timeout \(s\): expected a number \(from env RUNNER_TIMEOUT_S\)/);
    expect(() => loadSettings({ maxProcesses: "0" }, {})).toThrow(/max processes: expected > 0 \(from flag\)/);
    expect(() => loadSettings({ serverUrl: "ftp://x" }, {})).toThrow(/server URL/);
    const s = loadSettings({ timeoutSeconds: "60" }, { RUNNER_TIMEOUT_S: "10", RUNNER_TOKEN: "t", COURSE_SERVER_URL: "http://localhost:3000" });
    expect(s.timeoutSeconds).toBe(60);
    expect(s.token).toBe("t");
    expect(s.executor).toBe("course-notebook run");
    expect(loadSettings({}, { COURSE_NOTEBOOK_EXECUTOR: "node x.js run" }).executor).toBe("node x.js run");
  });

  it("caps each job's total memory at 4 GiB by default, under a cgroup when one can be used", () => {
    const s = loadSettings({}, {});
    expect(s.memoryMb).toBe(4096);
    expect(s.memoryCgroup).toBe("auto");
    const limits = limitsFromSettings(s);
    expect(limits.memoryBytes).toBe(4096 * 2 ** 20);
    // The V8 heap cap stays below the job's memory, so V8's own error comes first for heap growth.
    expect((limits.nodeHeapMb ?? 0) * 2 ** 20).toBeLessThan(limits.memoryBytes);
    expect(loadSettings({}, { RUNNER_MEMORY_MB: "2048", RUNNER_MEMORY_CGROUP: "off" })).toMatchObject({ memoryMb: 2048, memoryCgroup: "off" });
    expect(loadSettings({ memoryCgroup: "/sys/fs/cgroup/runner.slice/jobs" }, {}).memoryCgroup).toBe("/sys/fs/cgroup/runner.slice/jobs");
    expect(() => loadSettings({}, { RUNNER_MEMORY_CGROUP: "sometimes" })).toThrow(
      /memory cgroup: expected "auto", "off" or an absolute path to a cgroup v2 directory \(from env RUNNER_MEMORY_CGROUP\)/,
    );
    expect(() => loadSettings({ memoryMb: "-1" }, {})).toThrow(/memory \(MiB\): expected >= 0 \(from flag\)/);
  });
});

const sample = kaggleSampleDir();

describe.skipIf(!sample)("course-runner CLI", () => {
  let tmp: string;
  let bench: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "course-cli-"));
    await chmod(tmp, 0o755);
    const src = await kaggleSubset(sample as string, path.join(tmp, "kaggle"), 20);
    bench = path.join(tmp, "bench");
    const r = await cli(["benchmark", "create", "--from-kaggle", src, "--out", bench, "--seed", "11", "--test-fraction", "0.25"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("test 10 (labels in hidden/labels.csv; seed 11)");
    expect(r.stderr).toContain("copy 40/40 (100%)");
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("explains a wrong source layout and bad flags", async () => {
    const r = await cli(["benchmark", "create", "--from-kaggle", path.dirname(sample as string), "--out", path.join(tmp, "x")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no images found.*did you mean .*\/train\?/);
    const f = await cli(["benchmark", "create", "--from-kaggle", "a", "--out", "b", "--seed", "x"]);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('--seed: expected a number, got "x"');
    expect((await cli(["frobnicate"])).stderr).toContain('unknown command "frobnicate"');
  });

  it("scores a submission and reports problems with line numbers", async () => {
    const labels = (await readFile(path.join(bench, "hidden/labels.csv"), "utf8")).trim().split("\n").slice(1);
    const perfect = "id,label\n" + labels.map((l) => l).join("\n") + "\n";
    await writeFile(path.join(tmp, "perfect.csv"), perfect);
    const ok = await cli(["score", path.join(tmp, "perfect.csv"), "--benchmark", bench, "--json"]);
    expect(ok.code, ok.stderr).toBe(0);
    const scores = JSON.parse(ok.stdout) as { overall: { accuracy: number; count: number; logLoss: number } };
    expect(scores.overall).toMatchObject({ accuracy: 1, count: 10 });
    expect(scores.overall.logLoss).toBeLessThan(1e-12);

    await writeFile(path.join(tmp, "bad.csv"), "id,label\r\n1,0.5\r\n1,0.5\r\n999,nan\r\n");
    const bad = await cli(["score", path.join(tmp, "bad.csv"), "--benchmark", bench]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("line 3: duplicate id 1");
    expect(bad.stderr).toContain('line 4: label must be a number in [0, 1] (the probability of "dog"), got "nan"');
    expect(bad.stderr).toContain("9 test id(s) missing");
  });

  it("grade refuses to run without bubblewrap unless --unsafe-no-sandbox", async () => {
    const nb = path.join(tmp, "nb.ipynb");
    await writeFile(nb, constantSubmission(0.7));
    const refused = await cli(["grade", nb, "--benchmark", bench], { COURSE_BWRAP: "/nonexistent/bwrap" });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("refusing to run untrusted notebooks without a sandbox");

    const unsafe = await cli(
      ["grade", nb, "--benchmark", bench, "--unsafe-no-sandbox", "--executor", `node ${path.join(fixtures, "mini-executor.mjs")} run`, "--json"],
      { COURSE_BWRAP: "/nonexistent/bwrap", COURSE_RUNNER_JOBS_DIR: path.join(tmp, "jobs") },
    );
    expect(unsafe.stderr).toContain("WARNING: --unsafe-no-sandbox");
    expect(unsafe.code, unsafe.stderr).toBe(0);
    expect(JSON.parse(unsafe.stdout).scores.overall.accuracy).toBe(0.5);
  });

  it.skipIf(!existsSync("/usr/bin/bwrap"))("grades a notebook in the sandbox with a configured executor", async () => {
    const nb = path.join(tmp, "nb2.ipynb");
    const out = path.join(tmp, "executed.ipynb");
    await writeFile(nb, constantSubmission(0.3));
    const r = await cli(["grade", nb, "--benchmark", bench, "--out", out, "--bind", `${fixtures}:/opt/course-test`, "--timeout", "60"], {
      COURSE_NOTEBOOK_EXECUTOR: "node /opt/course-test/mini-executor.mjs run",
      COURSE_RUNNER_JOBS_DIR: path.join(tmp, "jobs"),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/overall\s+10\s+50\.00%/);
    expect(r.stderr).toContain("[runner] executing notebook (sandboxed, timeout 60 s)");
    // How the memory cap is enforced on this machine is said up front.
    expect(r.stderr).toMatch(/\[runner\] memory: 4096 MiB per job \(all its processes\), enforced by (cgroup v2 under |the runner's \/proc watchdog)/);
    expect(await readFile(out, "utf8")).toContain("found 10 test images");
  });

  it.skipIf(!existsSync("/usr/bin/bwrap"))("work --once serves one job from the web app", async () => {
    const state = newState();
    state.queue.push(job("cli-job", constantSubmission(0.2), "bench"));
    const server = fakeServer(state);
    const port = await listen(server);
    try {
      const r = await cli(
        ["work", "--server", `http://127.0.0.1:${port}`, "--benchmarks-dir", tmp, "--once", "--bind", `${fixtures}:/opt/course-test`, "--name", "cli-runner"],
        {
          RUNNER_TOKEN: TOKEN,
          COURSE_NOTEBOOK_EXECUTOR: "node /opt/course-test/mini-executor.mjs run",
          COURSE_RUNNER_JOBS_DIR: path.join(tmp, "jobs"),
          RUNNER_TIMEOUT_S: "60",
        },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`serving http://127.0.0.1:${port}`);
      expect(r.stderr).toContain("job cli-job: completed, accuracy 50.00%");
      expect(state.badBodies).toEqual([]);
      expect(state.completes).toHaveLength(1);
      const done = state.completes[0]?.body;
      expect(done?.scores.overall.count).toBe(10);
      expect(done?.capabilities).toMatchObject({ runnerName: "cli-runner", sandbox: "bubblewrap" });
    } finally {
      await close(server);
    }
  });

  it("grade refuses a --memory-cgroup it cannot use instead of quietly falling back", async () => {
    const nb = path.join(tmp, "nb-cg.ipynb");
    await writeFile(nb, constantSubmission(0.7));
    const r = await cli(
      ["grade", nb, "--benchmark", bench, "--unsafe-no-sandbox", "--memory-cgroup", tmp, "--executor", `node ${path.join(fixtures, "mini-executor.mjs")} run`],
      { COURSE_RUNNER_JOBS_DIR: path.join(tmp, "jobs") },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: --memory-cgroup / RUNNER_MEMORY_CGROUP ${tmp}: ${tmp} is not a cgroup v2 directory`);
  });

  it("work needs a server, a token and benchmarks", async () => {
    const r = await cli(["work", "--server", "http://127.0.0.1:9"], { RUNNER_TOKEN: "", COURSE_SERVER_URL: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("work needs --token <token> (or RUNNER_TOKEN)");
  });
});
