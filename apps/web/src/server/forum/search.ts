import type { Prisma } from "@course/db";
import { indexDocuments, removeDocuments } from "../search/documents";
import { htmlToText } from "../wiki/render";
import { postPath } from "./paths";

type Tx = Prisma.TransactionClient;

/**
 * Forum posts in the course search (kind "post", key = the post's id, a hit links to the post's anchor). A post is
 * found while it and its topic are visible to everyone: not deleted, not hidden, the topic not unlisted. The title is
 * the topic's, so a reply is found by the question it answers.
 */

interface TopicFacts {
  id: string;
  slug: string;
  title: string;
  unlisted: boolean;
  deletedAt: Date | null;
  category: { lessonSlug: string | null };
}

interface PostFacts {
  id: string;
  number: number;
  kind: string;
  deletedAt: Date | null;
  hiddenAt: Date | null;
}

const searchable = (topic: TopicFacts, post: PostFacts) => !topic.unlisted && !topic.deletedAt && !post.deletedAt && !post.hiddenAt && post.kind === "regular";

/** Puts the post in the search index, or takes it out, as its state says. `plainText`: its cooked text's words. */
export async function syncPostSearch(tx: Tx, topic: TopicFacts, post: PostFacts, plainText: string): Promise<void> {
  if (!searchable(topic, post)) {
    await removeDocuments(tx, "post", [post.id]);
    return;
  }
  await indexDocuments(tx, "post", [{ key: post.id, url: postPath(topic, post.number), title: topic.title, body: plainText, lessonSlug: topic.category.lessonSlug }]);
}

const BATCH = 1000;

/** After a topic's title, category or state changed: every post of it re-indexed (or removed), in batches. */
export async function syncTopicSearch(tx: Tx, topicId: string): Promise<void> {
  const topic = await tx.forumTopic.findUniqueOrThrow({
    where: { id: topicId },
    select: { id: true, slug: true, title: true, unlisted: true, deletedAt: true, category: { select: { lessonSlug: true } } },
  });
  for (let after = 0; ; ) {
    const posts = await tx.forumPost.findMany({
      where: { topicId, number: { gt: after } },
      orderBy: { number: "asc" },
      take: BATCH,
      select: { id: true, number: true, kind: true, deletedAt: true, hiddenAt: true, cooked: true },
    });
    if (posts.length === 0) return;
    const keep = posts.filter((p) => searchable(topic, p));
    await removeDocuments(tx, "post", posts.filter((p) => !searchable(topic, p)).map((p) => p.id));
    await indexDocuments(
      tx,
      "post",
      keep.map((p) => ({ key: p.id, url: postPath(topic, p.number), title: topic.title, body: htmlToText(p.cooked), lessonSlug: topic.category.lessonSlug })),
    );
    after = posts[posts.length - 1]!.number;
  }
}
