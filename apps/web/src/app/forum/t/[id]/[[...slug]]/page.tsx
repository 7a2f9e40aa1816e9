import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ConversationProvider } from "~/components/forum/conversation-context";
import { CategoryBadge } from "~/components/forum/forum-views";
import { QuoteSelection } from "~/components/forum/quote-selection";
import { ReadTracker } from "~/components/forum/read-tracker";
import { TopicStream } from "~/components/forum/topic-stream";
import { TopicStates, TopicTools } from "~/components/forum/topic-tools";
import { WatchLevel } from "~/components/forum/watch-level";
import styles from "~/components/forum/forum.module.css";
import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { DomainError } from "~/server/errors";
import { askPrefill, askQuery, parseAskMoment } from "~/server/forum/ask";
import { getCourse } from "~/server/content";
import { categoriesOverview, viewTopic } from "~/server/forum/read";
import { topicConversation } from "~/server/forum/viewer-state";

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
  const { id } = await params;
  const topic = await (await getDb()).prisma.forumTopic.findUnique({ where: { id }, select: { title: true, deletedAt: true } });
  return { title: topic && !topic.deletedAt ? `${topic.title} · Forum` : "Forum" };
}

/**
 * A topic: its title, states and tools, and the window of ~20 posts around `?post=N` (the first post by default),
 * which the reader extends in both directions by scrolling or jumps anywhere by number or date (TopicStream).
 */
export default async function TopicPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { id } = await params;
  const query = await searchParams;
  const post = postParam(query.post);
  const { user, viewer, topic, window, conversation, opened } = await load(id, post);
  // "Ask about this moment" from the lesson page: the reply composer opens with the moment's link and line.
  const ask = topic.category.lessonSlug ? parseAskMoment(query) : null;
  const lessonNumber = ask ? (await getCourse()).lessons.find((l) => l.slug === topic.category.lessonSlug)?.lesson : undefined;
  const ask_ = ask && lessonNumber !== undefined ? { text: askPrefill(ask, lessonNumber), query: askQuery(ask) } : undefined;
  const categories = topic.can.moderate ? await categoriesOverview((await getDb()).prisma, viewer) : [];
  return (
    <div className={styles.layout}>
      <p className={styles.crumbs}>
        <Link href="/forum">Forum</Link> › <CategoryBadge category={topic.category} />
      </p>
      <h1 data-testid="topic-title">
        {topic.title}
        <TopicStates states={{ pinned: topic.pinned, closed: topic.closed, archived: topic.archived, unlisted: topic.unlisted, deleted: topic.deleted }} />
      </h1>
      {topic.category.lessonSlug && topic.key?.startsWith("lesson:") ? (
        <p className={styles.muted}>
          The discussion thread of <a href={`/lessons/${topic.category.lessonSlug}`}>the lesson</a>.
        </p>
      ) : null}
      <TopicTools topic={topic} categories={categories.map((c) => ({ slug: c.slug, name: c.name }))} />
      <ConversationProvider topicId={topic.id} viewerId={user?.id ?? null} initial={conversation}>
        {conversation.level ? <WatchLevel target={{ topicId: topic.id }} initial={conversation.level} reason={conversation.levelReason} /> : null}
        <TopicStream key={`${topic.id}:${opened ?? 1}`} topic={topic} initial={window} target={window.target ?? 1} signedIn={user !== null} {...(ask_ ? { prefill: ask_ } : {})} />
        <QuoteSelection />
        <ReadTracker />
      </ConversationProvider>
    </div>
  );
}
