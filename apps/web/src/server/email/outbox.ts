import type { Prisma, PrismaClient } from "@course/db";
import { kindSpec, type NotificationKind } from "../notifications/kinds";
import { siteEmail } from "./config";
import { deliveriesOf } from "./settings";

/** The tables notify() writes the outbox through, in its caller's transaction. */
export type OutboxClient = Pick<Prisma.TransactionClient, "notificationPreference" | "emailSettings" | "emailOutbox">;

/** Attempts before a row is given up as failed: with the backoff below, about nine hours of a mail server being down. */
export const MAX_ATTEMPTS = 10;
/** The n-th retry waits 1, 2, 4... minutes, at most four hours. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(60 * 2 ** Math.max(0, attempts - 1), 4 * 60 * 60);
}

/** Those of `userIds` who want this kind by email, each with their delivery (users who turned email off left out). */
async function emailRecipients(tx: OutboxClient, userIds: string[], kind: NotificationKind) {
  const spec = kindSpec(kind);
  const choices = await tx.notificationPreference.findMany({ where: { userId: { in: userIds }, kind }, select: { userId: true, email: true } });
  const chosen = new Map(choices.map((c) => [c.userId, c.email]));
  const wanting = userIds.filter((id) => chosen.get(id) ?? spec.defaults.email);
  if (wanting.length === 0) return [];
  const deliveries = await deliveriesOf(tx, wanting);
  return wanting.map((userId) => ({ userId, delivery: deliveries.get(userId) ?? "immediate" })).filter((r) => r.delivery !== "off");
}

/**
 * Called by notify() only: records the emails a notification causes, in the same transaction, so the notification
 * and its email land together or not at all; nothing is sent here. Nothing is recorded while the site has no mail
 * server (else turning SMTP on one day would send every old notification at once). Immediate users get a `pending`
 * row, digest users a `held` one that their next digest picks up.
 */
export async function recordEmails(
  tx: OutboxClient,
  kind: NotificationKind,
  payload: { title: string; body: string; link: string },
  userIds: string[],
  notificationIds: ReadonlyMap<string, string>,
  dedupeKey: string | undefined,
): Promise<number> {
  if (siteEmail() === null || userIds.length === 0) return 0;
  const recipients = await emailRecipients(tx, userIds, kind);
  if (recipients.length === 0) return 0;
  const { count } = await tx.emailOutbox.createMany({
    data: recipients.map(({ userId, delivery }) => ({
      userId,
      kind,
      ...payload,
      notificationId: notificationIds.get(userId) ?? null,
      status: delivery === "daily" ? "held" : "pending",
      dedupeKey: dedupeKey === undefined ? null : `${dedupeKey}@${userId}`,
    })),
    skipDuplicates: true,
  });
  return count;
}

export interface ClaimedEmail {
  id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  notificationId: string | null;
  attempts: number;
  createdAt: Date;
}

/**
 * Hands up to `limit` due rows to this worker: pending ones whose time came, and ones left `sending` by a worker whose
 * lease ran out (it crashed, or lost its database). Concurrent claimers on other instances skip the locked rows, so
 * each row goes to one of them. Rows out of attempts are failed first. Uses the database clock.
 */
export async function claimEmails(prisma: PrismaClient, limit: number, leaseSeconds: number): Promise<ClaimedEmail[]> {
  await prisma.$executeRaw`
    UPDATE "EmailOutbox" SET status = 'failed', "lockedUntil" = NULL,
      "lastError" = 'Gave up after ' || attempts || ' attempts. Last: ' || COALESCE("lastError", 'the sender stopped (lease expired)')
    WHERE status = 'sending' AND "lockedUntil" < now() AND attempts >= ${MAX_ATTEMPTS}`;
  return prisma.$queryRaw<ClaimedEmail[]>`
    UPDATE "EmailOutbox" SET status = 'sending', attempts = attempts + 1, "lockedUntil" = now() + make_interval(secs => ${leaseSeconds})
    WHERE id IN (
      SELECT id FROM "EmailOutbox"
      WHERE (status = 'pending' AND "nextAttemptAt" <= now()) OR (status = 'sending' AND "lockedUntil" < now())
      ORDER BY "nextAttemptAt", id LIMIT ${limit} FOR UPDATE SKIP LOCKED
    )
    RETURNING id, "userId", kind, title, body, link, "notificationId", attempts, "createdAt"`;
}

/**
 * The end of one claimed attempt. Conditional on the claim still being this one (same attempt, still `sending`): a
 * worker that outlived its lease does not overwrite the next worker's result.
 */
export async function finishEmail(
  prisma: PrismaClient,
  row: Pick<ClaimedEmail, "id" | "attempts">,
  outcome: { status: "sent" } | { status: "skipped"; reason: string } | { status: "error"; message: string; permanent: boolean },
): Promise<"sent" | "skipped" | "retry" | "failed" | "lost"> {
  const mine = { id: row.id, status: "sending" as const, attempts: row.attempts };
  if (outcome.status === "sent") {
    const { count } = await prisma.emailOutbox.updateMany({ where: mine, data: { status: "sent", sentAt: new Date(), lockedUntil: null, lastError: null } });
    return count ? "sent" : "lost";
  }
  if (outcome.status === "skipped") {
    const { count } = await prisma.emailOutbox.updateMany({ where: mine, data: { status: "skipped", lockedUntil: null, lastError: outcome.reason } });
    return count ? "skipped" : "lost";
  }
  const message = outcome.message.slice(0, 1000);
  if (outcome.permanent || row.attempts >= MAX_ATTEMPTS) {
    const lastError = outcome.permanent ? message : `Gave up after ${row.attempts} attempts. Last: ${message}`;
    const { count } = await prisma.emailOutbox.updateMany({ where: mine, data: { status: "failed", lockedUntil: null, lastError } });
    return count ? "failed" : "lost";
  }
  const count = await prisma.$executeRaw`
    UPDATE "EmailOutbox" SET status = 'pending', "lockedUntil" = NULL, "lastError" = ${`Attempt ${row.attempts}: ${message}`},
      "nextAttemptAt" = now() + make_interval(secs => ${retryDelaySeconds(row.attempts)})
    WHERE id = ${row.id} AND status = 'sending' AND attempts = ${row.attempts}`;
  return count ? "retry" : "lost";
}
