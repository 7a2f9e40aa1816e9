import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Benchmark } from "../benchmark/manifest";
import type { FailureReason, LogLine, Scores, Timings } from "../protocol";
import type { MemoryCgroupSetting } from "../sandbox/cgroup";
import { DEFAULT_LIMITS, type SandboxLimits } from "../sandbox/limits";
import { runSandboxed, SANDBOX_WORK_DIR, type SandboxBind, type SandboxMode } from "../sandbox/sandbox";
import { scoreSubmissionFile } from "../scoring/score-file";
import { readUntrustedFile, UntrustedFileError } from "../util/read-untrusted";

/** Where the benchmark's train/valid/test folders appear inside the sandbox (also in env COURSE_DATA_DIR). */
export const SANDBOX_DATA_DIR = "/data";
export const NOTEBOOK_FILE = "notebook.ipynb";
export const EXECUTED_FILE = "executed.ipynb";
export const SUBMISSION_FILE = "submission.csv";
export const DEFAULT_EXECUTOR = "course-notebook run";
export const DEFAULT_MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_EXECUTED_BYTES = 64 * 1024 * 1024;
const MiB = 1024 * 1024;

/** Raw stdout+stderr allowed from the executor for a notebook output cap of `notebookBytes`. */
export function rawOutputCap(notebookBytes: number): number {
  return 2 * notebookBytes + MiB;
}

export interface ExecutorCommand {
  command: string;
  args: string[];
}

/** Splits an executor command line ("course-notebook run", "node '/opt/x y/cli.js' run") into argv. */
export function parseExecutor(commandLine: string): ExecutorCommand {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of commandLine.matchAll(re)) words.push(m[1] ?? m[2] ?? m[3] ?? "");
  const [command, ...args] = words;
  if (!command) throw new Error("executor command is empty");
  return { command, args };
}

export interface GradeOptions {
  /** The submitted .ipynb, as text or bytes. */
  notebook: string | Buffer;
  benchmark: Benchmark;
  /**
   * Notebook executor; gets `<in.ipynb> --out <out.ipynb> --cwd <dir> --cell-timeout s --timeout s
   * --max-output bytes` appended.
   */
  executor: ExecutorCommand;
  /** Parent folder for per-job work directories (must be traversable by the sandbox uid). */
  jobsDir: string;
  limits?: Partial<SandboxLimits>;
  cellTimeoutSeconds?: number;
  mode?: SandboxMode;
  /** Extra read-only binds, e.g. the monorepo's node_modules for the executor. */
  readOnlyBinds?: readonly SandboxBind[];
  extraPath?: readonly string[];
  env?: Readonly<Record<string, string>>;
  gpu?: boolean;
  bwrapPath?: string;
  sandboxUid?: number;
  /** See SandboxOptions.memoryCgroup. */
  memoryCgroup?: MemoryCgroupSetting;
  onLog?: (line: LogLine) => void;
  signal?: AbortSignal;
  /** Keep the work directory (for debugging); it is removed by default. */
  keepWorkDir?: boolean;
  maxNotebookBytes?: number;
  maxSubmissionBytes?: number;
  /** Extra wall time past the executor's own --timeout, to let it write the executed notebook (default 10 s). */
  graceMs?: number;
}

export type GradeOutcome =
  | {
      ok: true;
      executedNotebook: string;
      submissionCsv: string;
      scores: Scores;
      timings: Timings;
      workDir: string;
    }
  | {
      ok: false;
      reason: FailureReason;
      message: string;
      executedNotebook: string | null;
      timings: Timings;
      workDir: string | null;
    };

function checkNotebook(bytes: Buffer, maxBytes: number): string | null {
  if (bytes.length > maxBytes) return `notebook is ${bytes.length} bytes; the limit is ${maxBytes} bytes`;
  let nb: unknown;
  try {
    nb = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    return `notebook is not valid JSON: ${(e as Error).message}`;
  }
  if (typeof nb !== "object" || nb === null || Array.isArray(nb)) return "notebook must be a JSON object";
  const o = nb as Record<string, unknown>;
  if (o.nbformat !== 4) return `expected nbformat 4, got ${JSON.stringify(o.nbformat)}`;
  if (!Array.isArray(o.cells)) return 'notebook has no "cells" array';
  return null;
}

/** Splits streamed text into lines, emitting complete lines only (plus the rest on flush). */
function lineSplitter(emit: (line: string) => void) {
  let buf = "";
  return {
    push(chunk: string) {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        emit(buf.slice(0, i).replace(/\r$/, ""));
        buf = buf.slice(i + 1);
      }
      if (buf.length > 10_000) {
        emit(buf.slice(0, 10_000));
        buf = buf.slice(10_000);
      }
    },
    flush() {
      if (buf) emit(buf);
      buf = "";
    },
  };
}

/**
 * Grades one notebook: fresh work dir, notebook executed by the executor inside the sandbox with the
 * benchmark's train/valid/test read-only at /data, then submission.csv validated and scored OUTSIDE the
 * sandbox against the hidden labels.
 */
export async function gradeNotebook(opts: GradeOptions): Promise<GradeOutcome> {
  const t0 = Date.now();
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const mode = opts.mode ?? "bwrap";
  const log = (stream: LogLine["stream"], text: string) =>
    opts.onLog?.({ at: new Date().toISOString(), stream, text: text.slice(0, 10_000) });
  const timings = (setupMs: number, executeMs: number, scoreMs: number): Timings => ({
    setupMs,
    executeMs,
    scoreMs,
    totalMs: Date.now() - t0,
  });

  const nbBytes = typeof opts.notebook === "string" ? Buffer.from(opts.notebook, "utf8") : opts.notebook;
  const problem = checkNotebook(nbBytes, opts.maxNotebookBytes ?? DEFAULT_MAX_NOTEBOOK_BYTES);
  if (problem) {
    return { ok: false, reason: "invalid notebook", message: problem, executedNotebook: null, timings: timings(0, 0, 0), workDir: null };
  }

  await mkdir(opts.jobsDir, { recursive: true, mode: 0o711 });
  const workDir = await mkdtemp(path.join(opts.jobsDir, "job-"));
  await chmod(workDir, 0o700);
  const cleanup = async () => {
    if (!opts.keepWorkDir) await rm(workDir, { recursive: true, force: true });
  };
  try {
    await writeFile(path.join(workDir, NOTEBOOK_FILE), nbBytes);
    const inside = mode === "bwrap" ? SANDBOX_WORK_DIR : workDir;
    const dataDir = mode === "bwrap" ? SANDBOX_DATA_DIR : opts.benchmark.dir;
    const binds: SandboxBind[] = [];
    if (mode === "bwrap") {
      for (const part of ["train", "valid", "test"] as const) {
        const src = path.join(opts.benchmark.dir, part);
        // Only these three folders: the hidden labels and benchmark.json stay outside.
        if (existsSync(src)) binds.push({ source: src, target: `${SANDBOX_DATA_DIR}/${part}` });
      }
    }
    binds.push(...(opts.readOnlyBinds ?? []));
    const timeoutS = Math.max(1, Math.floor(limits.wallTimeMs / 1000));
    const cellTimeoutS = Math.min(opts.cellTimeoutSeconds ?? timeoutS, timeoutS);
    const args = [
      ...opts.executor.args,
      path.join(inside, NOTEBOOK_FILE),
      "--out",
      path.join(inside, EXECUTED_FILE),
      "--cwd",
      inside,
      "--cell-timeout",
      String(cellTimeoutS),
      "--timeout",
      String(timeoutS),
      // The notebook's own outputs: past this the executor stops the notebook (output-limit) and still
      // writes the executed notebook, cut at the limit, for the student to see.
      "--max-output",
      String(limits.maxOutputBytes),
    ];
    const setupMs = Date.now() - t0;
    log("runner", `executing notebook (${mode === "bwrap" ? "sandboxed" : "UNSAFE: no sandbox"}, timeout ${timeoutS} s)`);

    // The executor's JSON-lines progress says when its own --timeout/--cell-timeout or --max-output fired.
    let executorTimedOut = false;
    let executorOutputLimit = false;
    const out = lineSplitter((l) => {
      if (l.startsWith("{") && (l.includes("timeout") || l.includes("output-limit"))) {
        try {
          const e = JSON.parse(l) as { event?: unknown; status?: unknown; reason?: unknown };
          if ((e.event === "done" || e.event === "cell-end") && e.status === "timeout") executorTimedOut = true;
          if (e.event === "error" && e.reason === "output-limit") executorOutputLimit = true;
        } catch {
          // not an event
        }
      }
      log("stdout", l);
    });
    const err = lineSplitter((l) => log("stderr", l));
    const tExec = Date.now();
    // The executor gets a little extra wall time to write the executed notebook after its own --timeout.
    const result = await runSandboxed({
      command: opts.executor.command,
      args,
      workDir,
      readOnlyBinds: binds,
      extraPath: opts.extraPath,
      env: { COURSE_DATA_DIR: dataDir, ...opts.env },
      limits: {
        ...limits,
        wallTimeMs: limits.wallTimeMs + (opts.graceMs ?? 10_000),
        // A backstop on the raw stream: the executor's progress events repeat the outputs (JSON-escaped),
        // so the notebook's own cap (--max-output) is hit first and the executed notebook gets written.
        maxOutputBytes: rawOutputCap(limits.maxOutputBytes),
      },
      mode,
      gpu: opts.gpu,
      bwrapPath: opts.bwrapPath,
      sandboxUid: opts.sandboxUid,
      memoryCgroup: opts.memoryCgroup,
      signal: opts.signal,
      onStdout: (s) => out.push(s),
      onStderr: (s) => err.push(s),
    });
    out.flush();
    err.flush();
    const executeMs = Date.now() - tExec;
    log("runner", `executor finished: ${result.message} (${(executeMs / 1000).toFixed(1)} s)`);
    if (result.peakMemoryBytes !== null) {
      log("runner", `memory: peak ${Math.round(result.peakMemoryBytes / MiB)} MiB of ${Math.round(limits.memoryBytes / MiB)} MiB (${result.memoryEnforcement})`);
    }

    let executedNotebook: string | null = null;
    try {
      // Outputs up to the cap (JSON-escaped, split into lines) plus the notebook itself must fit.
      const maxExecuted = Math.max(DEFAULT_MAX_EXECUTED_BYTES, 2 * limits.maxOutputBytes + nbBytes.length);
      executedNotebook = (await readUntrustedFile(path.join(workDir, EXECUTED_FILE), maxExecuted)).toString("utf8");
    } catch (e) {
      if (!(e instanceof UntrustedFileError)) throw e;
      log("runner", `no executed notebook: ${e.message}`);
    }

    if (!result.ok) {
      const reason: FailureReason =
        // The runner's own kill wins; then the executor's word; then the guess from the output's tail.
        (result.outcome === "killed" ? result.limit : null) ??
        (executorOutputLimit ? "output limit" : null) ??
        result.limit ??
        (result.cancelled
          ? "cancelled"
          : result.outcome === "sandbox error"
            ? "sandbox error"
            : executorTimedOut
              ? "timeout"
              : "notebook error");
      const lastLines = result.outputTail.trim().split("\n").slice(-15).join("\n");
      const message =
        reason === "notebook error"
          ? `${result.message}\n${lastLines}`
          : reason === "timeout" && !result.limit
            ? `the notebook ran past its time limit (cell ${cellTimeoutS} s, notebook ${timeoutS} s)`
            : reason === "output limit"
              ? `the notebook printed more than ${Math.round((limits.maxOutputBytes / MiB) * 10) / 10} MiB of output (${limits.maxOutputBytes} bytes) and was stopped; ` +
                (executedNotebook !== null ? "the executed notebook shows its output up to the limit" : "no executed notebook was written")
              : result.message;
      return { ok: false, reason, message, executedNotebook, timings: timings(setupMs, executeMs, 0), workDir };
    }
    if (executedNotebook === null) {
      return {
        ok: false,
        reason: "notebook error",
        message: `the executor exited successfully but wrote no ${EXECUTED_FILE}`,
        executedNotebook,
        timings: timings(setupMs, executeMs, 0),
        workDir,
      };
    }

    const tScore = Date.now();
    const scored = await scoreSubmissionFile(path.join(workDir, SUBMISSION_FILE), opts.benchmark, {
      maxBytes: opts.maxSubmissionBytes,
    });
    const scoreMs = Date.now() - tScore;
    if (!scored.ok) {
      log("runner", scored.message);
      return { ok: false, reason: scored.reason, message: scored.message, executedNotebook, timings: timings(setupMs, executeMs, scoreMs), workDir };
    }
    const o = scored.scores.overall;
    log("runner", `scored ${o.count} predictions: accuracy ${(o.accuracy * 100).toFixed(2)}%, log loss ${o.logLoss.toFixed(4)}`);
    return {
      ok: true,
      executedNotebook,
      submissionCsv: scored.text,
      scores: scored.scores,
      timings: timings(setupMs, executeMs, scoreMs),
      workDir,
    };
  } finally {
    await cleanup();
  }
}
