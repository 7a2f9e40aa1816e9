import type { PrismaClient } from "@course/db";

// Reads only: notifications are created on the write path (notify()), never while someone looks at a page.

export async function unreadCount(prisma: PrismaClient, userId: string): Promise<number> {
  return prisma.notification.count({ where: { userId, readAt: null } });
}

export async function listNotifications(prisma: PrismaClient, userId: string) {
  return prisma.notification.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
    select: { id: true, kind: true, title: true, body: true, link: true, createdAt: true, readAt: true },
  });
}

/**
 * Marks the user's own notifications read: those with these `ids`, those that link to `link` (the page the user just
 * opened), or all of them when neither is given; others' notifications are never touched.
 */
export async function markRead(prisma: PrismaClient, userId: string, which: { ids?: string[]; link?: string } = {}): Promise<number> {
  const { count } = await prisma.notification.updateMany({
    where: { userId, readAt: null, ...(which.ids ? { id: { in: which.ids } } : {}), ...(which.link !== undefined ? { link: which.link } : {}) },
    data: { readAt: new Date() },
  });
  return count;
}
