export { createBenchmark, type CreateBenchmarkOptions, type CreatedBenchmark } from "./benchmark/create";
export {
  BENCHMARK_LAYOUT,
  BenchmarkError,
  BenchmarkManifestSchema,
  loadBenchmark,
  parseLabelsCsv,
  readLabels,
  type Benchmark,
  type BenchmarkManifest,
} from "./benchmark/manifest";
export { detectCapabilities, detectGpu, RUNNER_VERSION } from "./capabilities";
export { ConfigError, defaultExecutorBinds, ENV_VARS, limitsFromSettings, loadSettings, RunnerSettingsSchema, type RunnerSettings } from "./config";
export {
  DEFAULT_EXECUTOR,
  gradeNotebook,
  parseExecutor,
  SANDBOX_DATA_DIR,
  type ExecutorCommand,
  type GradeOptions,
  type GradeOutcome,
} from "./job/grade";
export { HttpJobSource, RunnerProtocolError, backoffMs, type HttpJobSourceOptions, type RetryPolicy } from "./job/http-source";
export { LeaseLostError, type JobSource } from "./job/job-source";
export { processJob, runWorker, type JobOutcome, type WorkerOptions } from "./job/worker";
export { classifyExit, DEFAULT_LIMITS, type LimitReason, type SandboxLimits } from "./sandbox/limits";
export { detectMemoryCgroup, type CgroupSupport, type MemoryCgroupSetting } from "./sandbox/cgroup";
export {
  checkSandbox,
  MEMORY_POLL_MS,
  runSandboxed,
  SANDBOX_WORK_DIR,
  SandboxUnavailableError,
  type SandboxBind,
  type MemoryEnforcement,
  type SandboxMode,
  type SandboxOptions,
  type SandboxResult,
} from "./sandbox/sandbox";
export { ACCURACY_THRESHOLD, LOG_LOSS_EPSILON, scorePredictions, splitOf } from "./scoring/score";
export { scoreSubmission, scoreSubmissionFile, type SubmissionScore } from "./scoring/score-file";
export {
  DEFAULT_MAX_SUBMISSION_BYTES,
  describeSubmissionProblems,
  validateSubmission,
  type SubmissionProblem,
  type SubmissionValidation,
} from "./scoring/submission";
export * from "./protocol";
