import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { DomainError } from "~/server/errors";
import { askPrefill, askQuery, parseAskMoment } from "~/server/forum/ask";
import { getCourse } from "~/server/content";
import { categoriesOverview, viewTopic } from "~/server/forum/read";
import { topicConversation } from "~/server/forum/viewer-state";
import { TopicArticle, topicMetadata } from "../../topic-article";

export const dynamic = "force-dynamic";

type Params = Promise<{ id: string; slug?: string[] }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

const postParam = (v: string | string[] | undefined) => {
  const s = Array.isArray(v) ? v[0] : v;
  return s && /^\d{1,9}$/.test(s) ? Number(s) : undefined;
};

async function load(id: string, post?: number) {
  const user = await getCurrentUser();
  const viewer = { id: user?.id ?? null, role: user?.role ?? null, trustLevel: user?.trustLevel ?? 0 };
  try {
    const prisma = (await getDb()).prisma;
    // Without `?post=`, a reader who has been here opens at their first unread post.
    const conversation = await topicConversation(prisma, id, viewer);
    const opened = post ?? (conversation.firstUnread > 1 ? conversation.firstUnread : undefined);
    return { user, viewer, conversation, opened, ...(await viewTopic(prisma, id, viewer, { post: opened })) };
  } catch (error) {
    if (error instanceof DomainError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return topicMetadata((await params).id);
}

/**
 * A topic at `/forum/t/<id>/<slug>` for signed-in readers (opening at their first unread post), `?post=N` and asks
 * from the lesson page. Anonymous readers of a plain view get the cached `/forum-view/` route instead (next.config.ts).
 */
export default async function TopicPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { id } = await params;
  const query = await searchParams;
  const post = postParam(query.post);
  const { user, viewer, topic, window, conversation, opened } = await load(id, post);
  // "Ask about this moment" from the lesson page: the reply composer opens with the moment's link and line.
  const ask = topic.category.lessonSlug ? parseAskMoment(query) : null;
  const lessonNumber = ask ? (await getCourse()).lessons.find((l) => l.slug === topic.category.lessonSlug)?.lesson : undefined;
  const prefill = ask && lessonNumber !== undefined ? { text: askPrefill(ask, lessonNumber), query: askQuery(ask) } : undefined;
  const categories = topic.can.moderate ? await categoriesOverview((await getDb()).prisma, viewer) : [];
  return (
    <TopicArticle
      userId={user?.id ?? null}
      topic={topic}
      window={window}
      conversation={conversation}
      opened={opened}
      categories={categories.map((c) => ({ slug: c.slug, name: c.name }))}
      prefill={prefill}
    />
  );
}
