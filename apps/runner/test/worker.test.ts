/**
 * The worker loop against a fake web app over real HTTP (the runner's true external boundary):
 * server down at first (retry/backoff), bearer token, claim/heartbeat/complete/fail bodies checked
 * with the shared zod schemas, a 503 on complete retried, lease loss and cancellation.
 */
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBenchmark } from "../src/benchmark/create";
import { detectCapabilities } from "../src/capabilities";
import { HttpJobSource, RunnerProtocolError } from "../src/job/http-source";
import { runWorker, type WorkerOptions } from "../src/job/worker";
import type { Capabilities, CompleteRequest } from "../src/protocol";
import { close, fakeServer, job, listen, newState, TOKEN } from "./fake-web-app";
import { DEFAULT_LIMITS } from "../src/sandbox/limits";
import { kaggleSampleDir, kaggleSubset, packageDir } from "./helpers";
import { constantSubmission, notebook } from "./notebooks";

const sample = kaggleSampleDir();
const hasBwrap = existsSync("/usr/bin/bwrap");

let capabilities: Capabilities;
beforeAll(async () => {
  capabilities = await detectCapabilities({ runnerName: "test-runner", sandbox: "bubblewrap", backend: "cpu" });
});

describe("HttpJobSource", () => {
  it("reports a rejected token instead of retrying", async () => {
    const state = newState();
    const server = fakeServer(state);
    const port = await listen(server);
    try {
      const src = new HttpJobSource({ serverUrl: `http://127.0.0.1:${port}`, token: "wrong", capabilities, waitSeconds: 0 });
      await expect(src.claim()).rejects.toThrow(RunnerProtocolError);
      await expect(src.claim()).rejects.toThrow(/rejected the runner token \(HTTP 401\)/);
      expect(state.unauthorized).toBe(2);
    } finally {
      await close(server);
    }
  });

  it("validates what the server sends", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ job: { id: "x", attempt: 0 } }));
    });
    const port = await listen(server);
    try {
      const src = new HttpJobSource({ serverUrl: `http://127.0.0.1:${port}/`, token: TOKEN, capabilities, waitSeconds: 0 });
      await expect(src.claim()).rejects.toThrow(/claim: unexpected response at job\.attempt/);
    } finally {
      await close(server);
    }
  });
});

describe.skipIf(!sample || !hasBwrap)("runWorker against a fake web app", () => {
  let tmp: string;
  const workerOpts = (source: HttpJobSource, extra: Partial<WorkerOptions> = {}): WorkerOptions => ({
    source,
    capabilities,
    benchmarksDir: tmp,
    executor: { command: "node", args: ["/opt/course-test/mini-executor.mjs", "run"] },
    jobsDir: path.join(tmp, "jobs"),
    limits: { ...DEFAULT_LIMITS, wallTimeMs: 20_000, nodeHeapMb: 256, memoryBytes: 2048 * 1024 * 1024, maxProcesses: 64 },
    readOnlyBinds: [{ source: path.join(packageDir, "test/fixtures"), target: "/opt/course-test" }],
    heartbeatMs: 200,
    graceMs: 0,
    idleMs: 50,
    ...extra,
  });

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "course-worker-"));
    await chmod(tmp, 0o755);
    const src = await kaggleSubset(sample as string, path.join(tmp, "kaggle"), 20);
    await createBenchmark({ fromKaggle: src, out: path.join(tmp, "dogscats"), seed: 5 });
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("waits for a server that is down, then completes and fails jobs with heartbeats and logs", async () => {
    // Reserve a port, then free it: the server is "down" when the worker starts.
    const probe = http.createServer();
    const port = await listen(probe);
    await close(probe);

    const state = newState();
    const slowGood = notebook(
      `await new Promise((r) => setTimeout(r, 1200)); console.log("slept");`,
      JSON.parse(constantSubmission(0.8)).cells[1].source as string,
    );
    state.queue.push(job("job-good", slowGood), job("job-bad", notebook(`throw new Error("student bug")`)), job("job-nobench", slowGood, "missing"));
    state.completeErrors.push(503); // first complete attempt fails; the runner must retry

    const retries: string[] = [];
    const source = new HttpJobSource({
      serverUrl: `http://127.0.0.1:${port}`,
      token: TOKEN,
      capabilities,
      waitSeconds: 1,
      retry: { baseMs: 50, maxMs: 200 },
      log: (m) => retries.push(m),
    });
    const server = fakeServer(state);
    const startLater = new Promise<void>((resolve) => setTimeout(() => void listen(server, port).then(() => resolve()), 600));
    try {
      const outcomes = await runWorker(workerOpts(source, { maxJobs: 3 }));
      await startLater;
      expect(retries.some((m) => /^claim: ECONNREFUSED; retrying in/.test(m))).toBe(true);
      expect(retries.some((m) => /^complete: HTTP 503; retrying in/.test(m))).toBe(true);
      expect(outcomes.map((o) => [o.jobId, o.status, o.reason])).toEqual([
        ["job-good", "completed", undefined],
        ["job-bad", "failed", "notebook error"],
        ["job-nobench", "failed", "unknown benchmark"],
      ]);
      expect(state.badBodies).toEqual([]);
      expect(state.unauthorized).toBe(0);

      expect(state.completes).toHaveLength(1);
      const done = state.completes[0]?.body as CompleteRequest;
      expect(done.scores.overall.count).toBe(8);
      expect(done.scores.overall.accuracy).toBe(0.5);
      expect(done.executedNotebook).toContain("slept");
      expect(done.submissionCsv.startsWith("id,label\n")).toBe(true);
      expect(done.capabilities.runnerName).toBe("test-runner");
      expect(done.capabilities.cpuCount).toBeGreaterThan(0);
      expect(done.timings.executeMs).toBeGreaterThan(1000);

      // Heartbeats carried the log lines while the notebook ran; the rest came with complete.
      const goodBeats = state.heartbeats.filter((h) => h.jobId === "job-good");
      expect(goodBeats.length).toBeGreaterThanOrEqual(2);
      const allLines = [...goodBeats.flatMap((h) => h.lines), ...done.logLines].map((l) => l.text);
      expect(allLines.some((t) => t.includes("job job-good (attempt 1)"))).toBe(true);
      expect(allLines.some((t) => t.includes('"type":"cell_start"'))).toBe(true);
      expect(allLines.some((t) => t.includes("accuracy 50.00%"))).toBe(true);

      const fails = Object.fromEntries(state.fails.map((f) => [f.jobId, f.body]));
      expect(fails["job-bad"]?.message).toContain("Error: student bug");
      expect(fails["job-bad"]?.executedNotebook).toContain("student bug");
      expect(fails["job-nobench"]?.message).toContain('no benchmark "missing"');
    } finally {
      await startLater;
      await close(server);
    }
  });

  it("fails a notebook whose forked processes together exceed the job's memory as memory limit, then serves the next job", async () => {
    const state = newState();
    // Three children of 1.5 GB each: every one is under the per-process limit (2 GiB), the job is not.
    const hog = notebook(
      `const { spawn } = await import("node:child_process");
for (let i = 0; i < 3; i++) spawn(process.execPath, ["-e", "const k = []; for (let i = 0; i < 6; i++) k.push(Buffer.alloc(256 << 20, 1)); console.log('holding 1.5 GB'); setTimeout(() => k, 60000)"], { stdio: "inherit" });
await new Promise((r) => setTimeout(r, 60000));`,
    );
    state.queue.push(job("job-hog", hog), job("job-after", constantSubmission(0.8)));
    const server = fakeServer(state);
    const port = await listen(server);
    try {
      const source = new HttpJobSource({ serverUrl: `http://127.0.0.1:${port}`, token: TOKEN, capabilities, waitSeconds: 1 });
      const started = Date.now();
      const outcomes = await runWorker(workerOpts(source, { maxJobs: 2, limits: { ...workerOpts(source).limits, wallTimeMs: 90_000, maxProcesses: 128 } }));
      expect(outcomes.map((o) => [o.jobId, o.status, o.reason])).toEqual([
        ["job-hog", "failed", "memory limit"],
        ["job-after", "completed", undefined],
      ]);
      // Both jobs well inside the hog's 90 s wall time.
      expect(Date.now() - started).toBeLessThan(60_000);
      const failed = state.fails[0]?.body;
      expect(failed?.reason).toBe("memory limit");
      expect(failed?.message).toContain("2048 MiB for all its processes together");
      expect(state.badBodies).toEqual([]);
    } finally {
      await close(server);
    }
  }, 120_000);

  it("abandons the running job when the runner is stopped, and keeps heartbeats from piling up", async () => {
    const state = newState();
    state.queue.push(job("job-stop", notebook(`await new Promise((r) => setTimeout(r, 60_000));`)));
    // A heartbeat endpoint that takes 1 s per call, much longer than the 100 ms heartbeat interval.
    let concurrent = 0;
    let maxConcurrent = 0;
    const slow = http.createServer((req, res) => {
      if (req.url?.endsWith("/heartbeat")) {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        setTimeout(() => {
          concurrent--;
          res.writeHead(200, { "content-type": "application/json" });
          res.end("{}");
        }, 1000);
        req.resume();
        return;
      }
      fakeServer(state).emit("request", req, res);
    });
    const port = await listen(slow);
    try {
      const source = new HttpJobSource({ serverUrl: `http://127.0.0.1:${port}`, token: TOKEN, capabilities, waitSeconds: 0 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 2500);
      const t0 = Date.now();
      const outcomes = await runWorker(workerOpts(source, { heartbeatMs: 100, signal: ac.signal }));
      expect(Date.now() - t0).toBeLessThan(8000);
      expect(outcomes.map((o) => [o.jobId, o.status])).toEqual([["job-stop", "abandoned"]]);
      expect(state.fails).toEqual([]);
      expect(state.completes).toEqual([]);
      expect(maxConcurrent).toBe(1);
    } finally {
      await close(slow);
    }
  });

  it("stops a job when the server cancels it or the lease is lost", async () => {
    const state = newState();
    const forever = notebook(`await new Promise((r) => setTimeout(r, 60_000));`);
    state.queue.push(job("job-cancel", forever), job("job-lost", forever));
    state.heartbeatReply = (jobId) => (jobId === "job-cancel" ? { status: 200, body: { cancel: true } } : { status: 409, body: { error: "lease expired" } });
    const server = fakeServer(state);
    const port = await listen(server);
    try {
      const source = new HttpJobSource({ serverUrl: `http://127.0.0.1:${port}`, token: TOKEN, capabilities, waitSeconds: 0 });
      const t0 = Date.now();
      const outcomes = await runWorker(workerOpts(source, { maxJobs: 2 }));
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(outcomes.map((o) => [o.jobId, o.status, o.reason])).toEqual([
        ["job-cancel", "failed", "cancelled"],
        ["job-lost", "lease lost", undefined],
      ]);
      expect(state.fails.map((f) => [f.jobId, f.body.reason])).toEqual([["job-cancel", "cancelled"]]);
      expect(state.completes).toEqual([]);
      expect(state.badBodies).toEqual([]);
    } finally {
      await close(server);
    }
  });
});
