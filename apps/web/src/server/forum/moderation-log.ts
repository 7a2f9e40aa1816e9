import type { Prisma, PrismaClient } from "@course/db";

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * The forum's audit log (ModerationLog): every moderator action on something that is not their own, written in the
 * action's transaction. `action` is "<target>.<verb>" ("topic.close", "post.delete", "user.silence"...).
 */
export async function logModeration(
  db: Db,
  entry: { actor: { id: string | null; name: string }; action: string; targetType: "topic" | "post" | "user" | "flag" | "category"; targetId: string; reason?: string; detail?: Prisma.InputJsonValue },
): Promise<void> {
  await db.moderationLog.create({
    data: {
      actorId: entry.actor.id,
      actorName: entry.actor.name,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      reason: (entry.reason ?? "").trim(),
      ...(entry.detail !== undefined ? { detail: entry.detail } : {}),
    },
  });
}

/** The newest entries first (for moderators). */
export async function moderationLog(db: Db, options: { targetType?: string; targetId?: string; limit?: number } = {}) {
  return db.moderationLog.findMany({
    where: { ...(options.targetType ? { targetType: options.targetType } : {}), ...(options.targetId ? { targetId: options.targetId } : {}) },
    orderBy: { createdAt: "desc" },
    take: Math.min(options.limit ?? 100, 500),
    select: { id: true, actorName: true, action: true, targetType: true, targetId: true, reason: true, detail: true, createdAt: true },
  });
}
