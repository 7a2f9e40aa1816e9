import type { Metadata } from "next";
import { unstable_cache } from "next/cache";
import { notFound } from "next/navigation";
import { getDb } from "~/server/db";
import { DomainError } from "~/server/errors";
import { viewTopic } from "~/server/forum/read";
import { topicConversation } from "~/server/forum/viewer-state";
import { topicViewTag } from "~/server/page-cache";
import { TopicArticle, topicMetadata } from "../../../forum/t/topic-article";

type Params = Promise<{ id: string; slug?: string[] }>;

// A topic as anonymous readers see it, the same for all of them: rendered once, then served from the page cache
// (cache-handler.mjs) until a write to the topic drops it (every forum write that publishes a live event for the topic
// names this view: server/forum/live.ts). Readers reach it at `/forum/t/<id>/<slug>` (next.config.ts rewrites a plain
// view by someone not signed in to here); signed-in readers, `?post=` and asks are rendered per request by
// `/forum/t/[id]/[[...slug]]`. `revalidate` bounds what no topic write announces (an author's new name or avatar).
export const revalidate = 60;
export async function generateStaticParams(): Promise<{ id: string }[]> {
  return [];
}

const ANONYMOUS = { id: null, role: null, trustLevel: 0 } as const;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return topicMetadata((await params).id);
}

export default async function CachedTopicPage({ params }: { params: Params }) {
  const { id } = await params;
  // Tags this render with the topic, so that a write to it drops the render from the cache.
  const tags = [topicViewTag(id)];
  await unstable_cache(async () => true, ["forum-view", ...tags], { tags })();
  const prisma = (await getDb()).prisma;
  try {
    const [conversation, { topic, window }] = await Promise.all([topicConversation(prisma, id, ANONYMOUS), viewTopic(prisma, id, ANONYMOUS)]);
    return <TopicArticle userId={null} topic={topic} window={window} conversation={conversation} opened={undefined} categories={[]} />;
  } catch (error) {
    if (error instanceof DomainError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
