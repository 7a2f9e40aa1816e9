import path from "node:path";
import { BenchmarkError, loadBenchmark, type Benchmark } from "../benchmark/manifest";
import type { Capabilities, ClaimedJob, FailureReason, LogLine, Timings } from "../protocol";
import type { MemoryCgroupSetting } from "../sandbox/cgroup";
import type { SandboxLimits } from "../sandbox/limits";
import type { SandboxBind, SandboxMode } from "../sandbox/sandbox";
import { gradeNotebook, type ExecutorCommand } from "./grade";
import { LeaseLostError, type JobSource } from "./job-source";

export interface WorkerOptions {
  source: JobSource;
  capabilities: Capabilities;
  /** Benchmarks live in `<benchmarksDir>/<benchmarkId>`. */
  benchmarksDir: string;
  executor: ExecutorCommand;
  jobsDir: string;
  /** The runner's limits; a job may ask for less time, never more. */
  limits: SandboxLimits;
  cellTimeoutSeconds?: number;
  mode?: SandboxMode;
  readOnlyBinds?: readonly SandboxBind[];
  /** Extra environment for the notebook (e.g. COURSE_MODELS_FROM). */
  env?: Readonly<Record<string, string>>;
  extraPath?: readonly string[];
  gpu?: boolean;
  bwrapPath?: string;
  sandboxUid?: number;
  memoryCgroup?: MemoryCgroupSetting;
  heartbeatMs?: number;
  /** See GradeOptions.graceMs. */
  graceMs?: number;
  /** Pause after a failed claim (protocol error, server misbehaving). */
  idleMs?: number;
  log?: (message: string) => void;
  signal?: AbortSignal;
  /** Stop after this many jobs (tests, `work --once`). */
  maxJobs?: number;
}

/**
 * "abandoned": the runner itself was stopped mid-job; nothing is reported, the lease expires and the
 * server requeues the job.
 */
export type JobOutcome = {
  jobId: string;
  status: "completed" | "failed" | "lease lost" | "abandoned";
  reason?: FailureReason;
  message?: string;
};

const MAX_PENDING_LINES = 4_000;
const MAX_LINES_PER_REQUEST = 1_000;

/** Runs one claimed job to the end: heartbeats with logs, grade, complete or fail. Never throws for job problems. */
export async function processJob(job: ClaimedJob, opts: WorkerOptions): Promise<JobOutcome> {
  const log = opts.log ?? (() => undefined);
  const t0 = Date.now();
  const pending: LogLine[] = [];
  let dropped = 0;
  const addLine = (line: LogLine) => {
    pending.push(line);
    if (pending.length > MAX_PENDING_LINES) {
      pending.splice(0, pending.length - MAX_PENDING_LINES);
      dropped++;
    }
  };
  const takeLines = (max: number): LogLine[] => {
    const lines = pending.splice(0, max);
    if (dropped > 0) {
      lines.unshift({ at: new Date().toISOString(), stream: "runner", text: "(older log lines were dropped: too much output)" });
      dropped = 0;
    }
    return lines;
  };
  const runnerLine = (text: string) => addLine({ at: new Date().toISOString(), stream: "runner", text });
  const noTimings = (): Timings => ({ setupMs: 0, executeMs: 0, scoreMs: 0, totalMs: Date.now() - t0 });

  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  let leaseLost = false;
  let cancelled = false;

  // Heartbeats: every few seconds, never two in flight (a slow server must not queue them up).
  let stopped = false;
  let inFlight = false;
  let beat: Promise<void> = Promise.resolve();
  const sendBeat = async () => {
    const lines = takeLines(MAX_LINES_PER_REQUEST);
    try {
      const r = await opts.source.heartbeat(job.id, lines);
      if (r.cancel) {
        cancelled = true;
        abort.abort();
      }
    } catch (e) {
      if (e instanceof LeaseLostError) {
        leaseLost = true;
        abort.abort();
      } else {
        pending.unshift(...lines); // keep them for the next heartbeat or the final report
        log(`job ${job.id}: heartbeat failed: ${(e as Error).message}`);
      }
    }
  };
  const timer = setInterval(() => {
    if (stopped || inFlight) return;
    inFlight = true;
    beat = sendBeat().finally(() => {
      inFlight = false;
    });
  }, opts.heartbeatMs ?? 5_000);

  try {
    runnerLine(`job ${job.id} (attempt ${job.attempt}) on ${opts.capabilities.runnerName}: benchmark ${job.benchmarkId}`);
    let benchmark: Benchmark;
    try {
      benchmark = await loadBenchmark(path.join(opts.benchmarksDir, job.benchmarkId));
    } catch (e) {
      if (!(e instanceof BenchmarkError)) throw e;
      return await finishFailed("unknown benchmark", `this runner has no benchmark "${job.benchmarkId}": ${e.message}`, null, noTimings());
    }
    const wallTimeMs = Math.min(opts.limits.wallTimeMs, (job.limits?.timeoutSeconds ?? Infinity) * 1000);
    const cellTimeoutSeconds = Math.min(opts.cellTimeoutSeconds ?? Infinity, job.limits?.cellTimeoutSeconds ?? Infinity);
    const outcome = await gradeNotebook({
      notebook: job.notebook,
      benchmark,
      executor: opts.executor,
      jobsDir: opts.jobsDir,
      limits: { ...opts.limits, wallTimeMs },
      cellTimeoutSeconds: Number.isFinite(cellTimeoutSeconds) ? cellTimeoutSeconds : undefined,
      mode: opts.mode,
      readOnlyBinds: opts.readOnlyBinds,
      env: opts.env,
      extraPath: opts.extraPath,
      gpu: opts.gpu,
      bwrapPath: opts.bwrapPath,
      sandboxUid: opts.sandboxUid,
      memoryCgroup: opts.memoryCgroup,
      onLog: addLine,
      signal: abort.signal,
      graceMs: opts.graceMs,
    });
    if (leaseLost) {
      log(`job ${job.id}: lease lost; dropping the result`);
      return { jobId: job.id, status: "lease lost" };
    }
    if (opts.signal?.aborted && !cancelled) {
      await stopBeats();
      log(`job ${job.id}: runner stopped mid-job; the server will requeue it when the lease expires`);
      return { jobId: job.id, status: "abandoned" };
    }
    if (!outcome.ok) {
      const reason = cancelled ? "cancelled" : outcome.reason;
      return await finishFailed(reason, cancelled ? "cancelled by the server" : outcome.message, outcome.executedNotebook, outcome.timings);
    }
    await stopBeats();
    await opts.source.complete(job.id, {
      executedNotebook: outcome.executedNotebook,
      submissionCsv: outcome.submissionCsv,
      scores: outcome.scores,
      capabilities: opts.capabilities,
      backend: opts.capabilities.backend,
      timings: outcome.timings,
      logLines: takeLines(MAX_PENDING_LINES),
    });
    log(`job ${job.id}: completed, accuracy ${(outcome.scores.overall.accuracy * 100).toFixed(2)}%`);
    return { jobId: job.id, status: "completed" };
  } catch (e) {
    if (e instanceof LeaseLostError) return { jobId: job.id, status: "lease lost" };
    const message = `runner error: ${(e as Error).message}`;
    log(`job ${job.id}: ${message}`);
    try {
      return await finishFailed("internal error", message, null, noTimings());
    } catch (e2) {
      log(`job ${job.id}: could not report the failure: ${(e2 as Error).message}`);
      return { jobId: job.id, status: "failed", reason: "internal error", message };
    }
  } finally {
    clearInterval(timer);
    stopped = true;
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }

  async function stopBeats() {
    stopped = true;
    clearInterval(timer);
    await beat;
  }

  async function finishFailed(reason: FailureReason, message: string, executedNotebook: string | null, timings: Timings): Promise<JobOutcome> {
    await stopBeats();
    runnerLine(`failed: ${reason}: ${message.split("\n")[0] ?? ""}`);
    await opts.source.fail(job.id, {
      reason,
      message: message.slice(0, 20_000),
      executedNotebook,
      capabilities: opts.capabilities,
      timings,
      logLines: takeLines(MAX_PENDING_LINES),
    });
    log(`job ${job.id}: failed: ${reason}`);
    return { jobId: job.id, status: "failed", reason, message };
  }
}

/** Claims and runs jobs one at a time until the signal aborts (or maxJobs are done). */
export async function runWorker(opts: WorkerOptions): Promise<JobOutcome[]> {
  const log = opts.log ?? (() => undefined);
  const outcomes: JobOutcome[] = [];
  while (!opts.signal?.aborted && (opts.maxJobs === undefined || outcomes.length < opts.maxJobs)) {
    let job: ClaimedJob | null;
    try {
      job = await opts.source.claim(opts.signal);
    } catch (e) {
      if (opts.signal?.aborted) break;
      log(`claim failed: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, opts.idleMs ?? 5_000));
      continue;
    }
    if (!job) continue;
    log(`claimed job ${job.id} (attempt ${job.attempt})`);
    const outcome = await processJob(job, opts);
    outcomes.push(outcome);
  }
  return outcomes;
}
