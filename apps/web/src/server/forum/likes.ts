import type { Prisma, PrismaClient } from "@course/db";
import { DomainError } from "../errors";
import { writeTransaction } from "../page-cache";
import { publishPostUpdated } from "./live";
import { isModerator, type ForumActor } from "./permissions";
import { effectiveTrustLevel, refreshTrustLevel } from "./trust";
import { displayName } from "./users";

/**
 * Likes: one per member and post, never on one's own post, at most a daily number that grows with trust level
 * (Discourse's max_likes_per_day of 50, times 1.5 at level 2, 2 at level 3, 3 at level 4). The post's and the
 * topic's likeCount move in the transaction that adds or removes the like row, and only when a row was really added
 * or removed, so concurrent likes never miscount.
 */

type Tx = Prisma.TransactionClient;
type Db = PrismaClient | Tx;

/** Likes a member may give in 24 hours, by trust level 0-4. */
export const LIKES_PER_DAY_BY_TRUST_LEVEL: readonly number[] = [50, 50, 75, 100, 150];
const DAY_MS = 86_400_000;

export function likesPerDay(trustLevel: number): number {
  const levels = LIKES_PER_DAY_BY_TRUST_LEVEL;
  return levels[Math.max(0, Math.min(Math.trunc(trustLevel), levels.length - 1))]!;
}

export interface LikeResult {
  postId: string;
  liked: boolean;
  likeCount: number;
  /** likes the member may still give in the next 24 hours */
  remaining: number;
}

async function likeablePost(db: Db, postId: string, actor: ForumActor) {
  const post = await db.forumPost.findUnique({
    where: { id: postId },
    select: { id: true, number: true, authorId: true, kind: true, deletedAt: true, hiddenAt: true, topicId: true, topic: { select: { deletedAt: true, archivedAt: true } } },
  });
  if (!post || post.topic.deletedAt || ((post.deletedAt || post.hiddenAt) && !isModerator(actor.role))) throw new DomainError("NOT_FOUND", "There is no such post.");
  return post;
}

/**
 * Locks the member's row: their likes are counted and added one transaction at a time, so the limit holds. Their
 * level for the limit is the effective one (graders and admins count as level 4).
 */
async function lockUser(tx: Tx, userId: string): Promise<{ trustLevel: number }> {
  const [row] = await tx.$queryRaw<Array<{ trustLevel: number; role: ForumActor["role"] }>>`SELECT "trustLevel", "role"::text AS "role" FROM "User" WHERE id = ${userId} FOR UPDATE`;
  if (!row) throw new DomainError("UNAUTHORIZED", "Sign in first.");
  return { trustLevel: effectiveTrustLevel(row) };
}

async function givenToday(tx: Tx, userId: string, now: Date) {
  const since = new Date(now.getTime() - DAY_MS);
  const [count, oldest] = await Promise.all([
    tx.forumLike.count({ where: { userId, createdAt: { gt: since } } }),
    tx.forumLike.findFirst({ where: { userId, createdAt: { gt: since } }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
  ]);
  return { count, oldest: oldest?.createdAt ?? null };
}

const clock = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export async function likePost(prisma: PrismaClient, input: { postId: string; actor: ForumActor }): Promise<LikeResult> {
  const { actor } = input;
  const post = await likeablePost(prisma, input.postId, actor);
  if (post.authorId === actor.id) throw new DomainError("FORBIDDEN", "You cannot like your own post.");
  if (post.kind !== "regular") throw new DomainError("BAD_REQUEST", "Only posts can be liked.");
  if (post.deletedAt || post.hiddenAt) throw new DomainError("FORBIDDEN", "A deleted or hidden post cannot be liked.");
  if (post.topic.archivedAt) throw new DomainError("FORBIDDEN", "This topic is archived: its posts can no longer be liked.");
  return writeTransaction(prisma, async (tx) => {
    const now = new Date();
    const { trustLevel } = await lockUser(tx, actor.id);
    const limit = likesPerDay(trustLevel);
    const existing = await tx.forumLike.findUnique({ where: { postId_userId: { postId: post.id, userId: actor.id } }, select: { createdAt: true } });
    const today = await givenToday(tx, actor.id, now);
    if (existing) {
      const current = await tx.forumPost.findUniqueOrThrow({ where: { id: post.id }, select: { likeCount: true } });
      return { postId: post.id, liked: true, likeCount: current.likeCount, remaining: Math.max(0, limit - today.count) };
    }
    if (today.count >= limit) {
      const again = today.oldest ? new Date(today.oldest.getTime() + DAY_MS) : now;
      throw new DomainError("TOO_MANY_REQUESTS", `You have given your ${limit} likes for today. You can like again after ${clock(again)}.`, {
        limit,
        retryAt: again.toISOString(),
      });
    }
    const added = await tx.$executeRaw`
      INSERT INTO "ForumLike" ("postId", "userId", "createdAt") VALUES (${post.id}, ${actor.id}, ${now}) ON CONFLICT DO NOTHING`;
    const updated = added > 0 ? await countLike(tx, post, actor.id, 1) : await tx.forumPost.findUniqueOrThrow({ where: { id: post.id }, select: { likeCount: true } });
    return { postId: post.id, liked: true, likeCount: updated.likeCount, remaining: Math.max(0, limit - today.count - added) };
  });
}

export async function unlikePost(prisma: PrismaClient, input: { postId: string; actor: ForumActor }): Promise<LikeResult> {
  const { actor } = input;
  const post = await likeablePost(prisma, input.postId, actor);
  return writeTransaction(prisma, async (tx) => {
    const { trustLevel } = await lockUser(tx, actor.id);
    const removed = await tx.forumLike.deleteMany({ where: { postId: post.id, userId: actor.id } });
    const updated = removed.count > 0 ? await countLike(tx, post, actor.id, -1) : await tx.forumPost.findUniqueOrThrow({ where: { id: post.id }, select: { likeCount: true } });
    const today = await givenToday(tx, actor.id, new Date());
    return { postId: post.id, liked: false, likeCount: updated.likeCount, remaining: Math.max(0, likesPerDay(trustLevel) - today.count) };
  });
}

/** Moves the post's, topic's and both members' like counts by `delta`, relative to the rows (no read-modify-write). */
async function countLike(tx: Tx, post: { id: string; number: number; topicId: string; authorId: string | null }, likerId: string, delta: 1 | -1) {
  await publishPostUpdated(tx, { topicId: post.topicId, postId: post.id, number: post.number }, "liked");
  const updated = await tx.forumPost.update({ where: { id: post.id }, data: { likeCount: { increment: delta } }, select: { likeCount: true } });
  await tx.forumTopic.update({ where: { id: post.topicId }, data: { likeCount: { increment: delta } } });
  await tx.forumUserStat.upsert({ where: { userId: likerId }, create: { userId: likerId, likesGiven: Math.max(0, delta) }, update: { likesGiven: { increment: delta } } });
  if (post.authorId) {
    await tx.forumUserStat.upsert({ where: { userId: post.authorId }, create: { userId: post.authorId, likesReceived: Math.max(0, delta) }, update: { likesReceived: { increment: delta } } });
  }
  // Likes given and received count toward trust levels (levels only rise, so an unlike changes nothing).
  if (delta > 0) {
    await refreshTrustLevel(tx, likerId);
    if (post.authorId) await refreshTrustLevel(tx, post.authorId);
  }
  return updated;
}

/** Who liked a post (newest first, at most 50 names), for the like button's title. */
export async function likersOf(db: Db, postId: string, viewer: { role: ForumActor["role"] | null }) {
  const post = await db.forumPost.findUnique({ where: { id: postId }, select: { deletedAt: true, hiddenAt: true, likeCount: true, topic: { select: { deletedAt: true } } } });
  if (!post || ((post.deletedAt || post.hiddenAt || post.topic.deletedAt) && !isModerator(viewer.role))) throw new DomainError("NOT_FOUND", "There is no such post.");
  const likes = await db.forumLike.findMany({
    where: { postId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { user: { select: { name: true, username: true } } },
  });
  return { likeCount: post.likeCount, names: likes.map((l) => displayName(l.user)) };
}
