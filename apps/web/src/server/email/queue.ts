import type { EmailStatus, PrismaClient } from "@course/db";
import { DomainError } from "../errors";
import { describeSmtp, siteEmail } from "./config";

/** Every status an outbox row can be in, in the order a row goes through them. */
export const EMAIL_STATUSES = ["held", "pending", "sending", "sent", "failed", "skipped", "digested"] as const satisfies readonly EmailStatus[];

export interface EmailQueueProblem {
  id: string;
  status: EmailStatus;
  to: string;
  kind: string;
  title: string;
  attempts: number;
  lastError: string;
  nextAttemptAt: Date;
  createdAt: Date;
}

export interface EmailQueueView {
  /** The mail server without its password, or null when the site sends no email. */
  smtp: string | null;
  from: string | null;
  counts: Record<(typeof EMAIL_STATUSES)[number], number>;
  /** Failed rows and rows waiting to be tried again, newest first. */
  problems: EmailQueueProblem[];
}

const PROBLEMS_SHOWN = 50;

/**
 * The email outbox as an operator reads it (admin page): whether email is on, how many rows are in each status, and
 * the rows that went wrong, with the mail server's last answer.
 */
export async function emailQueue(prisma: PrismaClient): Promise<EmailQueueView> {
  const config = siteEmail();
  const [grouped, rows] = await Promise.all([
    prisma.emailOutbox.groupBy({ by: ["status"], _count: { _all: true } }),
    prisma.emailOutbox.findMany({
      where: { OR: [{ status: "failed" }, { status: "pending", attempts: { gt: 0 } }] },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: PROBLEMS_SHOWN,
      select: { id: true, status: true, kind: true, title: true, attempts: true, lastError: true, nextAttemptAt: true, createdAt: true, user: { select: { email: true } } },
    }),
  ]);
  const counts = Object.fromEntries(EMAIL_STATUSES.map((s) => [s, 0])) as EmailQueueView["counts"];
  for (const g of grouped) counts[g.status] = g._count._all;
  return {
    smtp: config ? describeSmtp(config.smtpUrl) : null,
    from: config?.from ?? null,
    counts,
    problems: rows.map(({ user, lastError, ...row }) => ({ ...row, to: user.email, lastError: lastError ?? "" })),
  };
}

/**
 * Sends a failed email again: the row goes back to `pending`, due now, with a fresh set of attempts (after the mail
 * server was fixed, say). Only failed rows: anything else is already on its way or done.
 */
export async function retryEmail(prisma: PrismaClient, id: string): Promise<{ retried: true }> {
  const { count } = await prisma.emailOutbox.updateMany({ where: { id, status: "failed" }, data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), lockedUntil: null } });
  if (count === 0) {
    const row = await prisma.emailOutbox.findUnique({ where: { id }, select: { status: true } });
    if (!row) throw new DomainError("NOT_FOUND", "There is no such email.");
    throw new DomainError("CONFLICT", `Only failed emails can be sent again; this one is ${row.status}.`);
  }
  return { retried: true };
}
