import type { Prisma, PrismaClient } from "@course/db";
import type { CompleteRequest, FailureReason, FailRequest, LogLine } from "@course/runner/protocol";
import { roundScores } from "../homework/scores";
import { forgetSubmissionResult, recordSubmissionResult } from "../homework/submissions";
import { DomainError } from "../errors";

export interface EnqueueInput {
  notebook: string;
  benchmarkId: string;
  maxAttempts?: number;
  leaseSeconds?: number;
}

export async function enqueueJob(prisma: PrismaClient, input: EnqueueInput) {
  return prisma.job.create({
    data: {
      notebook: input.notebook,
      benchmarkId: input.benchmarkId,
      maxAttempts: input.maxAttempts ?? 3,
      leaseSeconds: input.leaseSeconds ?? 120,
    },
    select: { id: true, status: true, createdAt: true },
  });
}

export interface ClaimedJobRow {
  id: string;
  attempts: number;
  benchmarkId: string;
  notebook: string;
  leaseSeconds: number;
}

/**
 * Requeues running jobs whose lease ran out (the runner died or lost its network), or fails them with the last
 * reason once they used all their attempts (recording the failure on their submission, in the same transaction).
 * Uses the database clock, so web instances may disagree on time.
 */
export async function expireLeases(prisma: PrismaClient): Promise<{ requeued: number; failed: number }> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; status: string }[]>`
      UPDATE "Job" SET
        status = CASE WHEN attempts >= "maxAttempts" THEN 'failed'::"JobStatus" ELSE 'queued'::"JobStatus" END,
        "lastError" = CASE WHEN attempts >= "maxAttempts"
          THEN 'Gave up after ' || attempts || ' attempts. Last: ' || COALESCE("lastError", 'the runner stopped answering (lease expired)')
          ELSE 'Attempt ' || attempts || ': the runner stopped answering (lease expired)' END,
        "failureReason" = CASE WHEN attempts >= "maxAttempts" THEN COALESCE("failureReason", 'internal error') ELSE "failureReason" END,
        "finishedAt" = CASE WHEN attempts >= "maxAttempts" THEN now() ELSE NULL END,
        "runnerId" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = now()
      WHERE status = 'running' AND "leaseExpiresAt" < now()
      RETURNING id, status::text AS status`;
    const failed = rows.filter((r) => r.status === "failed");
    for (const row of failed) await recordSubmissionResult(tx, row.id);
    return { requeued: rows.length - failed.length, failed: failed.length };
  });
}

/** Atomically hands the oldest queued job to `runnerId` with a lease; concurrent claimers skip locked rows. */
export async function claimNextJob(prisma: PrismaClient, runnerId: string): Promise<ClaimedJobRow | null> {
  await expireLeases(prisma);
  const rows = await prisma.$queryRaw<ClaimedJobRow[]>`
    UPDATE "Job" SET status = 'running', attempts = attempts + 1, "runnerId" = ${runnerId},
      "leaseExpiresAt" = now() + make_interval(secs => "leaseSeconds"), "startedAt" = now(), "updatedAt" = now()
    WHERE id = (
      SELECT id FROM "Job" WHERE status = 'queued' AND NOT "cancelRequested"
      ORDER BY "createdAt", id LIMIT 1 FOR UPDATE SKIP LOCKED
    )
    RETURNING id, attempts, "benchmarkId", notebook, "leaseSeconds"`;
  return rows[0] ?? null;
}

export class LeaseLostError extends DomainError {
  constructor(jobId: string) {
    super("CONFLICT", `Job ${jobId} is not running on this runner any more (its lease expired, or it was finished or cancelled).`);
    this.name = "LeaseLostError";
  }
}

async function appendLogs(tx: Prisma.TransactionClient, jobId: string, attempt: number, lines: LogLine[]) {
  if (lines.length === 0) return;
  await tx.jobLog.createMany({
    data: lines.map((line) => ({ jobId, attempt, at: new Date(line.at), stream: line.stream, text: line.text })),
  });
}

/** Extends the lease and stores log lines. Tells the runner to stop when someone cancelled the job. */
export async function heartbeatJob(prisma: PrismaClient, jobId: string, runnerId: string, logLines: LogLine[]) {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ leaseExpiresAt: Date; cancelRequested: boolean; attempts: number }[]>`
      UPDATE "Job" SET "leaseExpiresAt" = now() + make_interval(secs => "leaseSeconds"), "updatedAt" = now()
      WHERE id = ${jobId} AND status = 'running' AND "runnerId" = ${runnerId}
      RETURNING "leaseExpiresAt", "cancelRequested", attempts`;
    const row = rows[0];
    if (!row) throw new LeaseLostError(jobId);
    await appendLogs(tx, jobId, row.attempts, logLines);
    return { leaseExpiresAt: row.leaseExpiresAt, cancel: row.cancelRequested };
  });
}

type Finish = { kind: "complete"; body: CompleteRequest } | { kind: "fail"; body: FailRequest };

// Failures of the machinery, not of the notebook: worth another attempt on (maybe) another runner.
const RETRYABLE: ReadonlySet<FailureReason> = new Set(["sandbox error", "internal error"]);

/**
 * Records a runner's result. Idempotent: finishing a job that this runner already finished the same way is a
 * no-op that answers success, so a runner may retry after a lost response. A runner that no longer holds the
 * job (lease expired and another runner took it) gets LeaseLostError and the result is dropped. A final result is
 * copied onto the job's submission, and its student notified, in the same transaction.
 */
export async function finishJob(prisma: PrismaClient, jobId: string, runnerId: string, finish: Finish) {
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ status: string; runnerId: string | null; attempts: number; maxAttempts: number; finishedBy: string | null }[]>`
      SELECT status::text AS status, "runnerId", attempts, "maxAttempts", result->>'runnerTokenId' AS "finishedBy"
      FROM "Job" WHERE id = ${jobId} FOR UPDATE`;
    const job = locked[0];
    if (!job) throw new LeaseLostError(jobId);
    const done = finish.kind === "complete" ? "succeeded" : "failed";
    if (["succeeded", "failed", "cancelled"].includes(job.status) && job.finishedBy === runnerId) {
      return { ok: true as const, duplicate: true, status: job.status };
    }
    if (job.status !== "running" || job.runnerId !== runnerId) throw new LeaseLostError(jobId);
    await appendLogs(tx, jobId, job.attempts, finish.body.logLines);
    if (finish.kind === "complete") {
      const { executedNotebook, submissionCsv, scores, capabilities, backend, timings } = finish.body;
      await tx.job.update({
        where: { id: jobId },
        data: {
          status: "succeeded",
          executedNotebook,
          submissionCsv,
          // Rounded here, on the way in, so no page, API or log downstream can serve the full doubles.
          result: { scores: roundScores(scores), capabilities, backend, timings, runnerTokenId: runnerId },
          lastError: null,
          failureReason: null,
          finishedAt: new Date(),
          leaseExpiresAt: null,
        },
      });
      await recordSubmissionResult(tx, jobId);
      return { ok: true as const, duplicate: false, status: done };
    }
    const { reason, message, executedNotebook, capabilities, timings } = finish.body;
    const retry = RETRYABLE.has(reason) && job.attempts < job.maxAttempts;
    await tx.job.update({
      where: { id: jobId },
      data: retry
        ? { status: "queued", runnerId: null, leaseExpiresAt: null, lastError: `Attempt ${job.attempts}: ${reason}: ${message}`, failureReason: reason }
        : {
            status: reason === "cancelled" ? "cancelled" : "failed",
            lastError: message,
            failureReason: reason,
            executedNotebook,
            result: { capabilities, timings, runnerTokenId: runnerId },
            finishedAt: new Date(),
            leaseExpiresAt: null,
          },
    });
    if (!retry) await recordSubmissionResult(tx, jobId);
    return { ok: true as const, duplicate: false, status: retry ? "queued" : "failed" };
  });
}

/** Operators: a queued job is cancelled at once (and its student told); a running one is told to stop at its next heartbeat. */
export async function cancelJob(prisma: PrismaClient, jobId: string) {
  return prisma.$transaction(async (tx) => {
    const job = await tx.job.findUnique({ where: { id: jobId }, select: { status: true } });
    if (!job) throw new Error(`No job ${jobId}.`);
    if (job.status === "queued") {
      // Conditional, so a runner that claimed it meanwhile is not overridden: it sees cancelRequested at its heartbeat.
      const { count } = await tx.job.updateMany({ where: { id: jobId, status: "queued" }, data: { status: "cancelled", cancelRequested: true, finishedAt: new Date() } });
      if (count === 1) {
        await recordSubmissionResult(tx, jobId);
        return tx.job.findUniqueOrThrow({ where: { id: jobId } });
      }
    }
    const now = await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
    if (now.status === "running" || now.status === "queued") return tx.job.update({ where: { id: jobId }, data: { cancelRequested: true } });
    throw new Error(`Job ${jobId} has already ${now.status}.`);
  });
}

/** Operators: run a finished or stuck job again from scratch (attempts reset); its submission awaits the new result. */
export async function requeueJob(prisma: PrismaClient, jobId: string) {
  return prisma.$transaction(async (tx) => {
    const job = await tx.job.update({
      where: { id: jobId },
      data: {
        status: "queued",
        attempts: 0,
        runnerId: null,
        leaseExpiresAt: null,
        cancelRequested: false,
        lastError: null,
        failureReason: null,
        finishedAt: null,
      },
    });
    await forgetSubmissionResult(tx, jobId);
    return job;
  });
}
