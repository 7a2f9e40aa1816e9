import type { Prisma } from "@course/db";
import { topicChannel, userChannel } from "../live/channels";
import { publish, publishMany } from "../live/publish";
import { pagesChanged, topicViewTag } from "../page-cache";

type Tx = Prisma.TransactionClient;
type PostChange = "edited" | "liked" | "deleted" | "restored" | "hidden" | "solved";

/**
 * The forum's live events, published inside the write's transaction so readers hear of a change only once it is
 * committed (and never of one rolled back). Events carry ids and numbers; pages refetch through the usual reads.
 * A topic's live event is exactly when its page changes, so each also drops the topic's cached anonymous view; the
 * drop goes first, so that a reader who refetches on the event never gets the old page from the cache.
 */
export async function publishPostCreated(tx: Tx, post: { topicId: string; postId: string; number: number; authorId: string | null }) {
  await pagesChanged(tx, [topicViewTag(post.topicId)]);
  await publish(tx, topicChannel(post.topicId), { type: "post-created", topicId: post.topicId, postId: post.postId, number: post.number });
  // Members who track or watch the topic see its unread count on /forum and in category lists: tell them to refetch.
  const readers = await tx.forumTopicUser.findMany({
    where: { topicId: post.topicId, notificationLevel: { in: ["tracking", "watching"] }, ...(post.authorId ? { userId: { not: post.authorId } } : {}) },
    select: { userId: true },
    take: MAX_UNREAD_RECIPIENTS,
  });
  await publishMany(tx, readers.map((r) => ({ channel: userChannel(r.userId), event: { type: "forum-unread-changed", topicId: post.topicId } })));
}

/** A bound on one post's fan-out of unread events (a topic tracked by more refreshes those lists on the next visit). */
const MAX_UNREAD_RECIPIENTS = 2000;

export async function publishPostUpdated(tx: Tx, post: { topicId: string; postId: string; number: number }, change: PostChange) {
  await pagesChanged(tx, [topicViewTag(post.topicId)]);
  await publish(tx, topicChannel(post.topicId), { type: "post-updated", topicId: post.topicId, postId: post.postId, number: post.number, change });
}

export async function publishTopicUpdated(tx: Tx, topicId: string) {
  await pagesChanged(tx, [topicViewTag(topicId)]);
  await publish(tx, topicChannel(topicId), { type: "topic-updated", topicId });
}
