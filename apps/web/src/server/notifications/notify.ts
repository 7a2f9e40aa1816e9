import type { Prisma } from "@course/db";
import { recordEmails } from "../email/outbox";
import { userChannel } from "../live/channels";
import { publishMany } from "../live/publish";
import { kindSpec, NOTIFICATION_KINDS, parseKind, type NotificationData, type NotificationKind } from "./kinds";

/** The database handle notify() needs: a transaction of the write it belongs to (or the client itself). */
export type NotifyClient = Pick<Prisma.TransactionClient, "notification" | "notificationPreference" | "emailSettings" | "emailOutbox" | "$executeRaw">;

export interface NotifyOptions {
  /**
   * Makes creation idempotent: a second notify() with the same key (and user) creates nothing, so a retried write
   * path cannot notify twice. Stored as "<key>@<userId>", so one key serves many recipients.
   */
  dedupeKey?: string;
}

/**
 * The one way to create notifications: tells `userIds` about something of this `kind`, in the caller's transaction so
 * the event and its notifications land together. Users who turned the kind off in-app get no row (unless the kind is
 * mandatory). Each recipient's open pages hear of it live (`notifications-changed` on `user:<id>`), once the
 * transaction commits. When the site sends email, those who want this kind by email also get an outbox row
 * (server/email), sent later by the email worker, never inside this transaction. Returns how many in-app rows were
 * created.
 */
export async function notify<K extends NotificationKind>(
  tx: NotifyClient,
  userIds: string | readonly string[],
  kind: K,
  data: NotificationData<K>,
  options: NotifyOptions = {},
): Promise<number> {
  // Also checked at run time: callers in plain JavaScript, or a kind cast from a string, get a clear error.
  parseKind(kind);
  const { title, body, link } = NOTIFICATION_KINDS[kind].data.parse(data);
  const recipients = [...new Set(typeof userIds === "string" ? [userIds] : userIds)];
  if (recipients.length === 0) return 0;
  const wanted = await recipientsWanting(tx, recipients, kind);
  const created =
    wanted.length === 0
      ? []
      : await tx.notification.createManyAndReturn({
          data: wanted.map((userId) => ({ userId, kind, title, body, link, dedupeKey: options.dedupeKey === undefined ? null : `${options.dedupeKey}@${userId}` })),
          skipDuplicates: true,
          select: { id: true, userId: true },
        });
  // Sent on commit, never on rollback. A deduplicated repeat creates nothing and tells nobody.
  if (created.length > 0) await publishMany(tx, created.map((n) => ({ channel: userChannel(n.userId), event: { type: "notifications-changed" } })));
  // Email is its own channel: a user may want a kind by email and not on the site.
  await recordEmails(tx, kind, { title, body, link }, recipients, new Map(created.map((n) => [n.userId, n.id])), options.dedupeKey);
  return created.length;
}

/** Those of `userIds` who get this kind in-app: everyone for a mandatory kind, else whoever did not turn it off. */
async function recipientsWanting(tx: NotifyClient, userIds: string[], kind: NotificationKind): Promise<string[]> {
  const spec = kindSpec(kind);
  if (spec.mandatory) return userIds;
  const choices = await tx.notificationPreference.findMany({ where: { userId: { in: userIds }, kind }, select: { userId: true, inApp: true } });
  const chosen = new Map(choices.map((c) => [c.userId, c.inApp]));
  return userIds.filter((id) => chosen.get(id) ?? spec.defaults.inApp);
}
