import type { PrismaClient } from "@course/db";
import { readNotebook, type Notebook } from "@course/notebook";
import { CapabilitiesSchema, ScoresSchema, TimingsSchema, type Capabilities, type Scores, type Timings } from "@course/runner/protocol";
import { badRequest, notFound } from "../errors";
import { cancelJob, requeueJob } from "./queue";
import { createRunnerToken, revokeRunnerToken } from "./tokens";

/** What operators see of runners and grading jobs (`/admin/runners`, `/admin/jobs`), and what they may do to them. */

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobStatusName = (typeof JOB_STATUSES)[number];

/** A runner counts as online when it called the API (claim or heartbeat) this recently. */
export const ONLINE_WINDOW_MS = 2 * 60 * 1000;
/** Log lines returned with one job. */
export const JOB_LOG_LINES = 500;

/** What a job's `result` JSON holds (written by the runner API); each part null when absent or malformed. */
export interface JobResultSummary {
  scores: Scores | null;
  timings: Timings | null;
  capabilities: Capabilities | null;
  backend: string | null;
}

export function summarizeResult(result: unknown): JobResultSummary {
  const r = result && typeof result === "object" ? (result as Record<string, unknown>) : {};
  const scores = ScoresSchema.safeParse(r.scores);
  const timings = TimingsSchema.safeParse(r.timings);
  const capabilities = CapabilitiesSchema.safeParse(r.capabilities);
  return {
    scores: scores.success ? scores.data : null,
    timings: timings.success ? timings.data : null,
    capabilities: capabilities.success ? capabilities.data : null,
    backend: typeof r.backend === "string" ? r.backend : null,
  };
}

export type ParsedNotebook = { ok: true; notebook: Notebook; bytes: number } | { ok: false; error: string; bytes: number };

function parseStoredNotebook(text: string): ParsedNotebook {
  const bytes = Buffer.byteLength(text, "utf8");
  try {
    return { ok: true, notebook: readNotebook(text, { fileName: "notebook.ipynb" }), bytes };
  } catch (error) {
    return { ok: false, error: (error as Error).message, bytes };
  }
}

const REQUEUE_REFUSAL: Partial<Record<JobStatusName, string>> = {
  queued: "This job is already queued.",
  running: "This job is running; cancel it first if it is stuck, then requeue it.",
  succeeded: "This job succeeded and has its score; only failed or cancelled jobs can be requeued (the student can submit again).",
};

const noSuch = (what: string, id: string) => notFound(`No ${what} with the id "${id}".`);


/** Every runner token (newest first), never the token itself: name, prefix, liveness, capabilities, current job. */
export async function listRunners(prisma: PrismaClient) {
  const tokens = await prisma.runnerToken.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: {
      id: true,
      name: true,
      prefix: true,
      createdAt: true,
      revokedAt: true,
      lastSeenAt: true,
      capabilities: true,
      jobs: {
        where: { status: "running" },
        orderBy: { startedAt: "desc" },
        select: { id: true, benchmarkId: true, attempts: true, startedAt: true, leaseExpiresAt: true },
      },
    },
  });
  const now = Date.now();
  return {
    now: new Date(now),
    onlineWindowMs: ONLINE_WINDOW_MS,
    runners: tokens.map(({ jobs, capabilities, ...token }) => {
      const caps = CapabilitiesSchema.safeParse(capabilities);
      return {
        ...token,
        revoked: token.revokedAt !== null,
        online: token.revokedAt === null && token.lastSeenAt !== null && now - token.lastSeenAt.getTime() <= ONLINE_WINDOW_MS,
        lastHeartbeatAt: token.lastSeenAt,
        capabilities: caps.success ? caps.data : null,
        currentJob: jobs[0] ?? null,
        runningJobs: jobs.length,
      };
    }),
  };
}

/** Makes a token and returns it this once: only its SHA-256 and a short prefix are stored. */
export async function createRunner(prisma: PrismaClient, name: string) {
  const { token, record } = await createRunnerToken(prisma, name);
  return { token, runner: record };
}

export async function revokeRunner(prisma: PrismaClient, id: string) {
  const token = await prisma.runnerToken.findUnique({ where: { id }, select: { id: true, revokedAt: true } });
  if (!token) throw noSuch("runner token", id);
  if (token.revokedAt) throw badRequest("This runner token is already revoked.");
  const revoked = await revokeRunnerToken(prisma, token.id);
  return { id: revoked.id, name: revoked.name, prefix: revoked.prefix, revokedAt: revoked.revokedAt };
}

const jobSummarySelect = {
  id: true,
  status: true,
  benchmarkId: true,
  attempts: true,
  maxAttempts: true,
  cancelRequested: true,
  lastError: true,
  failureReason: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  updatedAt: true,
  leaseExpiresAt: true,
  result: true,
  runner: { select: { id: true, name: true, prefix: true } },
  // The homework submission the job grades (none for jobs queued by other means), and whose it is.
  submission: { select: { id: true, fileName: true, assignmentSlug: true, user: { select: { id: true, name: true, email: true } } } },
} as const;

/** Only a finished job that did not succeed may run again: a succeeded one has its score, a live one is running. */
export const REQUEUEABLE: readonly JobStatusName[] = ["failed", "cancelled"];

/** Newest first, `limit` per page; `nextCursor` (a job id) fetches the next page. Also counts per status. */
export async function listJobs(prisma: PrismaClient, input: { status?: JobStatusName; limit: number; cursor?: string | null }) {
  const where = input.status ? { status: input.status } : {};
  const rows = await prisma.job.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    select: jobSummarySelect,
  });
  const page = rows.slice(0, input.limit);
  const grouped = await prisma.job.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatusName, number>;
  for (const g of grouped) counts[g.status] = g._count._all;
  return {
    now: new Date(),
    items: page.map(({ result, ...job }) => {
      const { scores, timings, backend } = summarizeResult(result);
      return { ...job, scores, timings, backend };
    }),
    nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
    counts,
  };
}

/** One job with its last log lines; with `withNotebooks`, the submitted and executed notebooks parsed. */
export async function jobDetail(prisma: PrismaClient, id: string, withNotebooks: boolean) {
  const job = await prisma.job.findUnique({
    where: { id },
    select: { ...jobSummarySelect, leaseSeconds: true, notebook: withNotebooks, executedNotebook: true, submissionCsv: true },
  });
  if (!job) throw noSuch("job", id);
  const [logCount, lastLogs] = await Promise.all([
    prisma.jobLog.count({ where: { jobId: job.id } }),
    prisma.jobLog.findMany({
      where: { jobId: job.id },
      orderBy: { id: "desc" },
      take: JOB_LOG_LINES,
      select: { id: true, attempt: true, at: true, stream: true, text: true },
    }),
  ]);
  const { result, notebook, executedNotebook, submissionCsv, ...rest } = job;
  return {
    ...rest,
    now: new Date(),
    ...summarizeResult(result),
    hasExecutedNotebook: executedNotebook !== null,
    submissionRows: submissionCsv === null ? null : Math.max(0, submissionCsv.trim().split("\n").length - 1),
    logs: lastLogs.reverse().map((l) => ({ ...l, id: l.id.toString() })),
    logCount,
    notebooks: withNotebooks
      ? {
          submitted: typeof notebook === "string" ? parseStoredNotebook(notebook) : null,
          executed: executedNotebook === null ? null : parseStoredNotebook(executedNotebook),
        }
      : null,
  };
}

/** Runs a failed or cancelled job again from scratch (attempts reset); anything else is refused with the reason. */
export async function requeueFinishedJob(prisma: PrismaClient, id: string) {
  const job = await prisma.job.findUnique({ where: { id }, select: { status: true } });
  if (!job) throw noSuch("job", id);
  if (!REQUEUEABLE.includes(job.status)) throw badRequest(REQUEUE_REFUSAL[job.status] ?? `A ${job.status} job cannot be requeued.`);
  const updated = await requeueJob(prisma, id);
  return { id: updated.id, status: updated.status };
}

/** A queued job is cancelled at once; a running one is told to stop at its runner's next heartbeat. */
export async function cancelLiveJob(prisma: PrismaClient, id: string) {
  const job = await prisma.job.findUnique({ where: { id }, select: { status: true } });
  if (!job) throw noSuch("job", id);
  if (job.status !== "queued" && job.status !== "running") throw badRequest(`This job has already ${job.status}; nothing to cancel.`);
  const updated = await cancelJob(prisma, id);
  return { id: updated.id, status: updated.status, cancelRequested: updated.cancelRequested };
}
