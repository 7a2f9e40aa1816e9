import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ForumComposer } from "~/components/forum/forum-composer";
import { TopicTable } from "~/components/forum/forum-views";
import styles from "~/components/forum/forum.module.css";
import { withQuery } from "~/lib/routes";
import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { categoryBySlug } from "~/server/forum/categories";
import { categoriesOverview, listTopics } from "~/server/forum/read";

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
  const rawBefore = (await searchParams).before;
  const prisma = (await getDb()).prisma;
  const category = await categoryBySlug(prisma, slug);
  if (!category) notFound();
  const user = await getCurrentUser();
  const viewer = { id: user?.id ?? null, role: user?.role ?? null };
  const before = typeof rawBefore === "string" && !Number.isNaN(Date.parse(rawBefore)) ? new Date(rawBefore) : undefined;
  const [list, categories] = await Promise.all([listTopics(prisma, { categorySlug: slug, before }, viewer), user ? categoriesOverview(prisma, viewer) : []]);
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
          <Link href={withQuery(`/forum/c/${slug}`, { before: list.next.toISOString() })}>Older topics</Link>
        </p>
      ) : null}
    </div>
  );
}
