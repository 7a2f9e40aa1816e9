import { Prisma, type PrismaClient } from "@course/db";
import { DomainError } from "../errors";
import { recordVisit } from "./trust";

/**
 * Unread tracking (Discourse's model): each user's ForumTopicUser.lastReadPostNumber, moved forward by the topic
 * page as posts scroll into view (markRead, batched by the page). A topic is "unread" for a user who tracks or
 * watches it when it has posts past that number; "new" when it is recent and the user never opened it.
 */

type Db = PrismaClient | Prisma.TransactionClient;

/** One markRead call counts at most this many seconds of reading (the page sends a batch every few seconds). */
export const MAX_READ_SECONDS_PER_CALL = 60;
/** Topics created this recently that a user never opened count as new (Discourse's new_topic_duration). */
export const NEW_TOPIC_DAYS = 14;

export interface MarkReadResult {
  lastReadPostNumber: number;
  /** how many posts this call marked read */
  newlyRead: number;
}

/**
 * Marks the topic read up to `upToNumber` for the user (never backwards, never past the topic's last post) and adds
 * `seconds` of reading time; keeps the reading statistics trust levels use (ForumUserStat) in the same transaction.
 */
export async function markRead(prisma: PrismaClient, input: { userId: string; topicId: string; upToNumber: number; seconds: number }): Promise<MarkReadResult> {
  const seconds = Math.max(0, Math.min(Math.round(input.seconds), MAX_READ_SECONDS_PER_CALL));
  return prisma.$transaction(async (tx) => {
    const topic = await tx.forumTopic.findUnique({ where: { id: input.topicId }, select: { highestPostNumber: true, deletedAt: true } });
    if (!topic || topic.deletedAt) throw new DomainError("NOT_FOUND", "There is no such topic.");
    const entered = await tx.$executeRaw`
      INSERT INTO "ForumTopicUser" ("userId", "topicId") VALUES (${input.userId}, ${input.topicId}) ON CONFLICT DO NOTHING`;
    // The row lock orders two tabs' batches: each sees the other's number and only moves it forward.
    const [row] = await tx.$queryRaw<Array<{ lastReadPostNumber: number }>>`
      SELECT "lastReadPostNumber" FROM "ForumTopicUser" WHERE "userId" = ${input.userId} AND "topicId" = ${input.topicId} FOR UPDATE`;
    const before = row?.lastReadPostNumber ?? 0;
    const after = Math.max(before, Math.min(input.upToNumber, topic.highestPostNumber));
    const now = new Date();
    await tx.forumTopicUser.update({
      where: { userId_topicId: { userId: input.userId, topicId: input.topicId } },
      data: { lastReadPostNumber: after, readSeconds: { increment: seconds }, lastVisitedAt: now },
    });
    const newlyRead = after - before;
    if (newlyRead > 0 || seconds > 0 || entered > 0) {
      const counts = { postsRead: newlyRead, readSeconds: seconds, topicsEntered: entered > 0 ? 1 : 0 };
      await tx.forumUserStat.upsert({
        where: { userId: input.userId },
        create: { userId: input.userId, ...counts },
        update: { postsRead: { increment: counts.postsRead }, readSeconds: { increment: counts.readSeconds }, topicsEntered: { increment: counts.topicsEntered } },
      });
      // Reading is a visit, and what trust levels are earned from: the level catches up in this transaction.
      await recordVisit(tx, input.userId, now);
    }
    return { lastReadPostNumber: after, newlyRead };
  });
}

/**
 * Where the topic page opens for this user: their first unread post that is not deleted; the last post when they
 * read everything; the first post when they never opened the topic (or are not signed in).
 */
export async function firstUnreadPostNumber(db: Db, userId: string | null, topicId: string): Promise<number> {
  if (userId === null) return 1;
  const row = await db.forumTopicUser.findUnique({ where: { userId_topicId: { userId, topicId } }, select: { lastReadPostNumber: true } });
  const lastRead = row?.lastReadPostNumber ?? 0;
  if (lastRead === 0) return 1;
  const next = await db.forumPost.findFirst({ where: { topicId, number: { gt: lastRead }, deletedAt: null }, orderBy: { number: "asc" }, select: { number: true } });
  return next?.number ?? lastRead;
}

/**
 * A user's level rank in SQL (muted 0, normal 1, tracking 2, watching 3), as effectiveLevel in tracking.ts computes
 * it: tu is the topic row, cu the category row (both LEFT JOINed, either may be null).
 */
const LEVEL_RANK = (column: Prisma.Sql) =>
  Prisma.sql`(CASE ${column} WHEN 'muted' THEN 0 WHEN 'tracking' THEN 2 WHEN 'watching' THEN 3 ELSE 1 END)`;
const EFFECTIVE_RANK = Prisma.sql`(CASE
  WHEN tu."levelReason" = 'user' THEN ${LEVEL_RANK(Prisma.sql`tu."notificationLevel"`)}
  WHEN tu."levelReason" IS NOT NULL AND tu."levelReason" <> '' AND (cu."notificationLevel" = 'muted' OR ${LEVEL_RANK(Prisma.sql`tu."notificationLevel"`)} >= ${LEVEL_RANK(Prisma.sql`cu."notificationLevel"`)})
    THEN ${LEVEL_RANK(Prisma.sql`tu."notificationLevel"`)}
  ELSE ${LEVEL_RANK(Prisma.sql`cu."notificationLevel"`)}
END)`;

export interface UnreadCounts {
  /** topics the user tracks or watches with posts they have not read */
  unread: number;
  /** recent topics the user never opened (not muted) */
  new: number;
}

/** /forum's counts for a user, by category slug (categories with nothing unread or new are left out). */
export async function unreadByCategory(db: Db, user: { id: string; createdAt?: Date }): Promise<Record<string, UnreadCounts>> {
  const since = new Date(Math.max(Date.now() - NEW_TOPIC_DAYS * 86_400_000, user.createdAt?.getTime() ?? 0));
  const rows = await db.$queryRaw<Array<{ slug: string; unread: bigint; new: bigint }>>`
    SELECT c.slug,
      count(*) FILTER (WHERE tu."userId" IS NOT NULL AND t."highestPostNumber" > tu."lastReadPostNumber" AND ${EFFECTIVE_RANK} >= 2) AS unread,
      count(*) FILTER (WHERE (tu."userId" IS NULL OR tu."lastReadPostNumber" = 0) AND t."createdAt" > ${since} AND ${EFFECTIVE_RANK} >= 1
        AND (t."authorId" IS NULL OR t."authorId" <> ${user.id})) AS new
    FROM "ForumTopic" t
    JOIN "ForumCategory" c ON c.id = t."categoryId" AND c."removedAt" IS NULL
    LEFT JOIN "ForumTopicUser" tu ON tu."topicId" = t.id AND tu."userId" = ${user.id}
    LEFT JOIN "ForumCategoryUser" cu ON cu."categoryId" = t."categoryId" AND cu."userId" = ${user.id}
    WHERE t."deletedAt" IS NULL AND t.unlisted = false AND t."highestPostNumber" > COALESCE(tu."lastReadPostNumber", 0)
    GROUP BY c.slug`;
  const out: Record<string, UnreadCounts> = {};
  for (const r of rows) {
    const counts = { unread: Number(r.unread), new: Number(r.new) };
    if (counts.unread > 0 || counts.new > 0) out[r.slug] = counts;
  }
  return out;
}

export interface TopicReadState {
  lastReadPostNumber: number;
  /** posts past the last one read, for a tracked or watched topic (0 otherwise) */
  unread: number;
  /** the user never opened it */
  new: boolean;
}

/** Per topic of a list: how far the user read and what is unread (topics the user never opened are new). */
export async function topicReadStates(db: Db, userId: string, topicIds: readonly string[]): Promise<Record<string, TopicReadState>> {
  if (topicIds.length === 0) return {};
  const rows = await db.$queryRaw<Array<{ id: string; highest: number; lastRead: number | null; rank: number }>>`
    SELECT t.id, t."highestPostNumber" AS highest, tu."lastReadPostNumber" AS "lastRead", ${EFFECTIVE_RANK} AS rank
    FROM "ForumTopic" t
    LEFT JOIN "ForumTopicUser" tu ON tu."topicId" = t.id AND tu."userId" = ${userId}
    LEFT JOIN "ForumCategoryUser" cu ON cu."categoryId" = t."categoryId" AND cu."userId" = ${userId}
    WHERE t.id IN (${Prisma.join([...new Set(topicIds)])})`;
  return Object.fromEntries(
    rows.map((r) => {
      const lastRead = r.lastRead ?? 0;
      return [r.id, { lastReadPostNumber: lastRead, unread: lastRead > 0 && Number(r.rank) >= 2 ? Math.max(0, r.highest - lastRead) : 0, new: lastRead === 0 && Number(r.rank) >= 1 }];
    }),
  );
}
