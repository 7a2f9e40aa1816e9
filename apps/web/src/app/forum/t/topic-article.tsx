import type { Metadata } from "next";
import Link from "next/link";
import { ConversationProvider } from "~/components/forum/conversation-context";
import { CategoryBadge } from "~/components/forum/forum-views";
import { QuoteSelection } from "~/components/forum/quote-selection";
import { ReadTracker } from "~/components/forum/read-tracker";
import { TopicStream } from "~/components/forum/topic-stream";
import { TopicStates, TopicTools } from "~/components/forum/topic-tools";
import { WatchLevel } from "~/components/forum/watch-level";
import styles from "~/components/forum/forum.module.css";
import { getDb } from "~/server/db";
import type { PostWindow, TopicView } from "~/server/forum/read";
import type { TopicConversation } from "~/server/forum/viewer-state";

/** The page title of a topic, for both its routes (a deleted or unknown topic is just "Forum"). */
export async function topicMetadata(id: string): Promise<Metadata> {
  const topic = await (await getDb()).prisma.forumTopic.findUnique({ where: { id }, select: { title: true, deletedAt: true } });
  return { title: topic && !topic.deletedAt ? `${topic.title} · Forum` : "Forum" };
}

/**
 * A topic as read: its title, states and tools, and the window of ~20 posts around the opened post, which the reader
 * extends in both directions by scrolling or jumps anywhere by number or date (TopicStream). Rendered per request at
 * `/forum/t/<id>/<slug>` for signed-in readers and for `?post=` or an ask, and as anonymous readers see it, rendered
 * once and cached, at `/forum-view/<id>/<slug>` (next.config.ts rewrites them there). `userId` null is an anonymous reader.
 */
export function TopicArticle({
  userId,
  topic,
  window,
  conversation,
  opened,
  categories,
  prefill,
}: {
  userId: string | null;
  topic: TopicView;
  window: PostWindow;
  conversation: TopicConversation;
  opened: number | undefined;
  categories: { slug: string; name: string }[];
  prefill?: { text: string; query: string } | undefined;
}) {
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
      <TopicTools topic={topic} categories={categories} />
      <ConversationProvider topicId={topic.id} viewerId={userId} initial={conversation}>
        {conversation.level ? <WatchLevel target={{ topicId: topic.id }} initial={conversation.level} reason={conversation.levelReason} /> : null}
        <TopicStream key={`${topic.id}:${opened ?? 1}`} topic={topic} initial={window} target={window.target ?? 1} signedIn={userId !== null} {...(prefill ? { prefill } : {})} />
        <QuoteSelection />
        <ReadTracker />
      </ConversationProvider>
    </div>
  );
}
