import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ForumComposer } from "~/components/forum/forum-composer";
import conversationStyles from "~/components/forum/conversation.module.css";
import { TopicTable } from "~/components/forum/forum-views";
import { SearchBox } from "~/components/search/search-box";
import { WatchLevel } from "~/components/forum/watch-level";
import styles from "~/components/forum/forum.module.css";
import { withQuery } from "~/lib/routes";
import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { categoryBySlug } from "~/server/forum/categories";
import { categoriesOverview, listTopics } from "~/server/forum/read";
import { categoryLevels, type NotificationLevel } from "~/server/forum/tracking";

export const dynamic = "force-dynamic";

type Params = Promise<{ slug: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const category = await categoryBySlug((await getDb()).prisma, (await params).slug);
  return { title: category ? `${category.name} · Forum` : "Forum" };
}

/** A category: its topics, pinned first, then by latest activity, a page at a time (`?before=` the last one's time). */
export default async function CategoryPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { slug } = await params;
  const search = await searchParams;
  const rawBefore = search.before;
  const unsolved = search.filter === "unsolved";
  const prisma = (await getDb()).prisma;
  const category = await categoryBySlug(prisma, slug);
  if (!category) notFound();
  const user = await getCurrentUser();
  const viewer = { id: user?.id ?? null, role: user?.role ?? null };
  const before = typeof rawBefore === "string" && !Number.isNaN(Date.parse(rawBefore)) ? new Date(rawBefore) : undefined;
  const [list, categories, levels] = await Promise.all([
    listTopics(prisma, { categorySlug: slug, before, ...(unsolved ? { filter: "unsolved" as const } : {}) }, viewer),
    user ? categoriesOverview(prisma, viewer) : [],
    user ? categoryLevels(prisma, user.id) : Promise.resolve<Record<string, NotificationLevel>>({}),
  ]);
  return (
    <div className={styles.layout}>
      <p className={styles.crumbs}>
        <Link href="/forum">Forum</Link>
      </p>
      <h1 style={category.color ? ({ borderLeft: `6px solid ${category.color}`, paddingLeft: "0.5rem" }) : undefined}>{category.name}</h1>
      {category.description ? <p className="lead">{category.description}</p> : null}
      {category.lessonSlug ? (
        <p>
          <a href={`/lessons/${category.lessonSlug}`}>Go to the lesson</a>
        </p>
      ) : null}
      <SearchBox label={`Search ${category.name}`} placeholder="Search this category" hidden={{ kinds: "post", category: slug }} />
      {user ? <WatchLevel target={{ category: slug }} initial={levels[slug] ?? "normal"} /> : null}
      {category.solvable ? (
        <p className={conversationStyles.filters} data-testid="topic-filters">
          {unsolved ? <Link href={`/forum/c/${slug}`}>All topics</Link> : <strong>All topics</strong>}
          {unsolved ? <strong>Unsolved questions</strong> : <Link href={withQuery(`/forum/c/${slug}`, { filter: "unsolved" })}>Unsolved questions</Link>}
        </p>
      ) : null}
      {user ? (
        <details>
          <summary>New topic in {category.name}</summary>
          <ForumComposer mode={{ kind: "topic", categories: categories.map((c) => ({ slug: c.slug, name: c.name })), category: slug }} />
        </details>
      ) : (
        <p>
          <Link href={withQuery("/signin", { callbackUrl: `/forum/c/${slug}` })}>Sign in</Link> to start a topic.
        </p>
      )}
      <TopicTable topics={list.topics} showCategory={false} />
      {list.next ? (
        <p>
          <Link href={withQuery(`/forum/c/${slug}`, { before: list.next.toISOString(), ...(unsolved ? { filter: "unsolved" } : {}) })}>Older topics</Link>
        </p>
      ) : null}
    </div>
  );
}
