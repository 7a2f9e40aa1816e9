import type { Metadata } from "next";
import Link from "next/link";
import { ForumComposer } from "~/components/forum/forum-composer";
import { SearchBox } from "~/components/search/search-box";
import { CategoryList, TopicTable } from "~/components/forum/forum-views";
import styles from "~/components/forum/forum.module.css";
import { withQuery } from "~/lib/routes";
import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { pendingReviewCount } from "~/server/forum/flags";
import { isModerator } from "~/server/forum/permissions";
import { categoriesOverview, listTopics } from "~/server/forum/read";

export const metadata: Metadata = { title: "Forum" };
export const dynamic = "force-dynamic";

/** The forum's front page: the categories (one per lesson, and the content's others) and the latest topics. */
export default async function ForumIndex() {
  const prisma = (await getDb()).prisma;
  const user = await getCurrentUser();
  const viewer = { id: user?.id ?? null, role: user?.role ?? null };
  const [categories, latest] = await Promise.all([categoriesOverview(prisma, viewer), listTopics(prisma, { limit: 20 }, viewer)]);
  const pendingReview = isModerator(user?.role) ? await pendingReviewCount(prisma) : null;
  return (
    <div className={styles.layout}>
      <h1>Forum</h1>
      <p className="lead">Questions, answers and discussion: one category per lesson, each with its lesson&apos;s thread.</p>
      <SearchBox label="Search the forum" placeholder="Search the forum" hidden={{ kinds: "post" }} />
      {user ? (
        <details>
          <summary>New topic</summary>
          <ForumComposer mode={{ kind: "topic", categories: categories.map((c) => ({ slug: c.slug, name: c.name })) }} />
        </details>
      ) : (
        <p>
          <Link href={withQuery("/signin", { callbackUrl: "/forum" })}>Sign in</Link> to start a topic or reply.
        </p>
      )}
      {pendingReview !== null ? (
        <p data-testid="review-queue-link">
          <Link href="/forum/review">Review queue</Link>: {pendingReview === 0 ? "nothing waits" : `${pendingReview} flagged ${pendingReview === 1 ? "post waits" : "posts wait"}`} for
          a moderator.
        </p>
      ) : null}
      <h2>Categories</h2>
      <CategoryList categories={categories} />
      <h2>Latest</h2>
      <TopicTable topics={latest.topics} showCategory />
    </div>
  );
}
