/**
 * Runner <-> web app protocol (HTTP, JSON, `Authorization: Bearer <runner token>`).
 *
 *   POST {server}/api/runner/claim                 ClaimRequest     -> 200 ClaimResponse | 204 (nothing to do)
 *   POST {server}/api/runner/jobs/{id}/heartbeat   HeartbeatRequest -> 200 HeartbeatResponse | 404/409 (lease lost)
 *   POST {server}/api/runner/jobs/{id}/complete    CompleteRequest  -> 200 AckResponse (idempotent)
 *   POST {server}/api/runner/jobs/{id}/fail        FailRequest      -> 200 AckResponse (idempotent)
 *
 * The web app imports these same schemas from `@course/runner/protocol`.
 */
import { z } from "zod";

export const RUNNER_API_PREFIX = "/api/runner";

export const runnerPaths = {
  claim: () => `${RUNNER_API_PREFIX}/claim`,
  heartbeat: (jobId: string) => `${RUNNER_API_PREFIX}/jobs/${encodeURIComponent(jobId)}/heartbeat`,
  complete: (jobId: string) => `${RUNNER_API_PREFIX}/jobs/${encodeURIComponent(jobId)}/complete`,
  fail: (jobId: string) => `${RUNNER_API_PREFIX}/jobs/${encodeURIComponent(jobId)}/fail`,
} as const;

/** What a runner machine offers; the site shows it next to results. */
export const CapabilitiesSchema = z.object({
  runnerName: z.string().min(1).max(200),
  runnerVersion: z.string().max(100),
  cpuModel: z.string().max(300),
  cpuCount: z.number().int().nonnegative(),
  memoryBytes: z.number().int().nonnegative(),
  /** e.g. "NVIDIA H100 80GB HBM3"; null when no GPU was found. */
  gpu: z.string().max(300).nullable(),
  /** ML backend the notebooks will use, e.g. "tensorflow-cpu", "cuda". */
  backend: z.string().min(1).max(100),
  platform: z.string().max(100),
  sandbox: z.enum(["bubblewrap", "none"]),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

export const LogLineSchema = z.object({
  /** ISO-8601 time the runner saw the line. */
  at: z.string().datetime(),
  stream: z.enum(["stdout", "stderr", "runner"]),
  text: z.string().max(10_000),
});
export type LogLine = z.infer<typeof LogLineSchema>;

export const ClaimRequestSchema = z.object({
  capabilities: CapabilitiesSchema,
  /** How long the server may hold the request open before answering 204. */
  waitSeconds: z.number().int().min(0).max(60),
});
export type ClaimRequest = z.infer<typeof ClaimRequestSchema>;

/** Per-job limits the server may ask for; the runner clamps them to its own maxima. */
export const JobLimitsSchema = z.object({
  timeoutSeconds: z.number().int().positive().optional(),
  cellTimeoutSeconds: z.number().int().positive().optional(),
});
export type JobLimits = z.infer<typeof JobLimitsSchema>;

export const ClaimedJobSchema = z.object({
  id: z.string().min(1).max(200),
  /** 1 for the first attempt; the server requeues expired leases. */
  attempt: z.number().int().positive(),
  /** Benchmark id, resolved by the runner to `<benchmarksDir>/<benchmarkId>`. */
  benchmarkId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, "benchmark id: lowercase letters, digits, '.', '_', '-'"),
  /** The submitted .ipynb file, as text. */
  notebook: z.string().min(2),
  leaseSeconds: z.number().int().positive(),
  limits: JobLimitsSchema.optional(),
});
export type ClaimedJob = z.infer<typeof ClaimedJobSchema>;

export const ClaimResponseSchema = z.object({ job: ClaimedJobSchema });
export type ClaimResponse = z.infer<typeof ClaimResponseSchema>;

export const HeartbeatRequestSchema = z.object({
  logLines: z.array(LogLineSchema).max(5_000),
});
export type HeartbeatRequest = z.infer<typeof HeartbeatRequestSchema>;

export const HeartbeatResponseSchema = z.object({
  /** New lease expiry (ISO-8601). */
  leaseExpiresAt: z.string().datetime().optional(),
  /** True when the server wants the job stopped (cancelled by a user or an operator). */
  cancel: z.boolean().optional(),
});
export type HeartbeatResponse = z.infer<typeof HeartbeatResponseSchema>;

export const MetricsSchema = z.object({
  /** Rows scored. */
  count: z.number().int().nonnegative(),
  /** Fraction correct with the threshold P(dog) >= 0.5 -> dog. */
  accuracy: z.number().min(0).max(1),
  /** Binary log loss with predictions clipped to [1e-15, 1 - 1e-15]. */
  logLoss: z.number().nonnegative(),
});
export type Metrics = z.infer<typeof MetricsSchema>;

export const ScoresSchema = z.object({
  overall: MetricsSchema,
  public: MetricsSchema,
  private: MetricsSchema,
});
export type Scores = z.infer<typeof ScoresSchema>;

export const TimingsSchema = z.object({
  /** Writing the notebook and preparing the sandbox. */
  setupMs: z.number().nonnegative(),
  /** The sandboxed executor, wall clock. */
  executeMs: z.number().nonnegative(),
  /** Validating and scoring submission.csv. */
  scoreMs: z.number().nonnegative(),
  totalMs: z.number().nonnegative(),
});
export type Timings = z.infer<typeof TimingsSchema>;

export const CompleteRequestSchema = z.object({
  /** The executed .ipynb as text. */
  executedNotebook: z.string(),
  /** The submission.csv the notebook wrote, as text. */
  submissionCsv: z.string(),
  scores: ScoresSchema,
  capabilities: CapabilitiesSchema,
  backend: z.string(),
  timings: TimingsSchema,
  /** Log lines not yet sent by a heartbeat. */
  logLines: z.array(LogLineSchema).max(5_000),
});
export type CompleteRequest = z.infer<typeof CompleteRequestSchema>;

export const FAILURE_REASONS = [
  "timeout",
  "memory limit",
  "output limit",
  "file size limit",
  "process limit",
  "disk limit",
  "notebook error",
  "no submission",
  "invalid submission",
  "invalid notebook",
  "unknown benchmark",
  "cancelled",
  "sandbox error",
  "internal error",
] as const;
export const FailureReasonSchema = z.enum(FAILURE_REASONS);
export type FailureReason = z.infer<typeof FailureReasonSchema>;

export const FailRequestSchema = z.object({
  reason: FailureReasonSchema,
  /** Human-readable details (first problems in submission.csv, the limit that was hit...). */
  message: z.string().max(20_000),
  /** The executed notebook as far as it got, when there is one. */
  executedNotebook: z.string().nullable(),
  capabilities: CapabilitiesSchema,
  timings: TimingsSchema,
  logLines: z.array(LogLineSchema).max(5_000),
});
export type FailRequest = z.infer<typeof FailRequestSchema>;

export const AckResponseSchema = z.object({ ok: z.literal(true) });
export type AckResponse = z.infer<typeof AckResponseSchema>;
