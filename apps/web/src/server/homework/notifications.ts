import type { PrismaClient } from "@course/db";
import { syncSubmissionResults } from "./submissions";

export async function unreadCount(prisma: PrismaClient, userId: string): Promise<number> {
  await syncSubmissionResults(prisma, { userId });
  return prisma.notification.count({ where: { userId, readAt: null } });
}

export async function listNotifications(prisma: PrismaClient, userId: string) {
  await syncSubmissionResults(prisma, { userId });
  return prisma.notification.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
    select: { id: true, kind: true, title: true, body: true, link: true, createdAt: true, readAt: true },
  });
}

/** Marks the user's own notifications read (all of them when `ids` is absent); others' ids are ignored. */
export async function markRead(prisma: PrismaClient, userId: string, ids?: string[]): Promise<number> {
  const { count } = await prisma.notification.updateMany({ where: { userId, readAt: null, ...(ids ? { id: { in: ids } } : {}) }, data: { readAt: new Date() } });
  return count;
}
