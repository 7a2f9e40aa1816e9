import type { Prisma, PrismaClient } from "@course/db";
import { digestHourUtc, siteEmail } from "./config";

/**
 * A user's email model, two questions answered separately:
 * - which kinds: the per-kind "by email" flag of NotificationPreference (defaults in notifications/kinds.ts);
 * - when: `delivery`, one per user: `immediate` (an email per notification, the default), `daily` (one digest a day,
 *   at EMAIL_DIGEST_HOUR_UTC, listing those still unread), or `off` (no email; the per-kind flags are kept).
 */
export type EmailDelivery = "immediate" | "daily" | "off";
export const EMAIL_DELIVERIES = ["immediate", "daily", "off"] as const satisfies readonly EmailDelivery[];

export interface EmailSettingsView {
  /** False when the site has no mail server (SMTP_URL unset): notifications are shown on the site only. */
  siteSends: boolean;
  delivery: EmailDelivery;
  /** Where emails go: the account's address. */
  address: string;
  digestHourUtc: number;
}

/** The first time after `after` at `hourUtc`:00 UTC. */
export function nextDigestAt(after: Date, hourUtc: number): Date {
  const next = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), hourUtc));
  if (next <= after) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

export async function emailSettingsOf(prisma: PrismaClient, user: { id: string; email: string }): Promise<EmailSettingsView> {
  const row = await prisma.emailSettings.findUnique({ where: { userId: user.id }, select: { delivery: true } });
  return { siteSends: siteEmail() !== null, delivery: row?.delivery ?? "immediate", address: user.email, digestHourUtc: digestHourUtc() };
}

/** What notify() needs to know per recipient: their delivery (no row: immediate). */
export async function deliveriesOf(tx: Pick<Prisma.TransactionClient, "emailSettings">, userIds: string[]): Promise<Map<string, EmailDelivery>> {
  const rows = await tx.emailSettings.findMany({ where: { userId: { in: userIds } }, select: { userId: true, delivery: true } });
  return new Map(rows.map((r) => [r.userId, r.delivery]));
}

/**
 * Changes when the user's emails go out. Choosing the digest schedules the next one; leaving it lets what it was
 * holding go out as one last digest at once (immediate), or drops it (off).
 */
export async function setEmailDelivery(prisma: PrismaClient, userId: string, delivery: EmailDelivery, now = new Date()): Promise<EmailDelivery> {
  await prisma.$transaction(async (tx) => {
    const current = await tx.emailSettings.findUnique({ where: { userId }, select: { delivery: true, digestDueAt: true } });
    const digestDueAt =
      delivery === "daily"
        ? current?.delivery === "daily" && current.digestDueAt && current.digestDueAt > now
          ? current.digestDueAt
          : nextDigestAt(now, digestHourUtc())
        : null;
    await tx.emailSettings.upsert({ where: { userId }, create: { userId, delivery, digestDueAt }, update: { delivery, digestDueAt } });
    if (delivery === "off") {
      await tx.emailOutbox.updateMany({ where: { userId, status: { in: ["held", "pending"] } }, data: { status: "skipped", lastError: "The user turned email off." } });
    }
  });
  return delivery;
}
