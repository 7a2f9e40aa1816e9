import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import styles from "~/components/forum/forum.module.css";
import { formatUtc } from "~/lib/format";
import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { DomainError } from "~/server/errors";
import { userActivity } from "~/server/forum/read";

export const dynamic = "force-dynamic";

type Params = Promise<{ username: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `@${decodeURIComponent((await params).username)} · Forum` };
}

/** A member's forum page, where `@mentions` lead: name, counts and latest posts. */
export default async function ForumUserPage({ params }: { params: Params }) {
  const username = decodeURIComponent((await params).username);
  const user = await getCurrentUser();
  let activity;
  try {
    activity = await userActivity((await getDb()).prisma, username, { id: user?.id ?? null, role: user?.role ?? null });
  } catch (error) {
    if (error instanceof DomainError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return (
    <div className={styles.layout}>
      <p className={styles.crumbs}>
        <Link href="/forum">Forum</Link>
      </p>
      <h1>
        {activity.name} <span className={styles.muted}>@{activity.username}</span>
      </h1>
      <p className={styles.muted}>
        Joined {formatUtc(activity.joinedAt, "day")} · {activity.topicCount} topics · {activity.postCount} posts · trust level {activity.trustLevel}
      </p>
      <h2>Latest posts</h2>
      {activity.posts.length === 0 ? (
        <p className={styles.muted}>No posts yet.</p>
      ) : (
        <ul className="stack" data-testid="user-posts">
          {activity.posts.map((p) => (
            <li key={p.url}>
              <a href={p.url}>{p.topic}</a> <span className={styles.muted}>{formatUtc(p.createdAt)}</span>
              <div>{p.excerpt}</div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
