import type { Metadata } from "next";
import Link from "next/link";
import { ReviewActions } from "~/components/forum-moderation/review-actions";
import styles from "~/components/forum-moderation/moderation.module.css";
import { formatUtc } from "~/lib/format";
import { storedHref } from "~/lib/routes";
import { hasRole } from "~/server/auth/roles";
import { requireUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { FLAG_REASON_LABELS, HIDE_WEIGHT, reviewQueue } from "~/server/forum/flags";

export const metadata: Metadata = { title: "Review queue" };

/** Flags waiting for a grader or admin: one card per flagged post, the longest waiting first. */
export default async function ForumReviewPage() {
  const user = await requireUser("grader", "/forum/review");
  const { items, pendingPosts } = await reviewQueue((await getDb()).prisma, user);
  const admin = hasRole(user.role, "admin");
  return (
    <div className="stack">
      <div>
        <h1>Review queue</h1>
        <p className="lead">
          Posts members flagged, the longest waiting first. A post is hidden once its flags weigh {HIDE_WEIGHT} (members at
          trust level 1–2 count 1, regulars and leaders 1.5, a grader or admin all {HIDE_WEIGHT}). Agree to keep it hidden
          (or delete it; it counts against its author), disagree to show it again, or ignore the flags. Every decision goes
          in the moderation log.
        </p>
      </div>
      {items.length === 0 ? (
        <p className="card" data-testid="review-empty">
          Nothing to review: no post has pending flags.
        </p>
      ) : (
        <>
          <p className={styles.meta}>
            {pendingPosts} {pendingPosts === 1 ? "post waits" : "posts wait"} for review
            {pendingPosts > items.length ? ` (the oldest ${items.length} shown)` : ""}.
          </p>
          <ol className="stack" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {items.map((item) => (
              <li key={item.post.id} className={`card ${styles.item}`} data-testid="review-item">
                <div>
                  <Link href={storedHref(item.post.url)}>
                    <strong>{item.topic.title}</strong> · post {item.post.number}
                  </Link>
                  <div className={styles.meta}>
                    by{" "}
                    {admin && item.post.author.id ? <Link href={`/admin/users/${item.post.author.id}`}>{item.post.author.name}</Link> : item.post.author.name}
                    {item.post.author.role === "student" ? ` (trust level ${item.post.author.trustLevel})` : item.post.author.role ? ` (${item.post.author.role})` : ""} ·
                    written {formatUtc(item.post.createdAt)} · first flagged {formatUtc(item.firstFlaggedAt)}{" "}
                    {item.post.hidden && (
                      <span className={styles.status} data-tone="danger">
                        hidden
                      </span>
                    )}{" "}
                    {item.post.deleted && <span className={styles.status}>deleted</span>}
                  </div>
                </div>
                <div className={styles.post} data-hidden={item.post.hidden} dangerouslySetInnerHTML={{ __html: item.post.cooked }} />
                <div>
                  <strong>
                    {item.flags.length} {item.flags.length === 1 ? "flag" : "flags"}, weight {item.weight}
                  </strong>
                  <ul className={styles.flags}>
                    {item.flags.map((f) => (
                      <li key={f.id}>
                        <span className={styles.reason}>{FLAG_REASON_LABELS[f.reason]}</span> by {f.by.name}
                        {f.by.role === "student" ? ` (trust level ${f.by.trustLevel})` : ` (${f.by.role})`}, {formatUtc(f.createdAt)}
                        {f.note ? `: “${f.note}”` : ""}
                      </li>
                    ))}
                  </ul>
                </div>
                <ReviewActions postId={item.post.id} postNumber={item.post.number} hidden={item.post.hidden} />
              </li>
            ))}
          </ol>
        </>
      )}
      {admin && (
        <p className={styles.meta}>
          Every decision and moderator action: <Link href="/admin/moderation-log">the moderation log</Link>.
        </p>
      )}
    </div>
  );
}
