import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RevisionDiff } from "~/components/revisions";
import styles from "~/components/forum/forum.module.css";
import { formatUtc } from "~/lib/format";
import { getCurrentUser } from "~/server/auth/session";
import { getDb } from "~/server/db";
import { DomainError } from "~/server/errors";
import { postDiff, postHistory } from "~/server/forum/read";

export const metadata: Metadata = { title: "Post history · Forum" };
export const dynamic = "force-dynamic";

type Params = Promise<{ id: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;
const int = (v: string | string[] | undefined) => {
  const s = Array.isArray(v) ? v[0] : v;
  return s && /^\d{1,9}$/.test(s) ? Number(s) : undefined;
};

async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof DomainError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
}

/** A post's revisions (everyone who can read the post; moderators every post) and the diff of any two. */
export default async function PostHistoryPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { id } = await params;
  const query = await searchParams;
  const prisma = (await getDb()).prisma;
  const user = await getCurrentUser();
  const viewer = { id: user?.id ?? null, role: user?.role ?? null, trustLevel: user?.trustLevel ?? 0 };
  const history = await orNotFound(postHistory(prisma, id, viewer));
  const latest = history.revisions[0]?.number ?? 0;
  const to = int(query.to) ?? latest;
  const from = int(query.from) ?? Math.max(0, to - 1);
  const diff = await orNotFound(postDiff(prisma, id, Math.min(from, to), Math.max(from, to), viewer));
  const side = query.view === "side";
  return (
    <div className={styles.layout}>
      <p className={styles.crumbs}>
        <Link href="/forum">Forum</Link> › <a href={history.topic.url}>{history.topic.title}</a>
      </p>
      <h1>History of post {history.number}</h1>
      <p>
        <a href={history.postUrl}>Back to the post</a>
        {history.wiki ? <span className={styles.muted}> · a wiki post: every member&apos;s edit is kept here</span> : null}
      </p>
      <section aria-label="Differences">
        <RevisionDiff diff={diff.diff} view={side ? "side-by-side" : "inline"} oldLabel={`revision ${diff.from}`} newLabel={`revision ${diff.to}`} />
        <p>
          <Link href={`/forum/posts/${id}/history?from=${diff.from}&to=${diff.to}${side ? "" : "&view=side"}`}>{side ? "Inline view" : "Side by side"}</Link>
        </p>
      </section>
      <form method="get" action={`/forum/posts/${id}/history`} className="stack">
        <div className={styles.table}>
          <table data-testid="post-history">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Revision</th>
                <th scope="col">Author</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {history.revisions.map((r) => (
                <tr key={r.number} data-revision={r.number}>
                  <td>
                    <input type="radio" name="from" value={r.number} defaultChecked={r.number === Math.min(from, to)} aria-label={`from revision ${r.number}`} />
                  </td>
                  <td>
                    <input type="radio" name="to" value={r.number} defaultChecked={r.number === Math.max(from, to)} aria-label={`to revision ${r.number}`} />
                  </td>
                  <td>
                    {r.number} · <time dateTime={r.createdAt.toISOString()}>{formatUtc(r.createdAt)}</time>
                    {r.merged ? <span className={styles.muted}> (merged)</span> : null}
                  </td>
                  <td>{r.authorName}</td>
                  <td>{r.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <button type="submit" className="button secondary">
          Compare selected revisions
        </button>
      </form>
    </div>
  );
}
