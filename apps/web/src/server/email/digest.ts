import type { PrismaClient } from "@course/db";
import { isNotificationKind, kindSpec } from "../notifications/kinds";
import { nextDigestAt } from "./settings";

/**
 * Turns the `held` rows of each user whose digest is due into one `pending` digest row, which the worker then sends
 * like any other. A user is due at their `digestDueAt` (EMAIL_DIGEST_HOUR_UTC each day), or at once after leaving the
 * digest for immediate email. Held rows whose notification was read on the site meanwhile, or whose kind the user
 * stopped wanting by email, are skipped: the digest is of what is still unread. Each user is handled in a transaction
 * that locks their EmailSettings row (SKIP LOCKED), so two instances never build the same digest. Returns the number
 * of digests made.
 */
export async function scheduleDigests(prisma: PrismaClient, hourUtc: number, now = new Date()): Promise<number> {
  const waiting = await prisma.emailOutbox.findMany({ where: { status: "held" }, distinct: ["userId"], select: { userId: true }, take: 500 });
  let made = 0;
  for (const { userId } of waiting) {
    if (await digestFor(prisma, userId, hourUtc, now)) made++;
  }
  // Users due with nothing held move to the next day, so tomorrow's first notification waits for the digest hour.
  await prisma.emailSettings.updateMany({
    where: { delivery: "daily", digestDueAt: { lte: now }, user: { emailOutbox: { none: { status: "held" } } } },
    data: { digestDueAt: nextDigestAt(now, hourUtc) },
  });
  return made;
}

async function digestFor(prisma: PrismaClient, userId: string, hourUtc: number, now: Date): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ delivery: string; digestDueAt: Date | null }[]>`
      SELECT delivery::text AS delivery, "digestDueAt" FROM "EmailSettings" WHERE "userId" = ${userId} FOR UPDATE SKIP LOCKED`;
    const settings = locked[0];
    // Another instance is on it (locked), or no settings at all (held rows are made only for daily users).
    if (!settings) return false;
    if (settings.delivery === "daily" && settings.digestDueAt !== null && settings.digestDueAt > now) return false;
    const held = await tx.emailOutbox.findMany({
      where: { userId, status: "held" },
      select: { id: true, kind: true, notification: { select: { readAt: true } } },
    });
    const prefs = await tx.notificationPreference.findMany({ where: { userId }, select: { kind: true, email: true } });
    const wantsEmail = new Map(prefs.map((p) => [p.kind, p.email]));
    const wanted = (kind: string) => isNotificationKind(kind) && (wantsEmail.get(kind) ?? kindSpec(kind).defaults.email);
    const drop = held.filter((h) => settings.delivery === "off" || h.notification?.readAt || !wanted(h.kind));
    const keep = held.filter((h) => !drop.includes(h));
    if (drop.length) {
      await tx.emailOutbox.updateMany({ where: { id: { in: drop.map((h) => h.id) } }, data: { status: "skipped", lastError: "Read on the site, or no longer wanted by email, before the digest." } });
    }
    if (settings.delivery === "daily") await tx.emailSettings.update({ where: { userId }, data: { digestDueAt: nextDigestAt(now, hourUtc) } });
    if (keep.length === 0) return false;
    const digest = await tx.emailOutbox.create({
      data: { userId, kind: "digest", title: `${keep.length} unread notifications`, body: "", status: "pending" },
      select: { id: true },
    });
    await tx.emailOutbox.updateMany({ where: { id: { in: keep.map((h) => h.id) } }, data: { status: "digested", digestId: digest.id } });
    return true;
  });
}
