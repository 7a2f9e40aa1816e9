import Link from "next/link";
import { MarkReadOnOpen } from "~/components/homework/notification-list";
import { FileSection } from "~/components/wiki/file-section";
import { WatchButton } from "~/components/wiki/wiki-actions";
import styles from "~/components/wiki/wiki.module.css";
import { Tabs, WikiBody } from "~/components/wiki/wiki-views";
import { withQuery } from "~/lib/routes";
import type { FileInfo } from "~/server/media/store";
import type { PageView } from "~/server/wiki/read";
import { wikiPath } from "~/server/wiki/titles";

/**
 * A wiki page as read: per request at `/wiki/<Title>` for signed-in readers and for `?oldid=` and the like, and as
 * anonymous readers see it, rendered once and cached, at `/wiki-view/<Title>` (next.config.ts rewrites them there).
 * `user` null is an anonymous reader; `file` is the File: page's image (undefined on other pages).
 */
export function WikiArticle({
  page,
  user,
  oldid,
  rdfrom = "",
  merged = false,
  file,
}: {
  page: PageView;
  user: { id: string } | null;
  oldid?: number | undefined;
  rdfrom?: string;
  merged?: boolean;
  file?: FileInfo | null | undefined;
}) {
  const path = wikiPath(page.key);
  return (
    <div className={styles.layout}>
      {user ? <MarkReadOnOpen link={path} /> : null}
      <h1>{page.title}</h1>
      <Tabs path={path} current="view" exists={page.exists} canEdit={page.canEdit} />
      {rdfrom ? (
        <p className="hint">
          (Redirected from <Link href={`${wikiPath(rdfrom)}?redirect=no`}>{rdfrom.replace(/_/g, " ")}</Link>)
        </p>
      ) : null}
      {merged ? (
        <p className={styles.note} role="status" data-testid="wiki-merged">
          Your edit was merged with changes others saved while you were editing.
        </p>
      ) : null}
      {page.deleted ? (
        <p className={styles.note} role="status">
          This page was deleted{page.deleted.reason ? ` (${page.deleted.reason})` : ""}; only admins see it. Restore it from its{" "}
          <Link href={`${path}?action=info`}>information page</Link>.
        </p>
      ) : null}
      {oldid !== undefined && page.revision ? (
        <p className={styles.note}>
          An old revision ({page.revision.number}) by {page.revision.author}, {page.revision.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC.{" "}
          <Link href={path}>Current version</Link>
        </p>
      ) : null}
      {page.protection !== "none" ? <p className="hint">Protected: only {page.protection === "admin" ? "admins" : "graders and admins"} may edit this page.</p> : null}
      {page.exists && page.rendered ? (
        <WikiBody html={page.rendered.html} toc={page.rendered.toc} />
      ) : (
        <p data-testid="wiki-missing">
          There is no page with this title yet.{" "}
          {user ? (
            <Link href={`${path}?action=edit`}>Create it</Link>
          ) : (
            <Link href={withQuery("/signin", { callbackUrl: `${path}?action=edit` })}>Sign in to create it</Link>
          )}
          {" · "}
          <Link href={withQuery("/search", { q: page.title, fulltext: 1 })}>Search for “{page.title}”</Link>
        </p>
      )}
      {file !== undefined ? <FileSection name={page.key.slice("File:".length)} file={file} /> : null}
      {page.members.length ? (
        <section aria-labelledby="members">
          <h2 id="members">Pages in this category</h2>
          <ul>
            {page.members.map((m) => (
              <li key={m.key}>
                <Link href={wikiPath(m.key)}>{m.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {page.categories.length ? (
        <p className={styles.categories} data-testid="wiki-categories">
          Categories:{" "}
          {page.categories.map((c, i) => (
            <span key={c}>
              {i ? " · " : ""}
              <Link href={wikiPath(`Category:${c}`)}>{c.replace(/_/g, " ")}</Link>
            </span>
          ))}
        </p>
      ) : null}
      {page.exists ? (
        <p className="hint">
          {page.revision ? `Revision ${page.revision.number}, ${page.revision.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC by ${page.revision.author}. ` : ""}
          {user ? <WatchButton title={page.title} watching={page.watching} /> : null}
        </p>
      ) : null}
    </div>
  );
}
