import type { Prisma } from "@course/db";
import { indexDocuments, removeDocuments, type SearchDocumentInput } from "../search/documents";
import { htmlToText } from "../wiki/render";
import { postPath } from "./paths";

type Tx = Prisma.TransactionClient;

/**
 * Forum posts in the course search (kind "post", key = the post's id, a hit links to the post's anchor). A post is
 * found while it and its topic are visible to everyone: not deleted, not hidden, the topic not unlisted. The title is
 * the topic's, so a reply is found by the question it answers. Each post carries the facets search filters on: its
 * category's slug, its author's id, when it was written, and whether its topic is solved (null outside solvable
 * categories). So a topic's title, category or solved state changing re-indexes all its posts (syncTopicSearch).
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

/** What the facets are read from (loaded by the sync functions themselves, so callers pass only what they had). */
const topicFacets = { solvedPostId: true, category: { select: { slug: true, solvable: true, lessonSlug: true } } } as const;
type TopicFacets = Prisma.ForumTopicGetPayload<{ select: typeof topicFacets }>;

const searchable = (topic: TopicFacts, post: PostFacts) => !topic.unlisted && !topic.deletedAt && !post.deletedAt && !post.hiddenAt && post.kind === "regular";

function postDocument(
  topic: Pick<TopicFacts, "id" | "slug" | "title">,
  facets: TopicFacets,
  post: { id: string; number: number; authorId: string | null; createdAt: Date },
  plainText: string,
): SearchDocumentInput {
  return {
    key: post.id,
    url: postPath(topic, post.number),
    title: topic.title,
    body: plainText,
    lessonSlug: facets.category.lessonSlug,
    category: facets.category.slug,
    authorId: post.authorId,
    solved: facets.solvedPostId !== null ? true : facets.category.solvable ? false : null,
    writtenAt: post.createdAt,
  };
}

/** Puts the post in the search index, or takes it out, as its state says. `plainText`: its cooked text's words. */
export async function syncPostSearch(tx: Tx, topic: TopicFacts, post: PostFacts, plainText: string): Promise<void> {
  if (!searchable(topic, post)) {
    await removeDocuments(tx, "post", [post.id]);
    return;
  }
  const row = await tx.forumPost.findUniqueOrThrow({ where: { id: post.id }, select: { authorId: true, createdAt: true, topic: { select: topicFacets } } });
  await indexDocuments(tx, "post", [postDocument(topic, row.topic, { id: post.id, number: post.number, authorId: row.authorId, createdAt: row.createdAt }, plainText)]);
}

const BATCH = 1000;

/** After a topic's title, category or state (solved, unlisted, deleted) changed: every post of it re-indexed (or removed), in batches. */
export async function syncTopicSearch(tx: Tx, topicId: string): Promise<void> {
  const topic = await tx.forumTopic.findUniqueOrThrow({
    where: { id: topicId },
    select: { id: true, slug: true, title: true, unlisted: true, deletedAt: true, ...topicFacets },
  });
  for (let after = 0; ; ) {
    const posts = await tx.forumPost.findMany({
      where: { topicId, number: { gt: after } },
      orderBy: { number: "asc" },
      take: BATCH,
      select: { id: true, number: true, kind: true, deletedAt: true, hiddenAt: true, cooked: true, authorId: true, createdAt: true },
    });
    if (posts.length === 0) return;
    const keep = posts.filter((p) => searchable(topic, p));
    await removeDocuments(tx, "post", posts.filter((p) => !searchable(topic, p)).map((p) => p.id));
    await indexDocuments(
      tx,
      "post",
      keep.map((p) => postDocument(topic, topic, p, htmlToText(p.cooked))),
    );
    after = posts[posts.length - 1]!.number;
  }
}
