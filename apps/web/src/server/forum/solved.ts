import type { Prisma, PrismaClient } from "@course/db";
import { DomainError } from "../errors";
import { notify } from "../notifications/notify";
import { htmlToText } from "../wiki/render";
import { writeTransaction } from "../page-cache";
import { publishPostUpdated, publishTopicUpdated } from "./live";
import { logModeration } from "./moderation-log";
import { postPath } from "./paths";
import { isModerator, type ForumActor, type ForumViewer } from "./permissions";
import { syncTopicSearch } from "./search";
import { displayName } from "./users";

/**
 * "Solved" (Discourse's accepted answers): in a solvable category, the topic's author or a grader or admin marks one
 * reply as the answer; it is shown under the question (the first post) and the topic counts as solved. A moderator
 * doing it on someone else's topic is logged.
 */

type Tx = Prisma.TransactionClient;
type Db = PrismaClient | Tx;

/** The topics a list's "unsolved" filter keeps: in solvable categories, without an answer. */
export const UNSOLVED_TOPICS = { solvedPostId: null, category: { solvable: true } } as const satisfies Prisma.ForumTopicWhereInput;

interface LockedTopic {
  id: string;
  slug: string;
  title: string;
  authorId: string | null;
  solvedPostId: string | null;
  archivedAt: Date | null;
  deletedAt: Date | null;
  solvable: boolean;
}

async function lockTopic(tx: Tx, topicId: string): Promise<LockedTopic> {
  const [topic] = await tx.$queryRaw<LockedTopic[]>`
    SELECT t.id, t.slug, t.title, t."authorId", t."solvedPostId", t."archivedAt", t."deletedAt", c.solvable
    FROM "ForumTopic" t JOIN "ForumCategory" c ON c.id = t."categoryId" WHERE t.id = ${topicId} FOR UPDATE OF t`;
  if (!topic || topic.deletedAt) throw new DomainError("NOT_FOUND", "There is no such topic.");
  return topic;
}

/** May this viewer mark or unmark the topic's answer? */
export function canSolve(viewer: ForumViewer, topic: { authorId: string | null; archivedAt: Date | null; solvable: boolean }): boolean {
  if (viewer.id === null || !topic.solvable) return false;
  if (isModerator(viewer.role)) return true;
  return topic.authorId === viewer.id && !topic.archivedAt;
}

function assertCanSolve(actor: ForumActor, topic: LockedTopic) {
  if (!topic.solvable) throw new DomainError("BAD_REQUEST", "Topics in this category cannot be marked solved.");
  if (!canSolve(actor, topic)) {
    throw new DomainError("FORBIDDEN", topic.archivedAt && topic.authorId === actor.id ? "This topic is archived." : "Only the topic's author, graders and admins may mark the answer.");
  }
}

/** Marks a reply as the topic's answer (replacing an earlier one). */
export async function markSolved(prisma: PrismaClient, input: { postId: string; actor: ForumActor }) {
  const target = await prisma.forumPost.findUnique({ where: { id: input.postId }, select: { topicId: true } });
  if (!target) throw new DomainError("NOT_FOUND", "There is no such post.");
  return writeTransaction(prisma, async (tx) => {
    const topic = await lockTopic(tx, target.topicId);
    assertCanSolve(input.actor, topic);
    const post = await tx.forumPost.findUniqueOrThrow({ where: { id: input.postId }, select: { id: true, number: true, authorId: true, kind: true, deletedAt: true, hiddenAt: true } });
    if (post.number === 1) throw new DomainError("BAD_REQUEST", "The question itself cannot be its answer: mark a reply.");
    if (post.kind !== "regular" || post.deletedAt || post.hiddenAt) throw new DomainError("BAD_REQUEST", "A deleted or hidden post cannot be the answer.");
    if (topic.solvedPostId === post.id) return { solvedPostId: post.id, number: post.number, changed: false };
    await tx.forumTopic.update({ where: { id: topic.id }, data: { solvedPostId: post.id, solvedById: input.actor.id, solvedAt: new Date() } });
    // Search's "solved" filter reads the posts' documents: a first answer flips them all (a replaced one changes none,
    // but re-indexing is cheaper to reason about than tracking that).
    await syncTopicSearch(tx, topic.id);
    await publishPostUpdated(tx, { topicId: topic.id, postId: post.id, number: post.number }, "solved");
    await publishTopicUpdated(tx, topic.id);
    if (topic.authorId !== input.actor.id) {
      await logModeration(tx, { actor: input.actor, action: "topic.solve", targetType: "topic", targetId: topic.id, detail: { postId: post.id, number: post.number } });
    }
    if (post.authorId && post.authorId !== input.actor.id) {
      await notify(
        tx,
        post.authorId,
        "forum-solved",
        { title: `Your reply was marked as the answer to "${topic.title}"`, body: `${input.actor.name} marked it.`, link: postPath(topic, post.number) },
        { dedupeKey: `forum-solved:${topic.id}:${post.id}` },
      );
    }
    return { solvedPostId: post.id, number: post.number, changed: true };
  });
}

/** Takes the answer mark off a topic. */
export async function unmarkSolved(prisma: PrismaClient, input: { topicId: string; actor: ForumActor }) {
  return writeTransaction(prisma, async (tx) => {
    const topic = await lockTopic(tx, input.topicId);
    assertCanSolve(input.actor, topic);
    if (!topic.solvedPostId) return { solvedPostId: null, changed: false };
    await tx.forumTopic.update({ where: { id: topic.id }, data: { solvedPostId: null, solvedById: null, solvedAt: null } });
    await syncTopicSearch(tx, topic.id);
    await publishTopicUpdated(tx, topic.id);
    if (topic.authorId !== input.actor.id) {
      await logModeration(tx, { actor: input.actor, action: "topic.unsolve", targetType: "topic", targetId: topic.id, detail: { postId: topic.solvedPostId } });
    }
    return { solvedPostId: null, changed: true };
  });
}

/**
 * A post is being deleted or hidden: if it was its topic's answer, the topic is unsolved again (Discourse does the
 * same). For the core's delete and hide paths, in their transaction.
 */
export async function unsolveIfAnswerIn(tx: Tx, postId: string): Promise<boolean> {
  const topic = await tx.forumTopic.findUnique({ where: { solvedPostId: postId }, select: { id: true } });
  if (!topic) return false;
  const { count } = await tx.forumTopic.updateMany({ where: { id: topic.id, solvedPostId: postId }, data: { solvedPostId: null, solvedById: null, solvedAt: null } });
  // Its posts are open questions again for search's "solved" filter.
  if (count > 0) await syncTopicSearch(tx, topic.id);
  return count > 0;
}

export interface SolvedAnswerView {
  postId: string;
  number: number;
  author: string;
  excerpt: string;
  url: string;
  solvedBy: string;
  solvedAt: Date;
}

/** What the topic page shows under the question: the answer's author, its start and a link to it. */
export async function solvedAnswer(db: Db, topicId: string): Promise<SolvedAnswerView | null> {
  const topic = await db.forumTopic.findUnique({
    where: { id: topicId },
    select: {
      id: true,
      slug: true,
      solvedAt: true,
      solvedBy: { select: { name: true, username: true } },
      solvedPost: { select: { id: true, number: true, cooked: true, deletedAt: true, hiddenAt: true, author: { select: { name: true, username: true } } } },
    },
  });
  const post = topic?.solvedPost;
  if (!topic || !post || post.deletedAt || post.hiddenAt) return null;
  const text = htmlToText(post.cooked);
  return {
    postId: post.id,
    number: post.number,
    author: displayName(post.author),
    excerpt: text.length > 300 ? `${text.slice(0, 297)}…` : text,
    url: postPath(topic, post.number),
    solvedBy: displayName(topic.solvedBy),
    solvedAt: topic.solvedAt ?? new Date(0),
  };
}
