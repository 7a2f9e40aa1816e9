// Executes a TypeScript/JavaScript notebook in a kernel child process, cell by cell, like
// `jupyter nbconvert --execute`: outputs are replaced, execution stops at the first error.
import path from "node:path";
import { notebookLanguage, type NotebookLanguage } from "../language";
import { joinMultiline } from "../multiline";
import type { CodeCell, Notebook } from "../schema";
import { KernelProcess, type KernelEvent, type RunOutcome } from "./kernel-process";
import { CellOutputs, OutputBudget } from "./outputs";
import { cellFileName, CellSourceMaps, renderKernelError, renderSyntaxErrors, type RenderedError } from "./traceback";
import { CellCompileError, transpileCell } from "./transpile";

export const DEFAULT_MAX_OUTPUT_BYTES = 10 * 1024 * 1024;
export const DEFAULT_HEARTBEAT_MS = 10_000;
export const DEFAULT_DRAIN_MS = 2_000;

export type ExecutionStatus = "ok" | "error" | "timeout" | "aborted";
export type FailureReason =
  | "exception"
  | "syntax-error"
  | "cell-timeout"
  | "notebook-timeout"
  | "output-limit"
  | "kernel-died"
  | "kernel-start"
  | "aborted"
  | "unsupported-language";
export type CellStatus = "ok" | "error" | "timeout" | "aborted";

export type ExecutionEvent =
  | { event: "start"; cells: number; codeCells: number; language: NotebookLanguage }
  | { event: "cell-start"; index: number; count: number; executionCount: number }
  | { event: "stream"; index: number; name: "stdout" | "stderr"; text: string }
  | { event: "display"; index: number; mimeTypes: string[] }
  | { event: "result"; index: number; mimeTypes: string[] }
  | { event: "output-truncated"; index: number; limitBytes: number }
  | { event: "heartbeat"; index: number; elapsedMs: number }
  | { event: "cell-end"; index: number; count: number; executionCount: number; status: CellStatus; durationMs: number }
  | { event: "error"; index: number | null; reason: FailureReason; ename: string; evalue: string; traceback: string[] }
  | { event: "done"; status: ExecutionStatus; durationMs: number; cellsRun: number; codeCells: number; outputTruncated: boolean };

export interface ExecuteOptions {
  /** Working directory of the kernel (relative paths, imports of local files and packages). Default: process.cwd(). */
  cwd?: string;
  /** Limit for one cell, in ms (sync loops included: the kernel process is killed). Default: none. */
  cellTimeoutMs?: number;
  /** Limit for the whole notebook including kernel start, in ms. Default: none. */
  timeoutMs?: number;
  /** Total bytes of outputs kept; later output is dropped with a note. Default 10 MiB. */
  maxOutputBytes?: number;
  /**
   * What reaching maxOutputBytes does. "fail" (default): the kernel is stopped at once and the cell
   * fails with OutputLimitExceeded (reason "output-limit"), like a time limit: a notebook printing in
   * a loop ends in seconds, not at its timeout. "truncate": later output is dropped and execution goes on.
   */
  outputLimit?: "fail" | "truncate";
  /** Progress events, in order. */
  onEvent?: (event: ExecutionEvent) => void;
  /** Interval of heartbeat events while a cell runs; 0 disables. Default 10 s. */
  heartbeatMs?: number;
  /** After the last cell, how long pending timers/I/O may run before the kernel is stopped. Default 2 s. */
  drainMs?: number;
  /** Extra directories to resolve bare imports from (after cwd, before the executor's own packages). */
  resolveDirs?: string[];
  /** Heap limit of the kernel process (--max-old-space-size). */
  maxMemoryMb?: number;
  /** Environment of the kernel process. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Language override; default from the notebook metadata (TypeScript when absent). */
  language?: NotebookLanguage;
  signal?: AbortSignal;
}

export interface CellTiming {
  index: number;
  executionCount: number;
  status: CellStatus;
  durationMs: number;
}

export interface ExecutionFailure {
  /** Index of the failing cell in notebook.cells, or null when no cell was running. */
  index: number | null;
  reason: FailureReason;
  ename: string;
  evalue: string;
}

export interface ExecuteResult {
  notebook: Notebook;
  status: ExecutionStatus;
  failure?: ExecutionFailure;
  cells: CellTiming[];
  durationMs: number;
  outputTruncated: boolean;
}

function isBlank(cell: CodeCell): boolean {
  return joinMultiline(cell.source).trim() === "";
}

function formatMiB(bytes: number): string {
  return `${Math.round((bytes / 2 ** 20) * 10) / 10} MiB`;
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms) / 1000}s`;
}

/** Runs every code cell in order in one kernel; never throws for notebook errors (see status). */
export async function executeNotebook(input: Notebook, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const started = performance.now();
  const emit = (event: ExecutionEvent) => options.onEvent?.(event);
  const nb = structuredClone(input);
  const elapsed = () => performance.now() - started;
  const remaining = () => (options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : options.timeoutMs - elapsed());
  const budget = new OutputBudget(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
  const timings: CellTiming[] = [];
  const codeCells = nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
  for (const cell of codeCells) {
    cell.outputs = [];
    cell.execution_count = null;
  }

  let failure: ExecutionFailure | undefined;
  let status: ExecutionStatus = "ok";
  const finish = (): ExecuteResult => {
    const durationMs = elapsed();
    emit({ event: "done", status, durationMs, cellsRun: timings.length, codeCells: codeCells.length, outputTruncated: budget.truncated });
    return { notebook: nb, status, ...(failure ? { failure } : {}), cells: timings, durationMs, outputTruncated: budget.truncated };
  };
  const fail = (index: number | null, reason: FailureReason, rendered: Pick<RenderedError, "ename" | "evalue" | "traceback">, newStatus: ExecutionStatus) => {
    failure = { index, reason, ename: rendered.ename, evalue: rendered.evalue };
    status = newStatus;
    emit({ event: "error", index, reason, ename: rendered.ename, evalue: rendered.evalue, traceback: rendered.traceback });
  };

  let language: NotebookLanguage;
  try {
    language = options.language ?? notebookLanguage(nb);
  } catch (error) {
    const evalue = error instanceof Error ? error.message : String(error);
    emit({ event: "start", cells: nb.cells.length, codeCells: codeCells.length, language: "typescript" });
    fail(null, "unsupported-language", { ename: "UnsupportedLanguage", evalue, traceback: [`UnsupportedLanguage: ${evalue}`] }, "error");
    return finish();
  }
  emit({ event: "start", cells: nb.cells.length, codeCells: codeCells.length, language });

  const kernel = new KernelProcess({
    cwd: path.resolve(options.cwd ?? process.cwd()),
    env: options.env,
    maxMemoryMb: options.maxMemoryMb,
    maxOutputBytes: budget.limit,
    resolveDirs: (options.resolveDirs ?? []).map((d) => path.resolve(d)),
  });
  const maps = new CellSourceMaps();
  const failOnOutputLimit = (options.outputLimit ?? "fail") === "fail";
  let outputLimitHit = false;
  let current: { index: number; outputs: CellOutputs } | undefined;
  let lastRun: { cell: CodeCell; outputs: CellOutputs } | undefined;

  const onOutput = (event: KernelEvent) => {
    if (!current) return;
    const { index, outputs } = current;
    const wasTruncated = budget.truncated;
    if (event.type === "stream") {
      const before = budget.remaining;
      outputs.stream(event.name, event.text);
      if (!wasTruncated) emit({ event: "stream", index, name: event.name, text: budget.truncated ? event.text.slice(0, before) : event.text });
    } else if (event.type === "display") {
      outputs.display(event.data, event.metadata);
      if (!budget.truncated) emit({ event: "display", index, mimeTypes: Object.keys(event.data) });
    } else outputs.truncatedByKernel(event.name);
    if (!wasTruncated && budget.truncated) {
      emit({ event: "output-truncated", index, limitBytes: budget.limit });
      if (failOnOutputLimit) {
        // The kernel may be in a synchronous print loop: only killing it stops the flood.
        outputLimitHit = true;
        void kernel.kill();
      }
    }
  };
  const outputLimitError = (fileName: string) => {
    const evalue = `the notebook's output exceeded the limit of ${budget.limit} bytes (${formatMiB(budget.limit)}); execution was stopped there`;
    return { ename: "OutputLimitExceeded", evalue, traceback: [`OutputLimitExceeded: ${evalue}`, `    at ${fileName}`] };
  };
  kernel.onOutput = onOutput;

  const onAbort = () => void kernel.kill();
  options.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    try {
      const startLimit = remaining();
      let startTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        kernel.start(),
        new Promise<never>((_, reject) => {
          if (Number.isFinite(startLimit)) startTimer = setTimeout(() => reject(new Error(`the notebook time limit of ${formatSeconds(options.timeoutMs ?? 0)} ran out while the kernel started`)), Math.max(0, startLimit));
        }),
      ]).finally(() => clearTimeout(startTimer));
    } catch (error) {
      const evalue = error instanceof Error ? error.message : String(error);
      fail(null, "kernel-start", { ename: "KernelStartError", evalue, traceback: [`KernelStartError: ${evalue}`] }, remaining() <= 0 ? "timeout" : "error");
      return finish();
    }

    let executionCount = 0;
    for (const [index, cell] of nb.cells.entries()) {
      if (cell.cell_type !== "code" || isBlank(cell)) continue;
      if (options.signal?.aborted) {
        fail(null, "aborted", { ename: "Aborted", evalue: "execution was aborted", traceback: ["Aborted: execution was aborted"] }, "aborted");
        break;
      }
      executionCount++;
      const cellStarted = performance.now();
      const outputs = new CellOutputs(budget, executionCount);
      current = { index, outputs };
      lastRun = { cell, outputs };
      emit({ event: "cell-start", index, count: nb.cells.length, executionCount });
      const source = joinMultiline(cell.source);
      const fileName = cellFileName(executionCount);

      let cellStatus: CellStatus = "ok";
      let outcome: RunOutcome | { type: "timeout"; which: "cell" | "notebook" } | { type: "aborted" } | { type: "compile"; rendered: RenderedError };
      try {
        const transpiled = transpileCell(source, { language, fileName });
        maps.add(executionCount, source, transpiled.map, transpiled.firstLineOffset);
        outcome = await runWithLimits(kernel, transpiled.code, fileName, index, options, remaining(), emit, cellStarted);
      } catch (error) {
        if (!(error instanceof CellCompileError)) throw error;
        outcome = { type: "compile", rendered: renderSyntaxErrors(error.errors, executionCount, source) };
      }

      if (outputLimitHit && outcome.type !== "compile") {
        const rendered = outputLimitError(fileName);
        outputs.error(rendered);
        cellStatus = "error";
        fail(index, "output-limit", rendered, "error");
      } else switch (outcome.type) {
        case "result":
          if (outcome.data) {
            outputs.result(outcome.data, outcome.metadata);
            if (!budget.truncated) emit({ event: "result", index, mimeTypes: Object.keys(outcome.data) });
          }
          break;
        case "compile":
          outputs.error(outcome.rendered);
          cellStatus = "error";
          fail(index, "syntax-error", outcome.rendered, "error");
          break;
        case "error":
        case "async-error": {
          const rendered = renderKernelError(outcome.error, maps);
          outputs.error(rendered);
          cellStatus = "error";
          fail(index, "exception", rendered, "error");
          break;
        }
        case "timeout": {
          const limit = outcome.which === "cell" ? options.cellTimeoutMs ?? 0 : options.timeoutMs ?? 0;
          const evalue = outcome.which === "cell" ? `cell execution exceeded the cell time limit of ${formatSeconds(limit)}` : `notebook execution exceeded the time limit of ${formatSeconds(limit)}`;
          const rendered = { ename: "TimeoutError", evalue, traceback: [`TimeoutError: ${evalue}`, `    at ${fileName}`] };
          outputs.error(rendered);
          cellStatus = "timeout";
          fail(index, outcome.which === "cell" ? "cell-timeout" : "notebook-timeout", rendered, "timeout");
          break;
        }
        case "aborted": {
          const rendered = { ename: "Aborted", evalue: "execution was aborted", traceback: ["Aborted: execution was aborted"] };
          outputs.error(rendered);
          cellStatus = "aborted";
          fail(index, "aborted", rendered, "aborted");
          break;
        }
        case "exit": {
          const how = outcome.signal ? `signal ${outcome.signal}` : `exit code ${outcome.code}`;
          const evalue = `the kernel process stopped (${how}) while this cell ran (process.exit(), out of memory, or a crash)`;
          const rendered = { ename: "KernelDied", evalue, traceback: [`KernelDied: ${evalue}`, `    at ${fileName}`] };
          outputs.error(rendered);
          cellStatus = "error";
          fail(index, "kernel-died", rendered, "error");
          break;
        }
      }
      cell.outputs = outputs.finish();
      cell.execution_count = executionCount;
      const durationMs = performance.now() - cellStarted;
      timings.push({ index, executionCount, status: cellStatus, durationMs });
      emit({ event: "cell-end", index, count: nb.cells.length, executionCount, status: cellStatus, durationMs });
      if (cellStatus !== "ok") break;
    }

    if (status === "ok" && lastRun) {
      // Late output (unawaited timers, I/O) belongs to the last cell, as in a live kernel.
      const drainFor = Math.min(options.drainMs ?? DEFAULT_DRAIN_MS, Math.max(0, remaining()));
      let lateError: RunOutcome | undefined;
      kernel.onIdleAsyncError = (o) => {
        lateError ??= o;
      };
      await kernel.finish(drainFor);
      const last = lastRun;
      if (outputLimitHit && current) {
        // Late output (timers after the last cell) ran over the cap.
        const rendered = outputLimitError(cellFileName(last.cell.execution_count ?? 0));
        last.outputs.error(rendered);
        fail(current.index, "output-limit", rendered, "error");
        const timing = timings.at(-1);
        if (timing) timing.status = "error";
      } else if (lateError && lateError.type === "async-error" && current) {
        const rendered = renderKernelError(lateError.error, maps);
        last.outputs.error(rendered);
        fail(current.index, "exception", rendered, "error");
        const timing = timings.at(-1);
        if (timing) timing.status = "error";
      }
      last.cell.outputs = last.outputs.finish();
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    current = undefined;
    await kernel.kill();
  }
  return finish();
}

async function runWithLimits(
  kernel: KernelProcess,
  code: string,
  fileName: string,
  index: number,
  options: ExecuteOptions,
  notebookRemaining: number,
  emit: (e: ExecutionEvent) => void,
  cellStarted: number,
): Promise<RunOutcome | { type: "timeout"; which: "cell" | "notebook" } | { type: "aborted" }> {
  const cellLimit = options.cellTimeoutMs ?? Number.POSITIVE_INFINITY;
  const which: "cell" | "notebook" = cellLimit <= notebookRemaining ? "cell" : "notebook";
  const limit = Math.min(cellLimit, notebookRemaining);
  const timers: NodeJS.Timeout[] = [];
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  if (heartbeatMs > 0) {
    timers.push(setInterval(() => emit({ event: "heartbeat", index, elapsedMs: Math.round(performance.now() - cellStarted) }), heartbeatMs));
  }
  try {
    const run = kernel.run(code, fileName);
    const limits: Promise<{ type: "timeout"; which: "cell" | "notebook" } | { type: "aborted" }>[] = [];
    if (Number.isFinite(limit)) {
      limits.push(
        new Promise((resolve) => {
          timers.push(setTimeout(() => resolve({ type: "timeout", which }), Math.max(0, limit)));
        }),
      );
    }
    const signal = options.signal;
    if (signal) {
      limits.push(
        new Promise((resolve) => {
          if (signal.aborted) resolve({ type: "aborted" });
          signal.addEventListener("abort", () => resolve({ type: "aborted" }), { once: true });
        }),
      );
    }
    const outcome = await Promise.race([run, ...limits]);
    // A timed-out or aborted cell may be stuck in a synchronous loop: only killing the process stops it.
    if (outcome.type === "timeout" || outcome.type === "aborted") await kernel.kill();
    return outcome;
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}

export type { DisplayFunction, ImageOptions } from "./display";
export type { NotebookLanguage } from "../language";
