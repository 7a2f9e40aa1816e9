import type { Prisma, PrismaClient } from "@course/db";
import { DomainError } from "../errors";
import { likesPerDay } from "./likes";
import { isModerator, type ForumViewer } from "./permissions";
import { canSolve, solvedAnswer, type SolvedAnswerView } from "./solved";
import { topicLevel, type NotificationLevel } from "./tracking";
import { firstUnreadPostNumber } from "./unread";

/**
 * What a topic page shows that depends on who reads it, beside the posts themselves (which h5's reads serve the same
 * to everyone): the reader's likes, bookmarks, watching level and place, and the topic's answer.
 */

type Db = PrismaClient | Prisma.TransactionClient;

export interface PostStates {
  /** ids of the posts the viewer liked */
  liked: string[];
  /** the viewer's bookmarks among the posts: post id -> note */
  bookmarks: Record<string, string>;
  /** ids of the posts the viewer has flagged (one flag per member and post, whatever came of it) */
  flagged: string[];
}

/** The viewer's likes and bookmarks among these posts (a window of the topic). */
export async function postStates(db: Db, userId: string, postIds: readonly string[]): Promise<PostStates> {
  const ids = [...new Set(postIds)];
  if (ids.length === 0) return { liked: [], bookmarks: {}, flagged: [] };
  const [likes, bookmarks, flags] = await Promise.all([
    db.forumLike.findMany({ where: { userId, postId: { in: ids } }, select: { postId: true } }),
    db.forumBookmark.findMany({ where: { userId, postId: { in: ids } }, select: { postId: true, note: true } }),
    db.forumFlag.findMany({ where: { userId, postId: { in: ids } }, select: { postId: true } }),
  ]);
  return { liked: likes.map((l) => l.postId), bookmarks: Object.fromEntries(bookmarks.map((b) => [b.postId, b.note])), flagged: flags.map((f) => f.postId) };
}

export interface TopicConversation {
  solvable: boolean;
  /** may the viewer mark or unmark the answer */
  canSolve: boolean;
  answer: SolvedAnswerView | null;
  /** null for an anonymous visitor */
  level: NotificationLevel | null;
  levelReason: string;
  /** the post the page opens at: the viewer's first unread one */
  firstUnread: number;
  lastRead: number;
  /** likes the viewer may give per day */
  likesPerDay: number | null;
}

export async function topicConversation(db: Db, topicId: string, viewer: ForumViewer): Promise<TopicConversation> {
  const topic = await db.forumTopic.findUnique({ where: { id: topicId }, select: { id: true, authorId: true, archivedAt: true, deletedAt: true, category: { select: { solvable: true } } } });
  if (!topic || (topic.deletedAt && !isModerator(viewer.role))) throw new DomainError("NOT_FOUND", "There is no such topic.");
  const facts = { authorId: topic.authorId, archivedAt: topic.archivedAt, solvable: topic.category.solvable };
  const [answer, level, firstUnread, read, user] = await Promise.all([
    facts.solvable ? solvedAnswer(db, topic.id) : null,
    viewer.id && !topic.deletedAt ? topicLevel(db, viewer.id, topic.id) : null,
    firstUnreadPostNumber(db, viewer.id, topic.id),
    viewer.id ? db.forumTopicUser.findUnique({ where: { userId_topicId: { userId: viewer.id, topicId: topic.id } }, select: { lastReadPostNumber: true } }) : null,
    viewer.id ? db.user.findUnique({ where: { id: viewer.id }, select: { trustLevel: true } }) : null,
  ]);
  return {
    solvable: facts.solvable,
    canSolve: canSolve(viewer, facts),
    answer,
    level: level?.level ?? null,
    levelReason: level?.reason ?? "",
    firstUnread,
    lastRead: read?.lastReadPostNumber ?? 0,
    likesPerDay: user ? likesPerDay(user.trustLevel) : null,
  };
}
