import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { createBenchmark } from "./benchmark/create";
import { BenchmarkError, loadBenchmark } from "./benchmark/manifest";
import { detectCapabilities } from "./capabilities";
import { ConfigError, defaultExecutorBinds, limitsFromSettings, loadSettings, modelsMount, parseBind, type RunnerSettings } from "./config";
import { gradeNotebook, parseExecutor } from "./job/grade";
import { describeModels } from "./models";
import { HttpJobSource } from "./job/http-source";
import { runWorker } from "./job/worker";
import type { LogLine, Scores } from "./protocol";
import { detectMemoryCgroup } from "./sandbox/cgroup";
import { checkSandbox, MEMORY_POLL_MS, type SandboxMode } from "./sandbox/sandbox";
import { scoreSubmissionFile } from "./scoring/score-file";

const USAGE = `course-runner: the grading worker

  course-runner benchmark create --from-kaggle <dir> --out <dir> [--seed N] [--valid-fraction f] [--test-fraction f] [--name s] [--link]
  course-runner score <submission.csv> --benchmark <dir> [--json]
  course-runner grade <notebook.ipynb> --benchmark <dir> [--executor "<cmd>"] [--out <executed.ipynb>]
                      [--unsafe-no-sandbox] [--bind <host>[:<sandbox>]]... [--keep] [--json] [limits]
  course-runner work --server <url> --token <token> --benchmarks-dir <dir> [--executor "<cmd>"] [--once]
                     [--unsafe-no-sandbox] [--name s] [--backend s] [limits]
  course-runner check                      is the bubblewrap sandbox usable here?

limits: --timeout s  --cell-timeout s  --memory-mb n (the whole job, default 4096, 0 = none)  --heap-mb n  --max-processes n
        --memory-cgroup auto|off|<dir> (cgroup v2 for the memory cap; else a /proc watchdog)
        --max-file-mb n  --max-output-mb n  --max-disk-mb n  --tmp-mb n  --sandbox-uid n (when root; default 64000)
        --models-dir <dir>  pretrained models (<id>/model.json) for notebooks, read-only at /opt/models (COURSE_MODELS_FROM)
env:    RUNNER_TOKEN COURSE_SERVER_URL COURSE_BENCHMARKS_DIR COURSE_NOTEBOOK_EXECUTOR COURSE_RUNNER_JOBS_DIR COURSE_BWRAP
        RUNNER_NAME COURSE_ML_BACKEND RUNNER_TIMEOUT_S RUNNER_CELL_TIMEOUT_S RUNNER_MEMORY_MB RUNNER_MEMORY_CGROUP RUNNER_HEAP_MB
        RUNNER_MAX_PROCESSES RUNNER_MAX_FILE_MB RUNNER_MAX_OUTPUT_MB RUNNER_MAX_DISK_MB RUNNER_TMP_MB RUNNER_SANDBOX_UID
`;

class UsageError extends Error {}

const LIMIT_OPTIONS = {
  timeout: { type: "string" },
  "cell-timeout": { type: "string" },
  "memory-mb": { type: "string" },
  "memory-cgroup": { type: "string" },
  "heap-mb": { type: "string" },
  "max-processes": { type: "string" },
  "max-file-mb": { type: "string" },
  "max-output-mb": { type: "string" },
  "max-disk-mb": { type: "string" },
  "tmp-mb": { type: "string" },
  "sandbox-uid": { type: "string" },
  "models-dir": { type: "string" },
  executor: { type: "string" },
  "jobs-dir": { type: "string" },
  "unsafe-no-sandbox": { type: "boolean" },
  bind: { type: "string", multiple: true },
  gpu: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

function parse<O extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** How notebooks are run, the same for `grade` and `work`: executor, limits, sandbox binds and environment. */
function executionOptions(settings: RunnerSettings, binds: string[] | undefined, mode: SandboxMode) {
  const defaults = defaultExecutorBinds();
  const models = modelsMount(settings);
  return {
    executor: parseExecutor(settings.executor),
    jobsDir: settings.jobsDir,
    limits: limitsFromSettings(settings),
    cellTimeoutSeconds: settings.cellTimeoutSeconds,
    mode,
    readOnlyBinds: [...defaults.binds, ...models.binds, ...(binds ?? []).map(parseBind)],
    env: models.env,
    extraPath: defaults.extraPath,
    bwrapPath: settings.bwrapPath,
    sandboxUid: settings.sandboxUid,
    memoryCgroup: settings.memoryCgroup,
  };
}

/** One line on how the job memory cap is enforced here (cgroup v2 or the /proc watchdog, and why). */
async function describeMemoryCap(settings: RunnerSettings): Promise<string> {
  if (settings.memoryMb === 0) return "memory: no per-job cap (--memory-mb 0)";
  const cg = await detectMemoryCgroup(settings.memoryCgroup);
  if (!cg.ok && settings.memoryCgroup !== "auto" && settings.memoryCgroup !== "off") {
    // Asked for by name: do not quietly run with the weaker watchdog instead.
    throw new ConfigError(`--memory-cgroup / RUNNER_MEMORY_CGROUP ${settings.memoryCgroup}: ${cg.why}`);
  }
  const how = cg.ok ? cg.how : `the runner's /proc watchdog (every ${MEMORY_POLL_MS} ms; no cgroup: ${cg.why})`;
  const total = Math.floor(os.totalmem() / 2 ** 20);
  const warn = settings.memoryMb > total ? ` WARNING: more than this machine's ${total} MiB` : "";
  return `memory: ${settings.memoryMb} MiB per job (all its processes), enforced by ${how}${warn}`;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function settingsFrom(values: Record<string, unknown>): RunnerSettings {
  return loadSettings({
    timeoutSeconds: str(values.timeout),
    cellTimeoutSeconds: str(values["cell-timeout"]),
    memoryMb: str(values["memory-mb"]),
    memoryCgroup: str(values["memory-cgroup"]),
    heapMb: str(values["heap-mb"]),
    maxProcesses: str(values["max-processes"]),
    maxFileMb: str(values["max-file-mb"]),
    maxOutputMb: str(values["max-output-mb"]),
    maxDiskMb: str(values["max-disk-mb"]),
    tmpMb: str(values["tmp-mb"]),
    sandboxUid: str(values["sandbox-uid"]),
    executor: str(values.executor),
    jobsDir: str(values["jobs-dir"]),
    serverUrl: str(values.server),
    token: str(values.token),
    benchmarksDir: str(values["benchmarks-dir"]),
    modelsDir: str(values["models-dir"]),
    runnerName: str(values.name),
    backend: str(values.backend),
  });
}

/** Refuses to go on without a working sandbox unless --unsafe-no-sandbox was given. */
async function sandboxMode(unsafe: boolean, settings: RunnerSettings): Promise<SandboxMode> {
  if (unsafe) {
    console.error("WARNING: --unsafe-no-sandbox: notebooks run directly on this machine with only rlimits. Trusted code only.");
    return "unsafe-no-sandbox";
  }
  const check = await checkSandbox(settings.bwrapPath);
  if (!check.ok) {
    throw new ConfigError(
      `${check.message}: refusing to run untrusted notebooks without a sandbox (install bubblewrap, or pass --unsafe-no-sandbox for trusted code)`,
    );
  }
  return "bwrap";
}

function progressPrinter() {
  const tty = process.stderr.isTTY;
  let lastPct = -1;
  return (e: { phase: string; done: number; total: number }) => {
    const pct = e.total ? Math.floor((e.done / e.total) * 100) : 100;
    if (tty) {
      process.stderr.write(`\r${e.phase.padEnd(5)} ${e.done}/${e.total} (${pct}%)  `);
      if (e.phase === "done") process.stderr.write("\n");
    } else if (e.phase === "done" || e.phase === "scan" || Math.floor(pct / 25) !== Math.floor(lastPct / 25)) {
      process.stderr.write(`${e.phase} ${e.done}/${e.total} (${pct}%)\n`);
    }
    lastPct = e.phase === "hash" || e.phase === "copy" ? pct : -1;
  };
}

function printScores(scores: Scores): void {
  const row = (name: string, m: Scores["overall"]) =>
    `${name.padEnd(8)} ${String(m.count).padStart(6)}  ${(m.accuracy * 100).toFixed(2).padStart(6)}%  ${m.logLoss.toFixed(5)}`;
  console.log(`${"split".padEnd(8)} ${"rows".padStart(6)}  ${"acc".padStart(7)}  log loss`);
  console.log(row("public", scores.public));
  console.log(row("private", scores.private));
  console.log(row("overall", scores.overall));
}

function printLog(line: LogLine): void {
  const prefix = line.stream === "runner" ? "[runner]" : line.stream === "stderr" ? "[stderr]" : "[nb]";
  process.stderr.write(`${prefix} ${line.text}\n`);
}

async function cmdBenchmark(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "create") throw new UsageError(`unknown benchmark command ${JSON.stringify(sub ?? "")}; expected "create"`);
  const { values, positionals } = parse(rest, {
    "from-kaggle": { type: "string" },
    out: { type: "string" },
    seed: { type: "string" },
    "valid-fraction": { type: "string" },
    "test-fraction": { type: "string" },
    name: { type: "string" },
    link: { type: "boolean" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!values["from-kaggle"] || !values.out) throw new UsageError("benchmark create needs --from-kaggle <dir> and --out <dir>");
  const num = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${flag}: expected a number, got ${JSON.stringify(v)}`);
    return n;
  };
  const created = await createBenchmark({
    fromKaggle: values["from-kaggle"],
    out: values.out,
    seed: num("seed", values.seed),
    validFraction: num("valid-fraction", values["valid-fraction"]),
    testFraction: num("test-fraction", values["test-fraction"]),
    name: values.name,
    link: values.link,
    onProgress: progressPrinter(),
  });
  const c = created.manifest.counts;
  console.log(
    `benchmark "${created.manifest.name}" in ${created.dir}: train ${c.train.cats} cats + ${c.train.dogs} dogs, ` +
      `valid ${c.valid.cats} + ${c.valid.dogs}, test ${c.test} (labels in hidden/labels.csv; seed ${created.manifest.seed})`,
  );
  return 0;
}

async function cmdScore(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { benchmark: { type: "string" }, json: { type: "boolean" } });
  const [file] = positionals;
  if (!file || !values.benchmark) throw new UsageError("score needs <submission.csv> and --benchmark <dir>");
  const bench = await loadBenchmark(values.benchmark);
  const t0 = performance.now();
  const r = await scoreSubmissionFile(path.resolve(file), bench);
  const ms = performance.now() - t0;
  if (!r.ok) {
    console.error(r.message);
    return 1;
  }
  if (values.json) console.log(JSON.stringify(r.scores));
  else {
    printScores(r.scores);
    console.error(`scored in ${ms.toFixed(0)} ms`);
  }
  return 0;
}

async function cmdGrade(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...LIMIT_OPTIONS,
    benchmark: { type: "string" },
    out: { type: "string" },
    keep: { type: "boolean" },
    json: { type: "boolean" },
  });
  const [file] = positionals;
  if (!file || !values.benchmark) throw new UsageError("grade needs <notebook.ipynb> and --benchmark <dir>");
  const settings = settingsFrom(values);
  const mode = await sandboxMode(values["unsafe-no-sandbox"] ?? false, settings);
  const bench = await loadBenchmark(values.benchmark);
  console.error(`[runner] ${await describeMemoryCap(settings)}`);
  console.error(`[runner] ${describeModels(settings.modelsDir)}`);
  const outcome = await gradeNotebook({
    ...executionOptions(settings, values.bind, mode),
    notebook: await readFile(file),
    benchmark: bench,
    gpu: values.gpu,
    keepWorkDir: values.keep,
    onLog: printLog,
  });
  if (values.out && outcome.executedNotebook) await writeFile(values.out, outcome.executedNotebook);
  if (values.keep && outcome.workDir) console.error(`work directory kept: ${outcome.workDir}`);
  if (values.json) {
    const { executedNotebook: _nb, ...rest } = outcome;
    console.log(JSON.stringify(rest));
  }
  if (!outcome.ok) {
    console.error(`FAILED (${outcome.reason}): ${outcome.message}`);
    return 1;
  }
  if (!values.json) printScores(outcome.scores);
  console.error(`total ${(outcome.timings.totalMs / 1000).toFixed(1)} s (execute ${(outcome.timings.executeMs / 1000).toFixed(1)} s)`);
  return 0;
}

async function cmdWork(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...LIMIT_OPTIONS,
    server: { type: "string" },
    token: { type: "string" },
    "benchmarks-dir": { type: "string" },
    name: { type: "string" },
    backend: { type: "string" },
    once: { type: "boolean" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const settings = settingsFrom(values);
  if (!settings.serverUrl) throw new ConfigError("work needs --server <url> (or COURSE_SERVER_URL)");
  if (!settings.token) throw new ConfigError("work needs --token <token> (or RUNNER_TOKEN)");
  if (!settings.benchmarksDir) throw new ConfigError("work needs --benchmarks-dir <dir> (or COURSE_BENCHMARKS_DIR)");
  const mode = await sandboxMode(values["unsafe-no-sandbox"] ?? false, settings);
  const capabilities = await detectCapabilities({
    runnerName: settings.runnerName,
    backend: settings.backend,
    sandbox: mode === "bwrap" ? "bubblewrap" : "none",
  });
  const log = (m: string) => console.error(`${new Date().toISOString()} ${m}`);
  log(`runner ${capabilities.runnerName}: ${capabilities.cpuModel} x${capabilities.cpuCount}, GPU ${capabilities.gpu ?? "none"}, backend ${capabilities.backend}, sandbox ${capabilities.sandbox}`);
  log(await describeMemoryCap(settings));
  log(describeModels(settings.modelsDir));
  log(`serving ${settings.serverUrl}`);
  const source = new HttpJobSource({ serverUrl: settings.serverUrl, token: settings.token, capabilities, log });
  const ac = new AbortController();
  const stop = () => {
    log("stopping: the running job is killed; its lease will expire and the server requeues it");
    ac.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await runWorker({
    ...executionOptions(settings, values.bind, mode),
    source,
    capabilities,
    benchmarksDir: settings.benchmarksDir,
    gpu: values.gpu ?? capabilities.gpu !== null,
    log,
    signal: ac.signal,
    maxJobs: values.once ? 1 : undefined,
  });
  return 0;
}

async function cmdCheck(): Promise<number> {
  const settings = loadSettings({});
  const r = await checkSandbox(settings.bwrapPath);
  console.log(r.message);
  return r.ok ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case "benchmark":
        return await cmdBenchmark(rest);
      case "score":
        return await cmdScore(rest);
      case "grade":
        return await cmdGrade(rest);
      case "work":
        return await cmdWork(rest);
      case "check":
        return await cmdCheck();
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ConfigError || e instanceof BenchmarkError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
