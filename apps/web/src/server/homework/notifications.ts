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

/**
 * Tells every grader and admin that a student asked for a regrade (kind "regrade-requested"), linking to the
 * submission's grading page. Runs in the caller's transaction so the request and its notifications land together.
 */
export async function notifyGradersOfRegrade(
  tx: Pick<PrismaClient, "user" | "notification">,
  request: { submissionId: string; fileName: string; student: string; reason: string },
): Promise<number> {
  const graders = await tx.user.findMany({ where: { role: { in: ["grader", "admin"] } }, select: { id: true } });
  const { count } = await tx.notification.createMany({
    data: graders.map((g) => ({
      userId: g.id,
      kind: "regrade-requested",
      title: `${request.student} asked for a regrade of ${request.fileName}`,
      body: request.reason.slice(0, 500),
      link: `/grading/submissions/${request.submissionId}`,
    })),
  });
  return count;
}
