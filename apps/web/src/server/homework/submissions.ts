import type { Prisma, PrismaClient } from "@course/db";
import { ScoresSchema } from "@course/runner/protocol";
import { hasRole } from "../auth/roles";
import type { PublicUser } from "../auth/users";
import { roundScores } from "./scores";
import { liveLog, type CellProgress } from "./live-log";
import { notify } from "../notifications/notify";
import { DomainError } from "../errors";
import { formatLogLoss, formatPercent, formatUtc } from "../../lib/format";

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** Graders and admins may read every submission; a student only their own. */
export function canReadSubmission(user: Pick<PublicUser, "id" | "role"> | null, submission: { userId: string }): boolean {
  if (!user) return false;
  return user.id === submission.userId || hasRole(user.role, "grader");
}

/** Private scores stay hidden from students until the deadline; graders see them. */
export function canSeePrivate(user: Pick<PublicUser, "role"> | null, deadline: Date, now = new Date()): boolean {
  return now.getTime() >= deadline.getTime() || (user !== null && hasRole(user.role, "grader"));
}

const FINISHED: JobStatus[] = ["succeeded", "failed", "cancelled"];

/**
 * Copies a finished job's scores onto its submission and notifies the student, once. Called on the write path, in
 * the transaction that finished the job (runner complete/fail, lease expiry, cancel), so a submission shows its
 * result and notification as soon as the runner's call returns. Idempotent: the submission is claimed by a
 * conditional update, and the notification has a dedupe key. Returns false when there is nothing to record (a job
 * without a submission, one not finished, or one already recorded).
 */
export async function recordSubmissionResult(tx: Prisma.TransactionClient, jobId: string): Promise<boolean> {
  const sub = await tx.submission.findFirst({
    where: { jobId, syncedAt: null, job: { status: { in: FINISHED } } },
    select: { id: true, userId: true, assignmentSlug: true, fileName: true, createdAt: true, job: { select: { status: true, result: true, failureReason: true, lastError: true, finishedAt: true } } },
  });
  if (!sub) return false;
  const scores = sub.job.status === "succeeded" ? ScoresSchema.safeParse((sub.job.result as { scores?: unknown } | null)?.scores) : null;
  // Rounded again for results stored before ingestion rounded them.
  const ok = scores?.success === true ? roundScores(scores.data) : null;
  const claimed = await tx.submission.updateMany({
    where: { id: sub.id, syncedAt: null },
    data: {
      syncedAt: new Date(),
      publicLogLoss: ok?.public.logLoss ?? null,
      publicAccuracy: ok?.public.accuracy ?? null,
      privateLogLoss: ok?.private.logLoss ?? null,
      privateAccuracy: ok?.private.accuracy ?? null,
    },
  });
  if (claimed.count === 0) return false;
  const link = `/homework/submissions/${sub.id}`;
  // Which submission, so that two notifications for files of one name tell apart: its number and time.
  const number = await tx.submission.count({
    where: { userId: sub.userId, assignmentSlug: sub.assignmentSlug, OR: [{ createdAt: { lt: sub.createdAt } }, { createdAt: sub.createdAt, id: { lte: sub.id } }] },
  });
  const which = `submission #${number}, ${formatUtc(sub.createdAt)}`;
  // A job run again (operators' requeue) finishes at another time, and its new result is worth a new notification.
  const dedupeKey = `submission:${sub.id}:finished:${sub.job.finishedAt?.getTime() ?? 0}`;
  if (ok) {
    await notify(
      tx,
      sub.userId,
      "submission-scored",
      {
        title: `${sub.fileName} was scored: log loss ${formatLogLoss(ok.public.logLoss)} (${which})`,
        body: `Your ${sub.assignmentSlug} ${which}: public log loss ${formatLogLoss(ok.public.logLoss)}, accuracy ${formatPercent(ok.public.accuracy)}.`,
        link,
      },
      { dedupeKey },
    );
  } else {
    await notify(
      tx,
      sub.userId,
      "submission-failed",
      {
        title:
          sub.job.status === "cancelled"
            ? `${sub.fileName} was cancelled (${which})`
            : `${sub.fileName} failed${sub.job.failureReason ? `: ${sub.job.failureReason}` : ""} (${which})`,
        body: sub.job.lastError ?? "The runner could not score this notebook.",
        link,
      },
      { dedupeKey },
    );
  }
  return true;
}

/** A job is about to run again: its submission's old result goes, and the new one is recorded when it arrives. */
export async function forgetSubmissionResult(tx: Prisma.TransactionClient, jobId: string): Promise<void> {
  await tx.submission.updateMany({
    where: { jobId },
    data: { syncedAt: null, publicLogLoss: null, publicAccuracy: null, privateLogLoss: null, privateAccuracy: null },
  });
}

/**
 * One-off catch-up at startup: records the results of jobs that finished under an older version, which copied
 * results lazily on reads. Pages never call this; after it, every result is recorded when it arrives.
 */
export async function recordUnsyncedResults(prisma: PrismaClient): Promise<number> {
  let recorded = 0;
  for (;;) {
    const pending = await prisma.submission.findMany({ where: { syncedAt: null, job: { status: { in: FINISHED } } }, select: { jobId: true }, take: 200 });
    let batch = 0;
    for (const { jobId } of pending) if (await prisma.$transaction((tx) => recordSubmissionResult(tx, jobId))) batch++;
    recorded += batch;
    if (pending.length < 200 || batch === 0) return recorded;
  }
}

export type SubmissionState = "queued" | "running" | "scored" | "failed" | "cancelled";

export function stateOf(status: JobStatus): SubmissionState {
  return status === "succeeded" ? "scored" : status;
}

export const LOG_TAIL = 20;

export interface SubmissionView {
  id: string;
  userId: string;
  assignmentSlug: string;
  fileName: string;
  size: number;
  sha256: string;
  createdAt: Date;
  finalChoice: boolean;
  state: SubmissionState;
  /** 1 = next to be claimed; only while queued. */
  queuePosition: number | null;
  progress: CellProgress | null;
  /** The last lines of the current attempt's log (while running, and kept afterwards). */
  logTail: { at: Date; stream: string; text: string }[];
  publicScore: { logLoss: number; accuracy: number } | null;
  /** null while hidden (before the deadline) or not scored. */
  privateScore: { logLoss: number; accuracy: number } | null;
  failureReason: string | null;
  lastError: string | null;
  attempts: number;
  finishedAt: Date | null;
  hasExecutedNotebook: boolean;
  hasSubmissionCsv: boolean;
}

const viewSelect = {
  id: true,
  userId: true,
  assignmentSlug: true,
  fileName: true,
  size: true,
  sha256: true,
  createdAt: true,
  finalChoice: true,
  publicLogLoss: true,
  publicAccuracy: true,
  privateLogLoss: true,
  privateAccuracy: true,
  job: { select: { id: true, status: true, createdAt: true, attempts: true, failureReason: true, lastError: true, finishedAt: true, executedNotebook: true, submissionCsv: true } },
} as const;

/** Submissions with live status. `showPrivate` decides whether private scores are included. */
export async function submissionViews(
  prisma: PrismaClient,
  where: { userId?: string; assignmentSlug?: string; id?: string },
  showPrivate: boolean,
): Promise<SubmissionView[]> {
  const subs = await prisma.submission.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: viewSelect, take: 200 });
  return Promise.all(
    subs.map(async (s): Promise<SubmissionView> => {
      const state = stateOf(s.job.status);
      const queuePosition =
        state === "queued"
          ? (await prisma.job.count({
              where: { status: "queued", cancelRequested: false, OR: [{ createdAt: { lt: s.job.createdAt } }, { createdAt: s.job.createdAt, id: { lt: s.job.id } }] },
            })) + 1
          : null;
      // The notebook's own output (never the runner's protocol events) and the cell it is on.
      const live = state === "queued" ? { logTail: [], progress: null } : await liveLog(prisma, { id: s.job.id, attempts: s.job.attempts, running: state === "running" }, LOG_TAIL);
      const scored = s.publicLogLoss !== null && s.publicAccuracy !== null;
      return {
        id: s.id,
        userId: s.userId,
        assignmentSlug: s.assignmentSlug,
        fileName: s.fileName,
        size: s.size,
        sha256: s.sha256,
        createdAt: s.createdAt,
        finalChoice: s.finalChoice,
        state,
        queuePosition,
        progress: live.progress,
        logTail: live.logTail,
        publicScore: scored ? { logLoss: s.publicLogLoss!, accuracy: s.publicAccuracy! } : null,
        privateScore: showPrivate && s.privateLogLoss !== null && s.privateAccuracy !== null ? { logLoss: s.privateLogLoss, accuracy: s.privateAccuracy } : null,
        failureReason: s.job.failureReason,
        lastError: state === "failed" || state === "cancelled" || state === "queued" ? s.job.lastError : null,
        attempts: s.job.attempts,
        finishedAt: s.job.finishedAt,
        hasExecutedNotebook: s.job.executedNotebook !== null,
        hasSubmissionCsv: s.job.submissionCsv !== null,
      };
    }),
  );
}


/** Marks or unmarks a final submission; at most MAX_FINALS per student and assignment (checked under a row lock). */
export async function setFinalChoice(prisma: PrismaClient, userId: string, submissionId: string, final: boolean, maxFinals: number) {
  return prisma.$transaction(async (tx) => {
    const sub = await tx.submission.findFirst({ where: { id: submissionId, userId }, select: { id: true, assignmentSlug: true, finalChoice: true, job: { select: { status: true } } } });
    if (!sub) return null;
    if (final && !sub.finalChoice) {
      if (sub.job.status !== "succeeded") throw new DomainError("BAD_REQUEST", "Only scored submissions can be chosen as finals.");
      // Serialise concurrent toggles of one student's submissions for one assignment.
      await tx.$queryRaw`SELECT id FROM "Submission" WHERE "userId" = ${userId} AND "assignmentSlug" = ${sub.assignmentSlug} FOR UPDATE`;
      const chosen = await tx.submission.count({ where: { userId, assignmentSlug: sub.assignmentSlug, finalChoice: true } });
      if (chosen >= maxFinals) {
        throw new DomainError("BAD_REQUEST", `You already chose ${maxFinals} final submissions. Unmark one before choosing another.`);
      }
    }
    return tx.submission.update({ where: { id: sub.id }, data: { finalChoice: final }, select: { id: true, finalChoice: true } });
  });
}
